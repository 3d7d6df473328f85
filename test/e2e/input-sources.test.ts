import { spawn } from 'node:child_process';
import { truncateSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { BIN, cliEnv, INDEX, runCli, SECRETS, tempFile } from '../helpers.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000d1';
const version = (v: string) => ({ Key: 'version', Value: { StringValue: v } });

async function start() {
  emulator = await startEmulator({
    kendra: {
      indexes: {
        [INDEX]: {
          documents: {
            a: [{ status: 'INDEXED' }],
            b: [{ status: 'INDEXED' }],
            c: [{ status: 'INDEXED' }],
            f: [{ status: 'FAILED', failureCode: 'E42', failureReason: 'the file is <b>corrupt</b>' }],
          },
        },
      },
    },
    translator: {
      key: SECRETS.azureKey,
      batches: { [BATCH]: { documents: { x: { timeline: [{ status: 'Succeeded' }] }, y: { timeline: [{ status: 'Failed' }] } } } },
    },
  });
  return emulator;
}

const kendra = (...args: string[]) => ['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator!.url, ...args];
const azure = (cmd: 'translate-status' | 'translate-docs', ...args: string[]) => [cmd, ...args, '--endpoint', emulator!.url];
const env = { AZURE_TRANSLATOR_KEY: SECRETS.azureKey };
const infoLists = (e: Emulator) => e.requests.filter((r) => r.op === 'BatchGetDocumentStatus').map((r) => r.input!.DocumentInfoList);
const azurePaths = (e: Emulator) => e.requests.filter((r) => r.service === 'translator').map((r) => new URL(r.url, 'http://x').pathname.split('/').slice(-2).join('/'));

describe('kendra-status --document-info: its Attributes win wherever else the ID is given', () => {
  const infos = () => tempFile('infos.json', JSON.stringify([{ DocumentId: 'a', Attributes: [version('3')] }, { DocumentId: 'c' }]));

  it('an ID also given as an argument keeps its place and gets the attributes', async () => {
    const e = await start();
    const r = await runCli(kendra('b', 'a', '--document-info', infos()));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual(['b', 'a', 'c']);
    expect(infoLists(e)).toEqual([[{ DocumentId: 'b' }, { DocumentId: 'a', Attributes: [version('3')] }, { DocumentId: 'c' }]]);
  });

  it('an ID also in --ids-file: the same, and --attribute is added after the entry\'s own', async () => {
    const e = await start();
    const r = await runCli(kendra('--ids-file', tempFile('ids.txt', 'a\nb\n'), '--document-info', infos(), '--attribute', 'datasourceId=ds', '--attribute', 'jobExecutionId=j'));
    expect(r.code).toBe(0);
    const common = [
      { Key: 'datasourceId', Value: { StringValue: 'ds' } },
      { Key: 'jobExecutionId', Value: { StringValue: 'j' } },
    ];
    expect(infoLists(e)).toEqual([
      [
        { DocumentId: 'a', Attributes: [version('3'), ...common] },
        { DocumentId: 'b', Attributes: common },
        { DocumentId: 'c', Attributes: common },
      ],
    ]);
  });

  it('the same ID twice in --document-info with different Attributes is bad input: exit 2, nothing sent', async () => {
    const e = await start();
    const path = tempFile('twice.jsonl', `${JSON.stringify({ DocumentId: 'a', Attributes: [version('1')] })}\n${JSON.stringify({ DocumentId: 'a', Attributes: [version('2')] })}\n`);
    const r = await runCli(kendra('--document-info', path));
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `docstatus: --document-info ${path}: DocumentId 'a' is given twice with different Attributes\n`,
    });
    expect(e.requests).toHaveLength(0);
    // The same entry twice is only a duplicate.
    const same = tempFile('same.jsonl', `${JSON.stringify({ DocumentId: 'a', Attributes: [version('1')] })}\n`.repeat(2));
    expect((await runCli(kendra('--document-info', same))).code).toBe(0);
    expect(infoLists(e)).toEqual([[{ DocumentId: 'a', Attributes: [version('1')] }]]);
  });
});

describe('translate-status reads standard input only with --ids-file - (a batch-level call never does)', () => {
  it('--ids-file -: the IDs piped on stdin are the documents asked', async () => {
    const e = await start();
    const r = await runCli(azure('translate-status', BATCH, '--ids-file', '-'), { env, input: 'x\ny\n' });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.service).toBe('translation-document');
    expect(out.documents.map((d: { id: string; state: string }) => `${d.id}:${d.state}`)).toEqual(['x:succeeded', 'y:failed']);
    expect(azurePaths(e)).toEqual(['documents/x', 'documents/y']);
  });

  it('no document ID and IDs piped on stdin: the batch, stdin unread (it asked the piped lines as documents of the batch)', async () => {
    const e = await start();
    const r = await runCli(azure('translate-status', BATCH), { env, input: 'x\ny\n' });
    // the batch has run (Succeeded) but one of its documents failed: the batch is failed (exit 1)
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ service: 'translation-batch', documents: [{ status: 'Succeeded', state: 'failed', failureReason: '1 failed and 0 cancelled of 2 documents' }] });
    expect(azurePaths(e)).toEqual([`batches/${BATCH}`]);
  });

  it('the `while read b; do docstatus translate-status "$b"; done` loop asks every batch (it ended after one, asking B2 as a document of B1)', async () => {
    const e = await start();
    const loop = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn('bash', ['-c', `printf '%s\n' "$B" "$B" | while read -r b; do "$NODE" "$BIN" translate-status "$b" --endpoint "$E" -o ndjson; echo "exit $?"; done`], {
        env: cliEnv({ ...env, B: BATCH, E: e.url, NODE: process.execPath, BIN }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });
    expect(loop.stdout.split('\n').filter((l) => l.startsWith('exit'))).toEqual(['exit 1', 'exit 1']);
    expect(azurePaths(e)).toEqual([`batches/${BATCH}`, `batches/${BATCH}`]);
  });

  it('IDs given as arguments win over stdin, which is then not read', async () => {
    const e = await start();
    const r = await runCli(azure('translate-status', BATCH, 'x'), { env, input: 'y\n' });
    expect(r.code).toBe(0);
    expect(azurePaths(e)).toEqual(['documents/x']);
  });
});

describe("'.' and '..' are not IDs where an ID goes into a URL path: exit 2, one line naming the argument, nothing sent", () => {
  const why = "is not an ID (in a URL path it would name another resource)";
  const cases: Array<[string, () => string[], string | undefined, string]> = [
    ['translate-status BATCH ..', () => azure('translate-status', BATCH, '..'), undefined, `document ID #1: '..' ${why}`],
    ['translate-status BATCH a .', () => azure('translate-status', BATCH, 'a', '.'), undefined, `document ID #2: '.' ${why}`],
    ['translate-status .. (batch)', () => azure('translate-status', '..'), undefined, `BATCH_ID: '..' ${why}`],
    ['translate-status %2e%2E (batch)', () => azure('translate-status', '%2e%2E'), undefined, `BATCH_ID: '%2e%2E' ${why}`],
    ['translate-status BATCH .%2E', () => azure('translate-status', BATCH, '.%2E'), undefined, `document ID #1: '.%2E' ${why}`],
    ['translate-status --ids-file line 2', () => azure('translate-status', BATCH, '--ids-file', tempFile('ids.txt', 'x\n..\n')), undefined, "--ids-file *:2: '..' " + why],
    ['translate-status --ids-file - (stdin), line 3', () => azure('translate-status', BATCH, '--ids-file', '-'), 'x\ny\n%2e\n', `--ids-file <stdin>:3: '%2e' ${why}`],
    ['translate-docs ..', () => azure('translate-docs', '..'), undefined, `BATCH_ID: '..' ${why}`],
    ['translate-docs --ids a,..', () => azure('translate-docs', BATCH, '--ids', 'a,..'), undefined, `--ids: '..' ${why}`],
  ];

  it.each(cases)('%s', async (_name, argv, input, message) => {
    const e = await start();
    const r = await runCli(argv(), { env, input });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    const [line, ...more] = r.stderr.split('\n');
    expect(more).toEqual(['']);
    if (message.includes('*')) expect(line).toMatch(new RegExp(`^docstatus: ${message.replace(/[.()\\[\]]/g, '\\$&').replace('*', '.*')}$`));
    else expect(line).toBe(`docstatus: ${message}`);
    expect(e.requests).toHaveLength(0);
  });

  it("IDs that only contain dots are fine ('...', '.a', 'a..b')", async () => {
    const e = await start();
    const r = await runCli(azure('translate-status', BATCH, '...', '.a', 'a..b'), { env });
    expect(r.code).toBe(4);
    expect(azurePaths(e)).toEqual(['documents/...', 'documents/.a', 'documents/a..b']);
    expect(JSON.parse(r.stdout).documents.map((d: { errorCode: string }) => d.errorCode)).toEqual(['ResourceNotFound', 'ResourceNotFound', 'ResourceNotFound']);
  });

  it('kendra-status sends IDs in a JSON body, not a path: . and .. are asked like any other', async () => {
    const e = await start();
    const r = await runCli(kendra('.', '..'));
    expect(r.code).toBe(3);
    expect(infoLists(e)).toEqual([[{ DocumentId: '.' }, { DocumentId: '..' }]]);
  });
});

describe('an input with no IDs names where it looked', () => {
  it.each([
    ['kendra-status: an empty --ids-file', () => ['empty.txt', ''], (p: string) => kendra('--ids-file', p), undefined, (p: string) => `--ids-file ${p}: no document IDs in the file`],
    ['kendra-status: a blank --ids-file, with an argument', () => ['blank.txt', '\n \n'], (p: string) => kendra('a', '--ids-file', p), undefined, (p: string) => `--ids-file ${p}: no document IDs in the file`],
    ['kendra-status: --ids-file - with empty stdin', () => ['unused.txt', ''], () => kendra('--ids-file', '-'), '', () => '--ids-file -: no document IDs on standard input'],
    [
      'kendra-status: empty stdin',
      () => ['unused.txt', ''],
      () => kendra(),
      '\n',
      () => 'standard input: no document IDs (give them as arguments, with --ids-file or --document-info, or on standard input)',
    ],
    ['kendra-status: --document-info []', () => ['infos.json', ' [ ] '], (p: string) => kendra('--document-info', p), undefined, (p: string) => `--document-info ${p}: no DocumentInfo in the file`],
    ['kendra-status: --document-info - with empty stdin', () => ['unused.txt', ''], () => kendra('--document-info', '-'), '', () => '--document-info -: no DocumentInfo on standard input'],
    ['translate-status: an empty --ids-file', () => ['empty.txt', ''], (p: string) => azure('translate-status', BATCH, '--ids-file', p), undefined, (p: string) => `--ids-file ${p}: no document IDs in the file`],
  ])('%s', async (_name, file, argv, input, message) => {
    const e = await start();
    const [name, content] = file();
    const path = tempFile(name!, content!);
    const r = await runCli(argv(path), { env, input });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `docstatus: ${message(path)}\n` });
    expect(e.requests).toHaveLength(0);
  });

  it('--ids-file - and --document-info - cannot both read standard input', async () => {
    await start();
    const r = await runCli(kendra('--ids-file', '-', '--document-info', '-'), { input: 'a\n' });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: 'docstatus: --ids-file - and --document-info - cannot both read standard input\n' });
  });
});

describe('--ids-file and --document-info are repeatable: every file is read, in order (before, only the last counted)', () => {
  it('kendra-status: a failed document in the first --ids-file is not dropped (exit 1, not 0)', async () => {
    const e = await start();
    const r = await runCli(kendra('--ids-file', tempFile('first.txt', 'f\na\n'), '--ids-file', tempFile('second.txt', 'b\na\n'), '-o', 'json'));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).documents.map((d: { id: string; state: string }) => `${d.id}:${d.state}`)).toEqual(['f:failed', 'a:succeeded', 'b:succeeded']);
    expect(infoLists(e)).toEqual([[{ DocumentId: 'f' }, { DocumentId: 'a' }, { DocumentId: 'b' }]]);
  });

  it('kendra-status: two --document-info files, their Attributes kept; the same ID with other Attributes in the second is exit 2 naming it', async () => {
    const e = await start();
    const first = tempFile('one.json', JSON.stringify([{ DocumentId: 'a', Attributes: [version('3')] }]));
    const second = tempFile('two.jsonl', `${JSON.stringify({ DocumentId: 'c' })}\n${JSON.stringify({ DocumentId: 'a', Attributes: [version('3')] })}\n`);
    const r = await runCli(kendra('--document-info', first, '--document-info', second));
    expect(r.code).toBe(0);
    expect(infoLists(e)).toEqual([[{ DocumentId: 'a', Attributes: [version('3')] }, { DocumentId: 'c' }]]);
    const clash = tempFile('three.json', JSON.stringify([{ DocumentId: 'a', Attributes: [version('4')] }]));
    const bad = await runCli(kendra('--document-info', first, '--document-info', clash));
    expect({ code: bad.code, stdout: bad.stdout, stderr: bad.stderr }).toEqual({ code: 2, stdout: '', stderr: `docstatus: --document-info ${clash}: DocumentId 'a' is given twice with different Attributes\n` });
    expect(e.requests).toHaveLength(1);
  });

  it('translate-status: both files asked, an empty second one is exit 2 naming it, nothing sent', async () => {
    const e = await start();
    const r = await runCli(azure('translate-status', BATCH, '--ids-file', tempFile('x.txt', 'x\n'), '--ids-file', tempFile('y.txt', 'y\n')), { env });
    expect(r.code).toBe(1);
    expect(azurePaths(e)).toEqual(['documents/x', 'documents/y']);
    const empty = tempFile('empty.txt', '');
    const bad = await runCli(azure('translate-status', BATCH, '--ids-file', tempFile('x.txt', 'x\n'), '--ids-file', empty), { env });
    expect({ code: bad.code, stdout: bad.stdout, stderr: bad.stderr }).toEqual({ code: 2, stdout: '', stderr: `docstatus: --ids-file ${empty}: no document IDs in the file\n` });
    expect(e.requests).toHaveLength(2);
  });

  it.each([
    [['--ids-file', '-', '--ids-file', '-'], '--ids-file - is given twice: standard input can be read only once'],
    [['--document-info', '-', '--document-info', '-'], '--document-info - is given twice: standard input can be read only once'],
    [['--ids-file', '/dev/null', '--document-info', '-', '--ids-file', '-'], '--ids-file - and --document-info - cannot both read standard input'],
  ])('kendra-status %j: exit 2, nothing sent', async (argv, message) => {
    const e = await start();
    const r = await runCli(kendra(...argv), { input: 'a\n' });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `docstatus: ${message}\n` });
    expect(e.requests).toHaveLength(0);
  });
});

describe('kendra-status --wide: CODE and REASON in columns of their own', () => {
  it('markdown and table', async () => {
    await start();
    const md = await runCli(kendra('a', 'f', '-o', 'markdown', '--wide'));
    expect(md.code).toBe(1);
    expect(md.stdout.split('\n').slice(0, 4)).toEqual([
      '| ID | STATUS | STATE | CODE | REASON |',
      '| --- | --- | --- | --- | --- |',
      '| a | INDEXED | succeeded |  |  |',
      '| f | FAILED | failed | E42 | the file is \\<b\\>corrupt\\</b\\> |',
    ]);
    const narrow = await runCli(kendra('f', '-o', 'markdown'));
    expect(narrow.stdout.split('\n').slice(0, 3)).toEqual(['| ID | STATUS | STATE | DETAIL |', '| --- | --- | --- | --- |', '| f | FAILED | failed | E42: the file is \\<b\\>corrupt\\</b\\> |']);
    const table = await runCli(kendra('f', '-o', 'table', '--wide'));
    const rows = table.stdout.split('\n').filter((l) => l.startsWith('│'));
    expect(rows.map((l) => l.split('│').slice(1, -1).map((c) => c.trim()))).toEqual([
      ['ID', 'STATUS', 'STATE', 'CODE', 'REASON'],
      ['f', 'FAILED', 'failed', 'E42', 'the file is <b>corrupt</b>'],
    ]);
  });
});

describe('an input larger than the longest string Node can make (512 MiB) is bad input, never a memory flood', () => {
  const LINE = 'docstatus: --ids-file: PATH is larger than 512 MiB, the most docstatus reads\n';

  it('a 600 MiB --ids-file: exit 2, one line that says so (it said "is not valid UTF-8"), nothing sent', async () => {
    const e = await start();
    // A sparse file: 600 MiB of NUL bytes (valid UTF-8) that take no disk.
    const path = tempFile('huge.txt', '');
    truncateSync(path, 600 * 1024 * 1024);
    const r = await runCli(kendra('--ids-file', path));
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: LINE.replace('PATH', path) });
    expect(e.requests).toHaveLength(0);
  });

  it('--ids-file /dev/zero: exit 2 once 512 MiB are read, one line, nothing sent', async () => {
    const e = await start();
    // Before: read until the machine ran out of memory (23 GB in under a minute here); one SIGTERM did not stop it.
    const r = await runCli(kendra('--ids-file', '/dev/zero'), { timeoutMs: 6000 });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: LINE.replace('PATH', '/dev/zero') });
    expect(e.requests).toHaveLength(0);
  });
});
