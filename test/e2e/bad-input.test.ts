import { accessSync, chmodSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { INDEX, runCli, tempFile } from '../helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } } });
});
afterAll(() => emulator.close());

const k = (...args: string[]) => ['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, ...args];

/** [name, argv, stdin, what the one stderr line must say] */
const cases: Array<[string, () => string[], string | undefined, RegExp]> = [
  ['no subcommand flag', () => ['--frobnicate'], undefined, /unknown option '--frobnicate'/],
  ['unknown subcommand', () => ['kendra-statuss'], undefined, /unknown command 'kendra-statuss'/],
  ['unknown flag', () => k('a', '--colour'), undefined, /unknown option '--colour'/],
  ['no index ID', () => ['kendra-status', '--endpoint-url', emulator.url, 'a'], undefined, /--index-id is required/],
  ['short index ID', () => ['kendra-status', '--index-id', 'abc', 'a'], undefined, /--index-id: 'abc' is not a Kendra index ID/],
  ['index ID with a bad character', () => ['kendra-status', '--index-id', `${INDEX.slice(0, 35)}!`, 'a'], undefined, /is not a Kendra index ID/],
  ['no IDs at all', () => k(), '', /no document IDs/],
  ['only blank lines on stdin', () => k(), '\n  \n\n', /no document IDs/],
  ['empty positional ID', () => k(''), undefined, /document ID #1: empty document ID/],
  ['ID of 2049 characters', () => k('x'.repeat(2049)), undefined, /document ID #1: document ID is 2049 characters \(at most 2048\)/],
  ['2049 characters on stdin line 3', () => k(), `a\nb\n${'y'.repeat(2049)}\n`, /<stdin>:3: document ID is 2049 characters/],
  ['bad --interval', () => k('a', '--wait', '--interval', '5x'), undefined, /--interval: '5x' is not a duration/],
  ['zero --interval', () => k('a', '--wait', '--interval', '0'), undefined, /--interval must be more than 0/],
  ['bad --timeout', () => k('a', '--wait', '--timeout', 'soon'), undefined, /--timeout: 'soon' is not a duration/],
  ['bad --not-found-grace', () => k('a', '--not-found-grace', '-5m'), undefined, /--not-found-grace: '-5m' is not a duration/],
  ['bad --request-timeout', () => k('a', '--request-timeout', '1d'), undefined, /--request-timeout: '1d' is not a duration/],
  ['bad --progress-interval', () => k('a', '--wait', '--progress-interval', '5x'), undefined, /--progress-interval: '5x' is not a duration/],
  ['negative --progress-interval', () => k('a', '--wait', '--progress-interval', '-1s'), undefined, /--progress-interval: '-1s' is not a duration/],
  ['--progress-interval under a second', () => k('a', '--wait', '--progress-interval', '999ms'), undefined, /--progress-interval must be 0 \(none\) or at least 1s/],
  ['--progress-interval past the longest timer', () => k('a', '--wait', '--progress-interval', '600h'), undefined, /--progress-interval: '600h' is too long/],
  ['bad --output', () => k('a', '-o', 'xml'), undefined, /argument 'xml' is invalid. Allowed choices are table, json, ndjson, markdown, junit\./],
  ['bad --until', () => k('a', '--until', 'gone'), undefined, /Allowed choices are indexed, deleted/],
  ['--concurrency 0', () => k('a', '--concurrency', '0'), undefined, /--concurrency: '0' is not a whole number from 1 to 64/],
  ['--concurrency text', () => k('a', '--concurrency', 'many'), undefined, /--concurrency: 'many' is not a whole number/],
  ['--fail-fast without --wait', () => k('a', '--fail-fast'), undefined, /--fail-fast goes with --wait/],
  ['missing --ids-file', () => k('--ids-file', '/nonexistent/ids.txt'), undefined, /--ids-file: cannot read \/nonexistent\/ids.txt: no such file/],
  ['directory as --ids-file', () => k('--ids-file', tmpdir()), undefined, /--ids-file: cannot read .*: is a directory/],
  // unreadable for every user, root included: a path whose parent is a regular file
  ['--ids-file under a regular file', () => k('--ids-file', `${tempFile('f', 'a\n')}/ids.txt`), undefined, /--ids-file: cannot read .*\/f\/ids.txt: ENOTDIR/],
  ['--document-info under a regular file', () => k('--document-info', `${tempFile('f', '[]')}/d.json`), undefined, /--document-info: cannot read .*\/f\/d.json: ENOTDIR/],
  ['invalid UTF-8 in --ids-file', () => k('--ids-file', tempFile('bad.txt', Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a]))), undefined, /--ids-file: .* is not valid UTF-8/],
  ['malformed --document-info JSON', () => k('--document-info', tempFile('d.json', '[{"DocumentId": "a"')), undefined, /--document-info .*: malformed JSON/],
  ['malformed --document-info JSON Lines', () => k('--document-info', tempFile('d.jsonl', '{"DocumentId":"a"}\nnot json\n')), undefined, /--document-info .*:2: malformed JSON/],
  ['--document-info not an array of objects', () => k('--document-info', tempFile('d.json', '[1]')), undefined, /item 1: expected an object/],
  ['--attribute with an unknown key', () => k('a', '--attribute', 'colour=red'), undefined, /--attribute: unknown key 'colour'/],
  ['--attribute without a value', () => k('a', '--attribute', 'version='), undefined, /--attribute: 'version=' is not KEY=VALUE/],
  ['datasourceId without jobExecutionId', () => k('a', '--attribute', 'datasourceId=x'), undefined, /must be given together/],
  ['--endpoint-url not a URL', () => k('a', '--endpoint-url', 'not a url'), undefined, /--endpoint-url: not a URL$/m],
  ['--endpoint-url with a password in it', () => k('a', '--endpoint-url', 'https://user:s3cret@kendra.example/'), undefined, /--endpoint-url: put no user name or password in the URL/],
  ['--endpoint-url ftp', () => k('a', '--endpoint-url', 'ftp://example.test/'), undefined, /'ftp:' URLs are not supported/],
  ['empty --ids-file', () => k('--ids-file', tempFile('empty.txt', '')), undefined, /no document IDs/],
  ['empty --document-info', () => k('--document-info', tempFile('empty.json', '')), undefined, /--document-info .*: no DocumentInfo in the file/],
  ['huge --ids-file: one 20 MB line', () => k('--ids-file', tempFile('huge.txt', 'x'.repeat(20_000_000))), undefined, /huge.txt:1: document ID is 20000000 characters \(at most 2048\)/],
  ['--document-info JSON that is not an array', () => k('--document-info', tempFile('o.json', '[]x')), undefined, /malformed JSON/],
  ['--document-info with an over-long DocumentId', () => k('--document-info', tempFile('l.json', JSON.stringify([{ DocumentId: 'd'.repeat(2049) }]))), undefined, /item 1: document ID is 2049 characters/],
  ['emulate on a host name that never resolves', () => ['emulate', '--port', '0', '--host', 'nosuchhost.invalid'], undefined, /cannot listen on nosuchhost\.invalid:0: (ENOTFOUND|EAI_AGAIN)/],
  ['emulate --port out of range', () => ['emulate', '--port', '70000'], undefined, /--port: '70000' is not a whole number from 0 to 65535/],
  ['emulate missing --scenario', () => ['emulate', '--port', '0', '--scenario', '/nonexistent.json'], undefined, /--scenario: cannot read/],
  ['emulate --scenario with a misspelt section', () => ['emulate', '--port', '0', '--scenario', tempFile('s.json', '{"kendar": {}}')], undefined, /: unknown key "kendar" \(a scenario has seed, latency, faults, rateLimit, kendra, translator, bedrock-kb\)\n$/],
  ['emulate --scenario with a misspelt fault type', () => ['emulate', '--port', '0', '--scenario', tempFile('s.json', '{"faults": [{"type": "throtle"}]}')], undefined, /: faults\[0\]\.type: "throtle" is not one of throttle, error, /],
  ['emulate --scenario with a misspelt fault key', () => ['emulate', '--port', '0', '--scenario', tempFile('s.json', '{"faults": [{"type": "throttle", "rat": 0.5}]}')], undefined, /: faults\[0\]: unknown key "rat"/],
  ['emulate --scenario with a fault for no service', () => ['emulate', '--port', '0', '--scenario', tempFile('s.json', '{"faults": [{"type": "error", "service": "s3"}]}')], undefined, /: faults\[0\]\.service: "s3" is not one of kendra, translator, bedrock-kb\n$/],
  ['emulate malformed --scenario', () => ['emulate', '--port', '0', '--scenario', tempFile('s.json', '{nope')], undefined, /malformed JSON/],
];

describe('bad input: exit 2, one stderr line, nothing on stdout, no request sent', () => {
  it.each(cases)('%s', async (_name, argv, input, message) => {
    const before = emulator.requests.length;
    const r = await runCli(argv(), { input });
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^docstatus: /);
    expect(r.code).toBe(2);
    expect(emulator.requests.length).toBe(before);
  });

  // A file without read permission: root reads it anyway, so this runs only where the permission holds (the
  // ENOTDIR cases above run for every user).
  const locked = tempFile('secret.txt', 'a\n');
  chmodSync(locked, 0);
  const lockedReadable = (() => {
    try {
      accessSync(locked, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(lockedReadable)('a file without read permission: permission denied (skipped as root, which reads it anyway)', async () => {
    const before = emulator.requests.length;
    const r = await runCli(k('--ids-file', locked));
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`docstatus: --ids-file: cannot read ${locked}: permission denied\n`);
    expect(emulator.requests.length).toBe(before);
  });

  it('1,000,000 IDs with one bad line near the end: exit 2 naming the line, nothing sent', async () => {
    const lines = Array.from({ length: 1_000_000 }, (_, i) => `doc-${i}`);
    lines[999_990] = 'z'.repeat(2049);
    const before = emulator.requests.length;
    const r = await runCli(k(), { input: `${lines.join('\n')}\n` });
    expect(r.stderr).toBe('docstatus: <stdin>:999991: document ID is 2049 characters (at most 2048)\n');
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(emulator.requests.length).toBe(before);
  });

  it('--help and --version exit 0 on stdout', async () => {
    const h = await runCli(['kendra-status', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--not-found-grace <duration>');
    const v = await runCli(['--version']);
    expect(v).toMatchObject({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });
});
