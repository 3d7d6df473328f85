import {
  AccessDeniedException,
  BedrockAgentClient,
  DeleteKnowledgeBaseDocumentsCommand,
  GetKnowledgeBaseDocumentsCommand,
  IngestKnowledgeBaseDocumentsCommand,
  type KnowledgeBaseDocumentDetail,
  ListKnowledgeBaseDocumentsCommand,
  paginateListKnowledgeBaseDocuments,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-agent';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import type { Scenario } from '../../src/emulator/scenario.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { DS, KB, SECRETS } from '../helpers.js';

// The Bedrock part of the emulator, checked with the real @aws-sdk/client-bedrock-agent (in process, over loopback):
// the routes, status codes, bodies and errors that /work/bedrock-notes.md reads from the service model. The emulator's
// clock is a hand-moved one, so timelines move exactly when a test says.

const S3DS = 'S3DATASRC1';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function handClock(start = Date.parse('2026-01-01T00:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, sleep: async () => {}, every: () => () => {}, advance: (ms) => void (now += ms) };
}

const client = (url: string) =>
  new BedrockAgentClient({ endpoint: url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: SECRETS.awsAccessKeyId, secretAccessKey: SECRETS.awsSecret } });

async function start(scenario: Scenario, clock = handClock()) {
  emulator = await startEmulator(scenario, { clock });
  return { e: emulator, clock, kb: client(emulator.url) };
}

const custom = (id: string) => ({ dataSourceType: 'CUSTOM' as const, custom: { id } });
const s3 = (uri: string) => ({ dataSourceType: 'S3' as const, s3: { uri } });
const inline = (id: string) => ({
  content: { dataSourceType: 'CUSTOM' as const, custom: { customDocumentIdentifier: { id }, sourceType: 'IN_LINE' as const, inlineContent: { type: 'TEXT' as const, textContent: { data: `text of ${id}` } } } },
});
/** What a test compares of a detail: the SDK's parse of it, updatedAt as the Date it must be. */
const brief = (d: KnowledgeBaseDocumentDetail) => ({
  key: d.identifier?.custom?.id ?? d.identifier?.s3?.uri,
  status: d.status,
  ...(d.statusReason && { statusReason: d.statusReason }),
  kb: d.knowledgeBaseId,
  ds: d.dataSourceId,
  dated: d.updatedAt instanceof Date && !Number.isNaN(d.updatedAt.getTime()),
});

describe('the Bedrock emulator through the real BedrockAgentClient', () => {
  it('Ingest: 202 and STARTING; Get follows STARTING -> IN_PROGRESS -> INDEXED (FAILED with its reason for `failing`)', async () => {
    const { e, clock, kb } = await start({ 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { processing: 1000, failing: ['bad'] } } } } } });
    const put = await kb.send(new IngestKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documents: [inline('good'), inline('bad')] }));
    expect(put.$metadata.httpStatusCode).toBe(202);
    expect(put.documentDetails!.map(brief)).toEqual([
      { key: 'good', status: 'STARTING', kb: KB, ds: DS, dated: true },
      { key: 'bad', status: 'STARTING', kb: KB, ds: DS, dated: true },
    ]);
    const [ingest] = e.requests;
    expect({ method: ingest!.method, url: ingest!.url, op: ingest!.op, status: ingest!.status }).toEqual({
      method: 'PUT',
      url: `/knowledgebases/${KB}/datasources/${DS}/documents`,
      op: 'IngestKnowledgeBaseDocuments',
      status: 202,
    });
    // the SDK fills clientToken (an idempotency token) itself
    expect(String(ingest!.input!.clientToken)).toMatch(/^[0-9a-f-]{36}$/);

    const get = async () => (await kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [custom('good'), custom('bad'), custom('never')] }))).documentDetails!.map(brief);
    const row = (key: string, status: string, statusReason?: string) => ({ key, status, ...(statusReason && { statusReason }), kb: KB, ds: DS, dated: true });
    expect(await get()).toEqual([row('good', 'STARTING'), row('bad', 'STARTING'), row('never', 'NOT_FOUND')]);
    clock.advance(500);
    expect(await get()).toEqual([row('good', 'IN_PROGRESS'), row('bad', 'IN_PROGRESS'), row('never', 'NOT_FOUND')]);
    clock.advance(500);
    expect(await get()).toEqual([row('good', 'INDEXED'), row('bad', 'FAILED', 'The document could not be parsed.'), row('never', 'NOT_FOUND')]);
    const gets = e.requests.filter((r) => r.op === 'GetKnowledgeBaseDocuments');
    expect(gets.map((r) => [r.method, r.url, r.status])).toEqual(Array(3).fill(['POST', `/knowledgebases/${KB}/datasources/${DS}/documents/getDocuments`, 200]));
    expect(gets[0]!.ids).toEqual(['good', 'bad', 'never']);
  });

  it('updatedAt goes out as an RFC 3339 string (the SDK refuses epoch seconds for this member)', async () => {
    const { e } = await start({ 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents: { a: [{ status: 'INDEXED' }] } } } } } } });
    const res = await fetch(`${e.url}/knowledgebases/${KB}/datasources/${DS}/documents/getDocuments`, {
      method: 'POST',
      headers: { authorization: `AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00`, 'content-type': 'application/json' },
      body: JSON.stringify({ documentIdentifiers: [custom('a')] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { documentDetails: Array<{ updatedAt: unknown }> };
    expect(body.documentDetails[0]!.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  });

  it('List: pages of maxResults in creation order, nextToken in the body; the paginator reads every page; NOT_FOUND is not listed', async () => {
    const documents = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`d${i}`, [{ status: i === 3 ? 'IN_PROGRESS' : 'INDEXED' }]]));
    const { e, kb } = await start({ 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents: { ...documents, ghost: [{ status: 'NOT_FOUND' }] } } } } } } });
    const first = await kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, maxResults: 3 }));
    expect(first.documentDetails!.map((d) => d.identifier!.custom!.id)).toEqual(['d0', 'd1', 'd2']);
    expect(typeof first.nextToken).toBe('string');
    const second = await kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, maxResults: 3, nextToken: first.nextToken }));
    expect(second.documentDetails!.map(brief)).toEqual([
      { key: 'd3', status: 'IN_PROGRESS', kb: KB, ds: DS, dated: true },
      { key: 'd4', status: 'INDEXED', kb: KB, ds: DS, dated: true },
      { key: 'd5', status: 'INDEXED', kb: KB, ds: DS, dated: true },
    ]);
    const third = await kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, maxResults: 3, nextToken: second.nextToken }));
    expect(third.documentDetails!.map((d) => d.identifier!.custom!.id)).toEqual(['d6']);
    expect(third.nextToken).toBeUndefined();
    // the route and the body the SDK sent
    const lists = e.requests.filter((r) => r.op === 'ListKnowledgeBaseDocuments');
    expect(lists.map((r) => [r.method, r.url, r.status])).toEqual(Array(3).fill(['POST', `/knowledgebases/${KB}/datasources/${DS}/documents`, 200]));
    expect(lists[0]!.input).toEqual({ maxResults: 3 });
    expect(lists[1]!.input).toEqual({ maxResults: 3, nextToken: first.nextToken });

    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListKnowledgeBaseDocuments({ client: kb, pageSize: 2 }, { knowledgeBaseId: KB, dataSourceId: DS })) {
      pages++;
      for (const d of page.documentDetails ?? []) keys.push(d.identifier!.custom!.id!);
    }
    expect({ pages, keys }).toEqual({ pages: 4, keys: ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6'] });
    // no maxResults: the emulator's default page (100) holds them all, and no nextToken is sent back
    const all = await kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS }));
    expect({ n: all.documentDetails!.length, next: all.nextToken }).toEqual({ n: 7, next: undefined });
  });

  it('a document that leaves the list between two pages does not make the next page skip one (the nextToken is a cursor)', async () => {
    const documents = Object.fromEntries(['d0', 'd1', 'd2', 'd3', 'd4'].map((id) => [id, [{ status: 'INDEXED' }]]));
    const { clock, kb } = await start({ 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { deleting: 1000, documents } } } } } });
    const page = async (nextToken?: string) => {
      const out = await kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, maxResults: 2, nextToken }));
      return { keys: out.documentDetails!.map((d) => d.identifier!.custom!.id), next: out.nextToken };
    };
    const first = await page();
    expect(first.keys).toEqual(['d0', 'd1']);
    await kb.send(new DeleteKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [custom('d0')] }));
    clock.advance(1000);
    const second = await page(first.next);
    expect(second.keys).toEqual(['d2', 'd3']);
    expect(await page(second.next)).toEqual({ keys: ['d4'], next: undefined });
    // a page that ends exactly at the end of the list carries no nextToken
    const exact = await kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, maxResults: 4 }));
    expect({ n: exact.documentDetails!.length, next: exact.nextToken }).toEqual({ n: 4, next: undefined });
  });

  it('a listing shows a document, so it counts as asking about it (afterPolls), as Get does', async () => {
    const { kb } = await start({ 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents: { a: [{ status: 'IN_PROGRESS' }, { afterPolls: 2, status: 'INDEXED' }] } } } } } } });
    const listed = async () => (await kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS }))).documentDetails!.map((d) => d.status);
    expect(await listed()).toEqual(['IN_PROGRESS']);
    const got = await kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [custom('a')] }));
    expect(got.documentDetails!.map((d) => d.status)).toEqual(['IN_PROGRESS']);
    expect(await listed()).toEqual(['INDEXED']);
  });

  it('Delete: 202 and DELETING, then DELETE_IN_PROGRESS, then NOT_FOUND, and gone from the list', async () => {
    const { e, clock, kb } = await start({ 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { deleting: 1000, documents: { a: [{ status: 'INDEXED' }], b: [{ status: 'INDEXED' }] } } } } } } });
    const del = await kb.send(new DeleteKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [custom('a')] }));
    expect(del.$metadata.httpStatusCode).toBe(202);
    expect(del.documentDetails!.map(brief)).toEqual([{ key: 'a', status: 'DELETING', kb: KB, ds: DS, dated: true }]);
    const last = e.requests.at(-1)!;
    expect([last.method, last.url, last.op]).toEqual(['POST', `/knowledgebases/${KB}/datasources/${DS}/documents/deleteDocuments`, 'DeleteKnowledgeBaseDocuments']);
    const status = async () => (await kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [custom('a'), custom('b')] }))).documentDetails!.map((d) => d.status);
    const listed = async () => (await kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS }))).documentDetails!.map((d) => `${d.identifier!.custom!.id}:${d.status}`);
    expect(await status()).toEqual(['DELETING', 'INDEXED']);
    expect(await listed()).toEqual(['a:DELETING', 'b:INDEXED']);
    clock.advance(500);
    expect(await status()).toEqual(['DELETE_IN_PROGRESS', 'INDEXED']);
    clock.advance(500);
    expect(await status()).toEqual(['NOT_FOUND', 'INDEXED']);
    expect(await listed()).toEqual(['b:INDEXED']);
  });

  it('an S3 data source: documents named by s3:// URI, in and out', async () => {
    const { clock, kb } = await start({ 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [S3DS]: { type: 'S3', processing: 100, documents: { 's3://bucket/old.pdf': [{ status: 'IGNORED', failureReason: 'unsupported file type' }] } } } } } } });
    const put = await kb.send(
      new IngestKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: S3DS, documents: [{ content: { dataSourceType: 'S3', s3: { s3Location: { uri: 's3://bucket/new.pdf' } } } }] }),
    );
    expect(put.documentDetails!.map((d) => d.identifier)).toEqual([s3('s3://bucket/new.pdf')]);
    clock.advance(100);
    const got = await kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: S3DS, documentIdentifiers: [s3('s3://bucket/new.pdf'), s3('s3://bucket/old.pdf')] }));
    expect(got.documentDetails!.map(brief)).toEqual([
      { key: 's3://bucket/new.pdf', status: 'INDEXED', kb: KB, ds: S3DS, dated: true },
      { key: 's3://bucket/old.pdf', status: 'IGNORED', statusReason: 'unsupported file type', kb: KB, ds: S3DS, dated: true },
    ]);
    expect(got.documentDetails![0]!.identifier).toEqual(s3('s3://bucket/new.pdf'));
    const list = await kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: S3DS }));
    expect(list.documentDetails!.map((d) => d.identifier)).toEqual([s3('s3://bucket/old.pdf'), s3('s3://bucket/new.pdf')]);
  });
});

describe('the Bedrock emulator refuses what the service refuses, as the SDK\'s typed exceptions', () => {
  const scenario: Scenario = { 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: {}, [S3DS]: { type: 'S3' } } } } } };

  it('an unknown knowledge base or data source: ResourceNotFoundException (404)', async () => {
    const { kb } = await start(scenario);
    for (const [k, d] of [
      ['KBUNKNOWN0', DS],
      [KB, 'DSUNKNOWN0'],
    ]) {
      const err = await kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: k, dataSourceId: d, documentIdentifiers: [custom('a')] })).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(ResourceNotFoundException);
      expect(err).toMatchObject({ name: 'ResourceNotFoundException', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: `Data source ${d} of knowledge base ${k} was not found.` });
      await expect(kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: k, dataSourceId: d }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    }
  });

  it('ValidationException (400) with its fieldList: more than 10 identifiers, none, bad IDs, a bad s3 URI, maxResults, nextToken, the other type', async () => {
    const { kb } = await start(scenario);
    const refused = async (send: () => Promise<unknown>) => {
      const err = await send().catch((x: unknown) => x);
      expect(err).toBeInstanceOf(ValidationException);
      expect(err).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400 } });
      return (err as ValidationException).fieldList!.map((f) => f.name);
    };
    const eleven = Array.from({ length: 11 }, (_, i) => custom(`d${i}`));
    expect(await refused(() => kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: eleven })))).toEqual(['documentIdentifiers']);
    expect(await refused(() => kb.send(new DeleteKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: eleven })))).toEqual(['documentIdentifiers']);
    expect(await refused(() => kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [] })))).toEqual(['documentIdentifiers']);
    expect(await refused(() => kb.send(new IngestKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documents: Array.from({ length: 11 }, (_, i) => inline(`d${i}`)) })))).toEqual(['documents']);
    expect(await refused(() => kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: 'bad id!', dataSourceId: DS, documentIdentifiers: [custom('a')] })))).toEqual(['knowledgeBaseId']);
    expect(await refused(() => kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: 'KB1234567', dataSourceId: DS, documentIdentifiers: [custom('a')] })))).toEqual(['knowledgeBaseId']);
    expect(await refused(() => kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: 'DS12345678X' })))).toEqual(['dataSourceId']);
    expect(await refused(() => kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [custom('x'.repeat(2049))] })))).toEqual(['documentIdentifiers[0].custom.id']);
    expect(await refused(() => kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: S3DS, documentIdentifiers: [s3('s3://b/ok'), s3('https://b/x')] })))).toEqual(['documentIdentifiers[1].s3.uri']);
    expect(await refused(() => kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: S3DS, documentIdentifiers: [s3(`s3://${'x'.repeat(129)}`)] })))).toEqual(['documentIdentifiers[0].s3.uri']);
    expect(await refused(() => kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: S3DS, documentIdentifiers: [custom('a')] })))).toEqual(['documentIdentifiers[0].dataSourceType']);
    // the model's pattern is ECMA 262 without flags: its . is no line break
    expect(await refused(() => kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: S3DS, documentIdentifiers: [s3('s3://b/a\nb')] })))).toEqual(['documentIdentifiers[0].s3.uri']);
    expect(await refused(() => kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, maxResults: 1001 })))).toEqual(['maxResults']);
    expect(await refused(() => kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, maxResults: 0 })))).toEqual(['maxResults']);
    expect(await refused(() => kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, nextToken: 'has space' })))).toEqual(['nextToken']);
  });

  it('lengths count code points, as Smithy does: 2048 emoji are a valid custom ID, 128 after s3:// a valid URI', async () => {
    const { kb } = await start(scenario);
    const got = await kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [custom('😀'.repeat(2048))] }));
    expect(got.documentDetails!.map((d) => d.status)).toEqual(['NOT_FOUND']);
    const uri = await kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: S3DS, documentIdentifiers: [s3(`s3://${'😀'.repeat(128)}`)] }));
    expect(uri.documentDetails!.map((d) => d.status)).toEqual(['NOT_FOUND']);
  });

  it('a path label with a malformed %-escape is a ValidationException, not a 500', async () => {
    const { e } = await start(scenario);
    const res = await fetch(`${e.url}/knowledgebases/KB%E0%A4%A/datasources/${DS}/documents/getDocuments`, {
      method: 'POST',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00', 'content-type': 'application/json' },
      body: JSON.stringify({ documentIdentifiers: [custom('a')] }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(((await res.json()) as { fieldList: Array<{ name: string }> }).fieldList.map((f) => f.name)).toEqual(['knowledgeBaseId']);
  });

  it('a throttle fault is a ThrottlingException (429) with its Retry-After; an error fault an InternalServerException', async () => {
    const { kb } = await start({ ...scenario, faults: [{ service: 'bedrock-kb', type: 'throttle', requests: [1], retryAfter: 3 }, { service: 'bedrock-kb', type: 'error', requests: [2], status: 503 }] });
    const throttled = await kb.send(new ListKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS })).catch((x: unknown) => x);
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect(throttled).toMatchObject({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 }, $response: { headers: { 'retry-after': '3' } } });
    await expect(kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [custom('a')] }))).rejects.toMatchObject({
      name: 'InternalServerException',
      $fault: 'server',
      $metadata: { httpStatusCode: 503 },
    });
    const ok = await kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [custom('a')] }));
    expect(ok.documentDetails!.map((d) => d.status)).toEqual(['NOT_FOUND']);
  });

  it('an unsigned request, or one signed for another service, is refused (403 AccessDeniedException)', async () => {
    const { e, kb } = await start(scenario);
    const url = `${e.url}/knowledgebases/${KB}/datasources/${DS}/documents/getDocuments`;
    const body = JSON.stringify({ documentIdentifiers: [custom('a')] });
    for (const authorization of [undefined, 'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/bedrock-agent/aws4_request, SignedHeaders=host, Signature=00']) {
      const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(authorization && { authorization }) } });
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    }
    // the SDK signs with the model's signing name, bedrock: accepted; and it reads the 403 as its typed exception
    await expect(kb.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [custom('a')] }))).resolves.toBeDefined();
    const signed = e.requests.at(-1)!;
    expect(String(signed.headers.authorization)).toMatch(/Credential=AKIATESTSECRETKEY123\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    const anonymous = new BedrockAgentClient({ endpoint: e.url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: '', secretAccessKey: '' }, signer: { sign: async (r) => r } });
    await expect(anonymous.send(new GetKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [custom('a')] }))).rejects.toBeInstanceOf(AccessDeniedException);
  });
});
