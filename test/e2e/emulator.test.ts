import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { BatchDeleteDocumentCommand, BatchGetDocumentStatusCommand, BatchPutDocumentCommand, KendraClient } from '@aws-sdk/client-kendra';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { BIN, cliEnv, INDEX, runCli, SECRETS, tempFile } from '../helpers.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const client = (url: string) =>
  new KendraClient({
    endpoint: url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: SECRETS.awsAccessKeyId, secretAccessKey: SECRETS.awsSecret },
  });

describe('the emulator, Kendra side, through the real AWS SDK', () => {
  it('BatchPutDocument documents go PROCESSING, then INDEXED or FAILED; kendra-status --wait sees it', async () => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { processing: '150ms', deleting: '150ms', failing: ['broken.pdf'] } } } });
    const kendra = client(emulator.url);
    const put = await kendra.send(
      new BatchPutDocumentCommand({
        IndexId: INDEX,
        Documents: [
          { Id: 'good.pdf', Blob: new TextEncoder().encode('hello') },
          { Id: 'broken.pdf', Blob: new TextEncoder().encode('x') },
        ],
      }),
    );
    expect(put.FailedDocuments).toEqual([]);
    const now = await kendra.send(new BatchGetDocumentStatusCommand({ IndexId: INDEX, DocumentInfoList: [{ DocumentId: 'good.pdf' }] }));
    expect(now.DocumentStatusList).toEqual([{ DocumentId: 'good.pdf', DocumentStatus: 'PROCESSING' }]);
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, 'good.pdf', 'broken.pdf', '--wait', '--interval', '50ms']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).documents.map((d: { status: string }) => d.status)).toEqual(['INDEXED', 'FAILED']);

    await kendra.send(new BatchDeleteDocumentCommand({ IndexId: INDEX, DocumentIdList: ['good.pdf'] }));
    const d = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, 'good.pdf', '--until', 'deleted', '--wait', '--interval', '50ms']);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout).documents).toEqual([{ id: 'good.pdf', status: 'NOT_FOUND', state: 'succeeded' }]);
  });

  it('answers with typed errors: ValidationException, ResourceNotFoundException', async () => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: {} } } });
    const kendra = client(emulator.url);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ DocumentId: `d${i}` }));
    await expect(kendra.send(new BatchGetDocumentStatusCommand({ IndexId: INDEX, DocumentInfoList: eleven }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      kendra.send(new BatchGetDocumentStatusCommand({ IndexId: 'x'.repeat(36), DocumentInfoList: [{ DocumentId: 'a' }] })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: `Index ${'x'.repeat(36)} does not exist.` });
    await expect(kendra.send(new BatchGetDocumentStatusCommand({ IndexId: 'short', DocumentInfoList: [{ DocumentId: 'a' }] }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('refuses unsigned requests as AWS does', async () => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: {} } } });
    const res = await fetch(emulator.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSKendraFrontendService.BatchGetDocumentStatus', 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ IndexId: INDEX, DocumentInfoList: [{ DocumentId: 'a' }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
  });
});

const awsCli = (() => {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('the emulator and the AWS CLI', () => {
  // Debian's awscli package; skipped (and shown as skipped) on a machine without it.
  it.skipIf(!awsCli)('aws kendra batch-put-document and batch-get-document-status work against it', async () => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { processing: '10s' } } } });
    const env = { ...cliEnv(), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    // Asynchronous: the emulator answers from this same process.
    const aws = async (...args: string[]) =>
      JSON.parse((await promisify(execFile)('aws', ['kendra', ...args, '--endpoint-url', emulator!.url, '--index-id', INDEX, '--output', 'json'], { env })).stdout);
    expect((await aws('batch-put-document', '--documents', '[{"Id":"cli.txt","Blob":"aGVsbG8=","ContentType":"PLAIN_TEXT"}]')).FailedDocuments).toEqual([]);
    expect((await aws('batch-get-document-status', '--document-info-list', 'DocumentId=cli.txt', 'DocumentId=other')).DocumentStatusList).toEqual([
      { DocumentId: 'cli.txt', DocumentStatus: 'PROCESSING' },
      { DocumentId: 'other', DocumentStatus: 'NOT_FOUND' },
    ]);
  });
});

describe('docstatus emulate', () => {
  it('prints its base URL, serves the scenario, and stops cleanly on SIGTERM', async () => {
    const scenario = tempFile('s.json', JSON.stringify({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'UPDATED' }] } } } } }));
    const child = spawn(process.execPath, [BIN, 'emulate', '--port', '0', '--scenario', scenario], { env: cliEnv() });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const url = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', url, 'a']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents).toEqual([{ id: 'a', status: 'UPDATED', state: 'succeeded' }]);
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toContain(`emulator listening on ${url}`);
  });

  it('exits 0 within 2 s of SIGTERM while a request stalls for 30 s', async () => {
    const scenario = tempFile('stall.json', JSON.stringify({ translator: { batches: { [BATCH]: {} } }, faults: [{ type: 'stall', ms: '30s' }] }));
    const child = spawn(process.execPath, [BIN, 'emulate', '--port', '0', '--scenario', scenario], { env: cliEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const url = await new Promise<string>((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
    const stalled = fetch(`${url}/translator/text/batch/v1.1/batches/${BATCH}`).catch((err: Error) => err.name);
    await until(async () => (await stats(url)).byStatus['-1'] === 1);
    const started = Date.now();
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    const ended = await exit;
    clearTimeout(killer);
    expect(ended).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await stalled).toBe('TypeError');
  });
});

const BATCH = '0c1d2e3f-0000-4000-8000-0000000000b1';
const stats = async (url: string) => (await fetch(`${url}/_emulator/stats`)).json() as Promise<{ requests: number; byOp: Record<string, number>; byStatus: Record<string, number> }>;
const sorted = (o: Record<string, number>) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));

/** Polls until the check holds (at most 5 s). */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + 5000; !(await check()); ) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the emulator holds no resources it does not need', () => {
  it('with log: false, /_emulator/stats counts every request by operation and status, and wire names like "constructor" are just names', async () => {
    emulator = await startEmulator(
      {
        kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } },
        translator: { batches: { [BATCH]: { documents: { d: { timeline: [{ status: 'Succeeded' }] } } } } },
        faults: [{ service: 'kendra', type: 'throttle', requests: [2] }],
      },
      { log: false },
    );
    const { url } = emulator;
    const kendra = client(url);
    const ask = () => kendra.send(new BatchGetDocumentStatusCommand({ IndexId: INDEX, DocumentInfoList: [{ DocumentId: 'a' }] }));
    expect((await ask()).DocumentStatusList).toEqual([{ DocumentId: 'a', DocumentStatus: 'INDEXED' }]);
    await expect(ask()).rejects.toMatchObject({ name: 'ThrottlingException' });
    for (const op of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await fetch(url, { method: 'POST', headers: { 'x-amz-target': `AWSKendraFrontendService.${op}` }, body: '{}' });
      expect(res.status).toBe(400);
    }
    expect((await fetch(`${url}/translator/document/batches/${BATCH}?api-version=2024-05-01`)).status).toBe(200);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);

    const seen = await stats(url);
    expect(seen.requests).toBe(8);
    expect(sorted(seen.byOp)).toEqual([
      ['BatchGetDocumentStatus', 2],
      ['__proto__', 1],
      ['constructor', 1],
      ['getBatch', 1],
      ['hasOwnProperty', 1],
      ['other', 1],
      ['toString', 1],
    ]);
    expect(sorted(seen.byStatus)).toEqual([
      ['200', 2],
      ['400', 5],
      ['404', 1],
    ]);
    expect(emulator.requests).toEqual([]);

    expect((await fetch(`${url}/_emulator/reset`, { method: 'POST' })).status).toBe(204);
    expect(await stats(url)).toMatchObject({ requests: 0, byOp: {}, byStatus: {} });
  });

  it('counts a request under status 0 while it waits out its latency, and -1 while it stalls', async () => {
    emulator = await startEmulator({
      translator: { batches: { [BATCH]: {} } },
      faults: [
        { service: 'translator', type: 'latency', ms: '30s', requests: [1] },
        { service: 'translator', type: 'stall', ms: '30s', requests: [2] },
      ],
    });
    const { url } = emulator;
    const slow = fetch(`${url}/translator/text/batch/v1.1/batches/${BATCH}`).catch((err: Error) => err.name);
    const stalled = fetch(`${url}/translator/text/batch/v1.1/batches/${BATCH}`).catch((err: Error) => err.name);
    await until(async () => (await stats(url)).requests === 2);
    expect(await stats(url)).toMatchObject({ requests: 2, byOp: { getBatch: 2 }, byStatus: { 0: 1, [-1]: 1 } });

    // close() ends both waits at once (neither 30 s timer is left behind) and drops both connections
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const withWaits = timers();
    const started = Date.now();
    await emulator.close();
    emulator = undefined;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await slow).toBe('TypeError');
    expect(await stalled).toBe('TypeError');
    expect(timers()).toBeLessThanOrEqual(withWaits - 2);
  });
  it('ends a stall when its client gives up (its timer goes with it)', async () => {
    emulator = await startEmulator({ translator: { batches: { [BATCH]: {} } }, faults: [{ type: 'stall', ms: '30s' }] });
    const e = emulator;
    const gaveUp = await fetch(`${e.url}/translator/text/batch/v1.1/batches/${BATCH}`, { signal: AbortSignal.timeout(200) }).catch((err: Error) => err.name);
    expect(gaveUp).toBe('TimeoutError');
    await until(async () => e.requests[0]?.end !== undefined);
    expect(e.requests[0]!.end! - e.requests[0]!.at).toBeLessThan(2000);
  });
});

describe('the emulator, Azure side', () => {
  it('forgets the oldest of more than 1,000 listings abandoned midway (a client that stops paging)', async () => {
    emulator = await startEmulator({ translator: { batches: { [BATCH]: { documents: { a: { timeline: [] }, b: { timeline: [] } } } } } }, { log: false });
    const page = `${emulator.url}/translator/text/batch/v1.1/batches/${BATCH}/documents?$maxpagesize=1`;
    for (let i = 0; i < 1100; i++) expect((await fetch(page)).status).toBe(200);
    // the documents each open listing showed, held until its last page (private: no request can observe the size)
    const open = (emulator.services.get('translator') as unknown as { translator: { deferred: Map<string, unknown> } }).translator.deferred;
    expect(open.size).toBe(1000);
  });
});

describe('docstatus demo', () => {
  it('waits for the built-in scenario and prints the final table', async () => {
    const r = await runCli(['demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^┌/);
    expect(r.stdout).toContain('handbook/chapter-07.pdf │ FAILED');
    expect(r.stdout).toMatch(/25 documents: 23 succeeded, 2 failed \(outcome failed; \d+ rounds, \d+ requests/);
    expect(r.stderr).toContain('kendra-status exited 1');
    expect(r.stdout).toMatch(/│ ID +│ STATUS +│ PROGRESS │ TO │ CHARS │ REASON/);
    expect(r.stdout).toMatch(/30 documents: 29 succeeded, 1 failed \(outcome failed; \d+ rounds, \d+ requests/);
    expect(r.stdout).toContain('The document is password protected.');
  });
});
