// Answers that fit their model but lie (issue 15 section 1, attacked again): each must end as `error` or be read
// correctly, never as `succeeded` wrongly. In process (main() with an in-memory Io) against a loopback server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { main } from '../../src/cli.js';
import { type AdHocServer, adHocServer, type SeenRequest } from '../ad-hoc-server.js';
import { azureBatch, azureSummary, DS, KB, memoryIo, SECRETS, testAwsProcessEnv } from '../helpers.js';

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000c1';
let handler: (req: SeenRequest, res: ServerResponse) => void = () => {};
let server: AdHocServer;
beforeAll(async () => {
  server = await adHocServer((req, res) => handler(req, res));
});
afterAll(async () => {
  await server.close();
});
const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function run(args: string[], env: Record<string, string> = {}) {
  const { io, stdout, stderr } = memoryIo({ env });
  const code = await main([...args.map((a) => (a === 'URL' ? server.url : a)), '-o', 'json'], io);
  return { code, out: JSON.parse(stdout()), err: stderr() };
}

describe('translate-status BATCH: a Succeeded batch whose summary disagrees is never a success', () => {
  const azEnv = { AZURE_TRANSLATOR_KEY: SECRETS.azureKey };
  it.each([
    ['total: 0', azureSummary(), '0 succeeded of 0 documents, 0 in progress, 0 not yet started'],
    ['success 3 of 5, 2 in progress', azureSummary({ total: 5, success: 3, inProgress: 2 }), '3 succeeded of 5 documents, 2 in progress, 0 not yet started'],
    ['success 3 of 5, 2 not yet started', azureSummary({ total: 5, success: 3, notYetStarted: 2 }), '3 succeeded of 5 documents, 0 in progress, 2 not yet started'],
    ['success 5, total 3', azureSummary({ total: 3, success: 5 }), '5 succeeded of 3 documents, 0 in progress, 0 not yet started'],
    ['success 3 of 3, 1 in progress', azureSummary({ total: 3, success: 3, inProgress: 1 }), '3 succeeded of 3 documents, 1 in progress, 0 not yet started'],
  ])('%s: MalformedResponse, exit 4, its status not counted', async (_what, summary, counts) => {
    handler = (_req, res) => json(res, 200, azureBatch({ id: BATCH, status: 'Succeeded', summary }));
    const r = await run(['translate-status', BATCH, '--endpoint', 'URL'], azEnv);
    expect(r.code).toBe(4);
    const errorMessage = `the batch is Succeeded but its summary disagrees: ${counts}`;
    expect(r.out.documents).toEqual([{ id: BATCH, state: 'error', errorCode: 'MalformedResponse', errorMessage, batchSummary: summary }]);
    expect(r.out.summary).toEqual({ total: 1, succeeded: 0, failed: 0, pending: 0, error: 1, byStatus: {} });
    expect(r.err).toBe(`docstatus: document ${BATCH} could not be read: MalformedResponse: ${errorMessage}\n`);
  });

  it('success 3 of 3: a success; failed 1 with success 2 of 3: failed (exit 1), as before', async () => {
    handler = (_req, res) => json(res, 200, azureBatch({ id: BATCH, status: 'Succeeded', summary: azureSummary({ total: 3, success: 3 }) }));
    expect((await run(['translate-status', BATCH, '--endpoint', 'URL'], azEnv)).code).toBe(0);
    handler = (_req, res) => json(res, 200, azureBatch({ id: BATCH, status: 'Succeeded', summary: azureSummary({ total: 3, success: 2, failed: 1 }) }));
    const r = await run(['translate-status', BATCH, '--endpoint', 'URL'], azEnv);
    expect(r.code).toBe(1);
    expect(r.out.documents[0]).toMatchObject({ status: 'Succeeded', state: 'failed', failureReason: '1 failed and 0 cancelled of 3 documents' });
  });
});

describe('kb-status --all --until deleted: a listing that names only documents of another knowledge base is not "none left"', () => {
  const foreign = (kb: string, ds: string) => ({ knowledgeBaseId: kb, dataSourceId: ds, status: 'INDEXED', identifier: { dataSourceType: 'CUSTOM', custom: { id: 'theirs' } } });
  const args = ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', 'URL', '--region', 'eu-west-1', '--all', '--until', 'deleted'];
  testAwsProcessEnv();

  it.each([
    ['another knowledge base', foreign('KBOTHER0001', DS)],
    ['another data source', foreign(KB, 'DSOTHER0001')],
  ])('%s: MalformedResponse, exit 4 (it was success, exit 0)', async (_what, entry) => {
    handler = (_req, res) => json(res, 200, { documentDetails: [entry] });
    const r = await run(args);
    expect(r.code).toBe(4);
    expect(r.out).toMatchObject({ outcome: 'error', complete: false, documents: [] });
    const message = 'the document list named only documents of another knowledge base or data source (1 entry): it is not the list of this data source';
    expect(r.out.errors).toEqual([{ code: 'MalformedResponse', message }]);
    expect(r.err).toBe(`docstatus: MalformedResponse: ${message}\n`);
  });

  it('an empty list is still "none left" (exit 0); one of its own documents among foreign ones is read as usual', async () => {
    handler = (_req, res) => json(res, 200, { documentDetails: [] });
    expect((await run(args)).code).toBe(0);
    handler = (_req, res) => json(res, 200, { documentDetails: [foreign('KBOTHER0001', DS), { ...foreign(KB, DS), status: 'DELETING', identifier: { dataSourceType: 'CUSTOM', custom: { id: 'ours' } } }] });
    const r = await run(args);
    expect(r.code).toBe(3);
    expect(r.out.documents).toEqual([{ id: 'ours', status: 'DELETING', state: 'pending' }]);
  });
});

describe('the emulator never calls a batch with no document Succeeded (docstatus would read that as a lie)', () => {
  it('translate-status BATCH of an empty batch: ValidationFailed, failed (exit 1)', async () => {
    const { startEmulator } = await import('../../src/emulator/server.js');
    const e = await startEmulator({ translator: { batches: { [BATCH]: { documents: {} } } } });
    try {
      const { io, stdout } = memoryIo({ env: { AZURE_TRANSLATOR_KEY: SECRETS.azureKey } });
      expect(await main(['translate-status', BATCH, '--endpoint', e.url, '-o', 'json'], io)).toBe(1);
      expect(JSON.parse(stdout()).documents[0]).toMatchObject({ id: BATCH, status: 'ValidationFailed', state: 'failed', batchSummary: { total: 0 } });
    } finally {
      await e.close();
    }
  });
});
