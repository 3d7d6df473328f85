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
