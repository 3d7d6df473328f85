import { execFile } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { Step } from '../../src/emulator/scenario.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { BIN, cliEnv, INDEX, runCli, SECRETS, tempFile } from '../helpers.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const indexed: Step[] = [{ status: 'INDEXED' }];
const processingThen = (polls: number, end: Step = { status: 'INDEXED' }): Step[] => [{ status: 'PROCESSING' }, { afterPolls: polls, ...end }];

async function kendra(documents: Record<string, Step[]>, extra: Parameters<typeof startEmulator>[0] = {}) {
  emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents } } }, ...extra });
  return emulator;
}

const statusCalls = (e: Emulator) => e.requests.filter((r) => r.op === 'BatchGetDocumentStatus');
const base = () => ['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator!.url];

describe('kendra-status, one pass', () => {
  it('asks ceil(n/10) requests and reports every ID once, in input order', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `doc-${i}`);
    const e = await kendra(Object.fromEntries(ids.map((id) => [id, indexed])));
    const shuffled = [...ids].reverse();
    const r = await runCli([...base(), ...shuffled, 'doc-3', 'doc-24']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.documents.map((d: { id: string }) => d.id)).toEqual(shuffled);
    expect(statusCalls(e).length).toBe(3);
    expect(statusCalls(e).map((c) => c.ids!.length).sort((a, b) => a - b)).toEqual([5, 10, 10]);
    expect(out.stats.requests).toBe(3);
    expect(out.stats.rounds).toBe(1);
  });

  it('prints the contract JSON field by field', async () => {
    await kendra({
      a: indexed,
      b: [{ status: 'FAILED', failureCode: '400', failureReason: 'too big' }],
      c: [{ status: 'UPDATED' }],
    });
    const r = await runCli([...base(), 'a', 'b', 'c']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.stats.elapsedMs).toBeGreaterThanOrEqual(0);
    out.stats.elapsedMs = 0;
    expect(out).toEqual({
      service: 'kendra',
      target: { indexId: INDEX },
      outcome: 'failed',
      complete: true,
      summary: { total: 3, succeeded: 2, failed: 1, pending: 0, error: 0, byStatus: { INDEXED: 1, FAILED: 1, UPDATED: 1 } },
      documents: [
        { id: 'a', status: 'INDEXED', state: 'succeeded' },
        { id: 'b', status: 'FAILED', state: 'failed', failureCode: '400', failureReason: 'too big' },
        { id: 'c', status: 'UPDATED', state: 'succeeded' },
      ],
      stats: { rounds: 1, requests: 1, elapsedMs: 0, throttled: 0 },
    });
  });

  it('exits 3 when documents are still pending after one pass', async () => {
    await kendra({ a: indexed, b: processingThen(5) });
    const r = await runCli([...base(), 'a', 'b', 'unknown-doc']);
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.outcome).toBe('pending');
    expect(out.complete).toBe(false);
    expect(out.documents.map((d: { state: string; status: string }) => `${d.status}/${d.state}`)).toEqual([
      'INDEXED/succeeded',
      'PROCESSING/pending',
      'NOT_FOUND/pending',
    ]);
  });

  it('maps Errors entries to state error with code and message: exit 4', async () => {
    await kendra({ a: indexed, b: [{ errorCode: 'InvalidRequest', errorMessage: 'bad version attribute' }] });
    const r = await runCli([...base(), 'a', 'b']);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents[1]).toEqual({ id: 'b', state: 'error', errorCode: 'InvalidRequest', errorMessage: 'bad version attribute' });
  });

  it('precedence: failed (1) beats error (4) beats pending (3)', async () => {
    await kendra({ f: [{ status: 'FAILED' }], e: [{ errorCode: 'InternalError' }], p: processingThen(9) });
    expect((await runCli([...base(), 'f', 'e', 'p'])).code).toBe(1);
    expect((await runCli([...base(), 'e', 'p'])).code).toBe(4);
    expect((await runCli([...base(), 'p'])).code).toBe(3);
  });

  it('an unknown index is an error for every document: exit 4 with the service message', async () => {
    await kendra({});
    const other = `${INDEX.slice(0, 30)}ffffff`;
    const r = await runCli(['kendra-status', '--index-id', other, '--endpoint-url', emulator!.url, 'a', 'b']);
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents).toEqual([
      { id: 'a', state: 'error', errorCode: 'ResourceNotFoundException', errorMessage: `Index ${other} does not exist.` },
      { id: 'b', state: 'error', errorCode: 'ResourceNotFoundException', errorMessage: `Index ${other} does not exist.` },
    ]);
    expect(statusCalls(emulator!).length).toBe(1);
  });

  it('reads IDs from --ids-file, stdin and --document-info, deduplicated', async () => {
    const e = await kendra({ a: indexed, b: indexed, c: indexed, d: indexed });
    const file = tempFile('ids.txt', ' b \n\na\nb\n');
    let r = await runCli([...base(), 'c', '--ids-file', file]);
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual(['c', 'b', 'a']);
    r = await runCli(base(), { input: 'd\nc\nd\n' });
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual(['d', 'c']);
    r = await runCli([...base(), '--ids-file', '-'], { input: 'a\n' });
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual(['a']);
    const infos = tempFile('infos.jsonl', '{"DocumentId":"a","Attributes":[{"Key":"version","Value":{"StringValue":"3"}}]}\n{"DocumentId":"b"}\n');
    e.requests.length = 0;
    r = await runCli([...base(), '--document-info', infos, '--attribute', 'datasourceId=ds1', '--attribute', 'jobExecutionId=job1']);
    expect(r.code).toBe(0);
    expect(statusCalls(e)[0]!.input!.DocumentInfoList).toEqual([
      {
        DocumentId: 'a',
        Attributes: [
          { Key: 'version', Value: { StringValue: '3' } },
          { Key: 'datasourceId', Value: { StringValue: 'ds1' } },
          { Key: 'jobExecutionId', Value: { StringValue: 'job1' } },
        ],
      },
      {
        DocumentId: 'b',
        Attributes: [
          { Key: 'datasourceId', Value: { StringValue: 'ds1' } },
          { Key: 'jobExecutionId', Value: { StringValue: 'job1' } },
        ],
      },
    ]);
  });

  it('takes the index from KENDRA_INDEX_ID and the endpoint from AWS_ENDPOINT_URL_KENDRA', async () => {
    const e = await kendra({ a: indexed });
    const r = await runCli(['kendra-status', 'a'], { env: { KENDRA_INDEX_ID: INDEX, AWS_ENDPOINT_URL_KENDRA: e.url } });
    expect(r.code).toBe(0);
    expect(statusCalls(e).length).toBe(1);
  });
});

describe('AWS settings', () => {
  it('--profile takes the region and credentials from the named profile', async () => {
    const e = await kendra({ a: indexed });
    const config = tempFile('config', '[profile ci]\nregion = eu-west-1\n');
    const creds = tempFile('credentials', `[ci]\naws_access_key_id = AKIAPROFILEKEY000001\naws_secret_access_key = ${SECRETS.awsSecret}\n`);
    const r = await runCli([...base(), 'a', '--profile', 'ci'], {
      env: { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: creds, AWS_REGION: '', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(String(statusCalls(e)[0]!.headers.authorization)).toMatch(/Credential=AKIAPROFILEKEY000001\/\d{8}\/eu-west-1\/kendra\/aws4_request/);
  });

  it('--region overrides the environment; no region at all is bad usage', async () => {
    const e = await kendra({ a: indexed });
    const r = await runCli([...base(), 'a', '--region', 'ap-south-1']);
    expect(r.code).toBe(0);
    expect(String(statusCalls(e)[0]!.headers.authorization)).toContain('/ap-south-1/kendra/');
    const none = await runCli([...base(), 'a'], { env: { AWS_REGION: '' } });
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toBe('docstatus: no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or name one in your AWS profile\n');
    expect(statusCalls(e)).toHaveLength(1);
  });

  it('missing credentials are an error for every document, exit 4, without a retry storm', async () => {
    const e = await kendra({ a: indexed });
    const r = await runCli([...base(), 'a', 'b', '--wait', '--interval', '10ms'], { env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' } });
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents.map((d: { errorCode: string }) => d.errorCode)).toEqual(['CredentialsProviderError', 'CredentialsProviderError']);
    expect(out.stats).toMatchObject({ rounds: 1, requests: 0 });
    expect(statusCalls(e)).toHaveLength(0);
  });
});

describe('kendra-status --wait', () => {
  it('re-asks only documents that are not final: exact request count', async () => {
    // 12 documents: 10 indexed at once, 2 after 2 more polls. Rounds: 12 (2 requests), 2 (1), 2 (1).
    const docs: Record<string, Step[]> = {};
    for (let i = 0; i < 10; i++) docs[`fast-${i}`] = indexed;
    docs['slow-1'] = processingThen(2);
    docs['slow-2'] = processingThen(2, { status: 'FAILED', failureReason: 'nope' });
    const e = await kendra(docs);
    const r = await runCli([...base(), ...Object.keys(docs), '--wait', '--interval', '20ms']);
    expect(r.code).toBe(1);
    const calls = statusCalls(e);
    expect(calls.slice(0, 2).map((c) => c.ids!.length).sort()).toEqual([10, 2]);
    expect(calls.slice(2).map((c) => c.ids!.length)).toEqual([2, 2]);
    expect(calls.slice(2).map((c) => c.ids)).toEqual([
      ['slow-1', 'slow-2'],
      ['slow-1', 'slow-2'],
    ]);
    const out = JSON.parse(r.stdout);
    expect(out.stats).toMatchObject({ rounds: 3, requests: 4 });
    expect(out.summary).toMatchObject({ total: 12, succeeded: 11, failed: 1 });
  });

  it('--until deleted succeeds on NOT_FOUND', async () => {
    await kendra({ gone: processingThen(1, { status: 'NOT_FOUND' }), never: [] });
    const r = await runCli([...base(), 'gone', 'never', '--until', 'deleted', '--wait', '--interval', '10ms']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents).toEqual([
      { id: 'gone', status: 'NOT_FOUND', state: 'succeeded' },
      { id: 'never', status: 'NOT_FOUND', state: 'succeeded' },
    ]);
  });

  it('--not-found-grace gives up on a mistyped ID', async () => {
    const e = await kendra({ a: processingThen(2) });
    const r = await runCli([...base(), 'a', 'typo', '--wait', '--interval', '30ms', '--not-found-grace', '50ms']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.documents[1]).toMatchObject({ id: 'typo', status: 'NOT_FOUND', state: 'failed' });
    expect(out.documents[1].failureReason).toMatch(/--not-found-grace/);
    expect(statusCalls(e).length).toBeLessThanOrEqual(4);
  });

  it('--timeout ends a wait with exit 3', async () => {
    await kendra({ a: processingThen(1_000_000) });
    const r = await runCli([...base(), 'a', '--wait', '--interval', '20ms', '--timeout', '150ms']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).outcome).toBe('pending');
    expect(r.stderr).toMatch(/--timeout 150ms passed with 1 document\(s\) pending/);
  });

  it('--fail-fast stops at the first failure', async () => {
    const e = await kendra({ bad: [{ status: 'FAILED' }], slow: processingThen(1_000) });
    const r = await runCli([...base(), 'bad', 'slow', '--wait', '--fail-fast', '--interval', '10ms']);
    expect(r.code).toBe(1);
    expect(statusCalls(e).length).toBe(1);
  });

  it('asks again after an InternalError entry', async () => {
    const e = await kendra({ a: [{ errorCode: 'InternalError', errorMessage: 'try again' }, { afterPolls: 1, status: 'INDEXED' }] });
    const r = await runCli([...base(), 'a', '--wait', '--interval', '10ms']);
    expect(r.code).toBe(0);
    expect(statusCalls(e).length).toBe(2);
  });

  it('streams NDJSON: first sightings and changes, then the result', async () => {
    await kendra({ a: processingThen(1), b: indexed });
    const r = await runCli([...base(), 'a', 'b', '--wait', '--interval', '10ms', '-o', 'ndjson']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.type, l.id, l.status])).toEqual([
      ['document', 'a', 'PROCESSING'],
      ['document', 'b', 'INDEXED'],
      ['document', 'a', 'INDEXED'],
      ['result', undefined, undefined],
    ]);
    expect(Number.isNaN(Date.parse(lines[0].at))).toBe(false);
    expect(lines[3]).toMatchObject({ type: 'result', service: 'kendra', outcome: 'succeeded', complete: true, stats: { rounds: 2, requests: 2 } });
    expect(lines[3].documents).toBeUndefined();
  });

  it('prints the result so far on SIGINT and exits 130 (143 on SIGTERM)', async () => {
    for (const [sig, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const e = await kendra({ a: processingThen(1_000_000), b: indexed });
      const r = await runCli([...base(), 'a', 'b', '--wait', '--interval', '100ms'], {
        onSpawn: (child) => {
          const timer = setInterval(() => {
            if (statusCalls(e).length >= 2) {
              clearInterval(timer);
              child.kill(sig);
            }
          }, 10);
        },
      });
      expect(r.code).toBe(code);
      const out = JSON.parse(r.stdout);
      expect(out.complete).toBe(false);
      expect(out.documents.map((d: { id: string; state: string }) => `${d.id}:${d.state}`)).toEqual(['a:pending', 'b:succeeded']);
      expect(r.stderr).toMatch(new RegExp(`interrupted by ${sig}`));
      await e.close();
      emulator = undefined;
    }
  });
});

describe('kendra-status output formats', () => {
  it('table and markdown carry every document and the summary', async () => {
    await kendra({ 'a|b': indexed, c: [{ status: 'FAILED', failureReason: 'bad \u001b[31mred\u001b[0m input' }] });
    const t = await runCli([...base(), 'a|b', 'c', '-o', 'table']);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain('a|b');
    expect(t.stdout).toContain('bad red input');
    expect(t.stdout).not.toContain('\u001b');
    expect(t.stdout).toMatch(/2 documents: 1 succeeded, 1 failed \(outcome failed; 1 round, 1 request, /);
    const m = await runCli([...base(), 'a|b', 'c', '-o', 'markdown']);
    expect(m.stdout.split('\n').slice(0, 4)).toEqual([
      '| ID | STATUS | STATE | DETAIL |',
      '| --- | --- | --- | --- |',
      '| a\\|b | INDEXED | succeeded |  |',
      '| c | FAILED | failed | bad red input |',
    ]);
  });

  it('on a terminal: the spinner counts final documents, then the table (script(1) gives a pseudo-terminal)', async () => {
    await kendra({ a: processingThen(2), b: indexed });
    const cmd = `stty cols 120 rows 40; ${process.execPath} ${BIN} kendra-status --index-id ${INDEX} --endpoint-url ${emulator!.url} a b --wait --interval 150ms`;
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile('script', ['-qec', cmd, '/dev/null'], { env: { ...cliEnv({ NO_COLOR: '', CI: '' }), TERM: 'xterm' } }, (err, stdout) =>
        resolve({ code: err ? (err.code as number) : 0, out: stdout }),
      );
    });
    expect(code).toBe(0);
    expect(out).toContain('1/2 documents final');
    expect(out.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')).toMatch(/│ a +│ INDEXED +│ succeeded +│/);
    expect(out).toContain('\u001b[32m');
  });

  it('a terminal without a size gets no spinner, and the run still ends', async () => {
    await kendra({ a: processingThen(1) });
    const cmd = `${process.execPath} ${BIN} kendra-status --index-id ${INDEX} --endpoint-url ${emulator!.url} a --wait --interval 50ms -o json`;
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = execFile('script', ['-qec', cmd, '/dev/null'], { env: { ...cliEnv({ CI: '' }), TERM: 'xterm' }, timeout: 10_000, maxBuffer: 1 << 20 }, (err, stdout) =>
        resolve({ code: err ? (err.code as number) : 0, out: stdout }),
      );
      child.stdin?.end();
    });
    expect(code).toBe(0);
    expect(out).not.toContain('waiting for documents');
    expect(JSON.parse(out.replace(/\r/g, '')).outcome).toBe('succeeded');
  });

  it('--quiet prints nothing on stdout and keeps the exit code', async () => {
    await kendra({ a: [{ status: 'FAILED' }] });
    const r = await runCli([...base(), 'a', '-q']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
  });

  it('--verbose prints one stderr line per request, without secrets', async () => {
    await kendra({ a: indexed });
    const r = await runCli([...base(), 'a', '--verbose']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^POST ${emulator!.url}/ 200 \\d+ms$`));
  });
});

describe('-o ndjson: the last line of each document is its entry in the result', () => {
  it('a document given up after 3 answers that left it out: its last line says so, as -o json does', async () => {
    const e = await kendra({ a: [{ status: 'PROCESSING' }] }, { faults: [{ service: 'kendra', type: 'omit', rate: 1 }] });
    const args = [...base(), 'a', '--wait', '--interval', '10ms', '--timeout', '1m'];
    const nd = await runCli([...args, '-o', 'ndjson']);
    const json = await runCli([...args, '-o', 'json']);
    expect([nd.code, json.code]).toEqual([4, 4]);
    const lines = nd.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const given = { id: 'a', state: 'error', errorCode: 'MissingFromResponse', errorMessage: 'the service left this document out of 3 answers in a row: given up' };
    expect(JSON.parse(json.stdout).documents).toEqual([given]);
    // Before: one line, 'the service did not report this document', and none when poll() gave the document up.
    expect(lines.slice(0, -1).map(({ at: _at, ...d }) => d)).toEqual([{ type: 'document', id: 'a', state: 'error', errorCode: 'MissingFromResponse', errorMessage: 'the service did not report this document' }, { type: 'document', ...given }]);
    expect(lines.at(-1)).toMatchObject({ type: 'result', summary: { total: 1, error: 1 }, stats: { rounds: 3, requests: 3 } });
    expect(statusCalls(e)).toHaveLength(6);
  });
});
