import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { SECRETS } from '../helpers.js';

// The official client is CommonJS; require() gives the shape its type declarations describe.
type AzureDocumentTranslation = typeof import('@azure-rest/ai-translation-document', { with: { 'resolution-mode': 'require' } });
const { default: DocumentTranslationClient, isUnexpected, paginate } = createRequire(import.meta.url)('@azure-rest/ai-translation-document') as AzureDocumentTranslation;

// The emulator's Azure answers, checked against the services' published OpenAPI files (copies in test/fixtures/specs,
// whose README names their source).
const spec = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/specs/${name}`, import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
for (const f of ['int32', 'int64', 'float']) ajv.addFormat(f, true);
ajv.addSchema({ $id: 'v1.1', definitions: spec('azure-document-translation-v1.1.json').definitions });
ajv.addSchema({ $id: '2024-05-01', definitions: spec('azure-document-translation-2024-05-01.json').definitions });
ajv.addSchema({ $id: '2026-03-01', definitions: spec('azure-document-translation-2026-03-01.json').definitions });

const BATCH = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const uuid = (i: number) => `6fa459ea-ee8a-4ca4-894e-db77e160${String(i).padStart(4, '0')}`;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({
    translator: {
      key: SECRETS.azureKey,
      batches: {
        [BATCH]: {
          documents: Object.fromEntries(
            Array.from({ length: 12 }, (_, i) => [
              uuid(i),
              { to: 'es', timeline: [{ status: i % 4 === 0 ? 'Failed' : i % 4 === 1 ? 'Running' : i % 4 === 2 ? 'NotStarted' : 'Succeeded', failureReason: 'x' }] },
            ]),
          ),
        },
      },
    },
  });
});
afterAll(() => emulator.close());

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emulator.url}${path}`, { headers: { 'ocp-apim-subscription-key': SECRETS.azureKey } });
  return { status: res.status, body: await res.json() };
}

/** v1.0 has no copy here: its published file has v1.1's definitions of these answers, `required` lists included. */
function check(version: 'v1.0' | 'v1.1' | '2024-05-01' | '2026-03-01', definition: string, body: unknown): void {
  const validate = ajv.getSchema(`${version === 'v1.0' ? 'v1.1' : version}#/definitions/${definition}`)!;
  const ok = validate(body);
  expect(ok ? [] : validate.errors, `${version} ${definition}`).toEqual([]);
}

describe('emulator responses validate against the published OpenAPI', () => {
  it.each([
    ['v1.0', '/translator/text/batch/v1.0', '', '@nextLink'],
    ['v1.1', '/translator/text/batch/v1.1', '', '@nextLink'],
    ['2024-05-01', '/translator/document', '?api-version=2024-05-01', 'nextLink'],
    ['2026-03-01', '/translator/document', '?api-version=2026-03-01', 'nextLink'],
  ] as const)('%s: batch, document, document list pages and errors', async (version, base, q, link) => {
    const batch = await get(`${base}/batches/${BATCH}${q}`);
    expect(batch.status).toBe(200);
    check(version, 'TranslationStatus', batch.body);
    const doc = await get(`${base}/batches/${BATCH}/documents/${uuid(0)}${q}`);
    check(version, 'DocumentStatus', doc.body);
    const page = await get(`${base}/batches/${BATCH}/documents${q}${q ? '&' : '?'}$maxpagesize=5`);
    check(version, 'DocumentsStatus', page.body);
    const next = (page.body as Record<string, string>)[link]!;
    expect(next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    check(version, 'DocumentsStatus', (await get(new URL(next).pathname + new URL(next).search)).body);
    const missing = await get(`${base}/batches/00000000-0000-0000-0000-000000000000${q}`);
    expect(missing.status).toBe(404);
    check(version, version.startsWith('v') ? 'TranslationErrorResponse' : 'Azure.Core.Foundations.ErrorResponse', missing.body);
  });
});

describe('the official Azure client (@azure-rest/ai-translation-document, 2024-05-01) against the emulator', () => {
  it('lists every page, reads a document and the batch', async () => {
    const before = emulator.requests.length;
    const client = DocumentTranslationClient(emulator.url, { key: SECRETS.azureKey }, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    const first = await client.path('/document/batches/{id}/documents', BATCH).get({ queryParameters: { maxpagesize: 5 } });
    expect(isUnexpected(first)).toBe(false);
    const seen: string[] = [];
    for await (const item of paginate(client, first)) seen.push((item as { id: string }).id);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => uuid(11 - i)));
    const one = await client.path('/document/batches/{id}/documents/{documentId}', BATCH, uuid(3)).get();
    expect(isUnexpected(one)).toBe(false);
    expect(one.body).toMatchObject({ id: uuid(3), status: 'Succeeded', to: 'es' });
    const batch = await client.path('/document/batches/{id}', BATCH).get();
    expect(batch.body).toMatchObject({ id: BATCH, status: 'Running', summary: { total: 12, failed: 3, success: 3, inProgress: 3, notYetStarted: 3 } });
    // 3 pages, the document, the batch; every one with the key and the API version
    const requests = emulator.requests.slice(before);
    expect(requests.map((r) => r.op)).toEqual(['listDocuments', 'listDocuments', 'listDocuments', 'getDocument', 'getBatch']);
    for (const r of requests) {
      expect(r.url).toContain('api-version=2024-05-01');
      expect(r.headers['ocp-apim-subscription-key']).toBe(SECRETS.azureKey);
    }
  });
});

describe('the new official Azure client (@azure/ai-translation-document 1.0) against the emulator', () => {
  // The package declares Node >= 22; these tests run it on the machine's Node (20 here) and pass: it works there.
  it.each(['2026-03-01', '2024-05-01'] as const)('%s: lists every page (top, skip, maxpagesize, orderby as it names them), reads a document and the batch', async (apiVersion) => {
    const { DocumentTranslationClient: Client } = await import('@azure/ai-translation-document');
    const client = new Client(emulator.url, { key: SECRETS.azureKey }, { serviceVersion: apiVersion, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    const before = emulator.requests.length;
    const seen: string[] = [];
    for await (const doc of client.listDocumentStatuses(BATCH, { maxPageSize: 5, orderBy: ['createdDateTimeUtc asc'] })) seen.push(doc.id);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => uuid(i)));
    const few: string[] = [];
    for await (const doc of client.listDocumentStatuses(BATCH, { top: 3, skip: 2 })) few.push(doc.id);
    expect(few).toEqual([uuid(9), uuid(8), uuid(7)]);
    const one = await client.getDocumentStatus(BATCH, uuid(3));
    expect(one).toMatchObject({ id: uuid(3), status: 'Succeeded', to: 'es' });
    if (apiVersion === '2026-03-01') expect(one).toMatchObject({ totalImageScansSucceeded: 0, totalImageScansFailed: 0, imageCharged: 0 });
    const batch = await client.getTranslationStatus(BATCH);
    expect(batch).toMatchObject({ id: BATCH, status: 'Running', summary: { total: 12, failed: 3, success: 3, inProgress: 3, notYetStarted: 3 } });
    const requests = emulator.requests.slice(before);
    expect(requests.map((r) => r.op)).toEqual(['listDocuments', 'listDocuments', 'listDocuments', 'listDocuments', 'getDocument', 'getBatch']);
    expect(requests.map((r) => new URL(r.url, 'http://x').searchParams.get('api-version'))).toEqual(requests.map(() => apiVersion));
    // the client names the paging parameters without $ (the date-versioned definition)
    const first = new URL(requests[0]!.url, 'http://x').searchParams;
    expect([first.get('maxpagesize'), first.get('orderby'), first.has('$maxpagesize')]).toEqual(['5', 'createdDateTimeUtc asc', false]);
  });
});
