import type { ServerResponse } from 'node:http';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { MISSES_TO_GIVE_UP } from '../../src/core/outcome.js';
import type { Fault, Scenario, Step } from '../../src/emulator/scenario.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { type AdHocServer, adHocServer, type SeenRequest } from '../ad-hoc-server.js';
import { DS, KB, runCli } from '../helpers.js';
import { propertyParams } from '../property.js';

// kb-status against faults: the emulator's fault plan, and small ad-hoc servers for answers the emulator never gives.


let emulator: Emulator | undefined;
let server: AdHocServer | undefined;
afterEach(async () => {
  await emulator?.close();
  await server?.close();
  emulator = undefined;
  server = undefined;
});

const IDS = Array.from({ length: 25 }, (_, i) => `doc-${i}`);
const lines = (stderr: string) => stderr.split('\n').filter(Boolean);
const gets = (e: Emulator) => e.requests.filter((r) => r.op === 'GetKnowledgeBaseDocuments');
const lists = (e: Emulator) => e.requests.filter((r) => r.op === 'ListKnowledgeBaseDocuments');
const kbArgs = (url: string, ...rest: string[]) => ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', url, ...rest];

async function kb(documents: Record<string, Step[]>, faults: Fault[] = [], extra: { seed?: number; rateLimit?: Scenario['rateLimit'] } = {}) {
  emulator = await startEmulator({ ...extra, 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents } } } } }, faults });
  return emulator;
}
const all = (status: string) => Object.fromEntries(IDS.map((id) => [id, [{ status }]]));

/** A restJson1 answer as Bedrock gives it: the body as JSON, an error's type in x-amzn-errortype. */
function reply(res: ServerResponse, status: number, body: unknown, type?: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'test', ...(type && { 'x-amzn-errortype': type }) });
  res.end(JSON.stringify(body));
}
/** The identifiers a Get asked about, as the ad-hoc server read them. */
const asked = (req: SeenRequest): string[] => (JSON.parse(req.body).documentIdentifiers as Array<{ custom: { id: string } }>).map((d) => d.custom.id);
const detail = (id: string, status: unknown, more: Record<string, unknown> = {}) => ({
  knowledgeBaseId: KB,
  dataSourceId: DS,
  status,
  identifier: { dataSourceType: 'CUSTOM', custom: { id } },
  updatedAt: '2026-01-01T00:00:00Z',
  ...more,
});

describe('kb-status: a fault no request can get past ends the run at once (exit 4, one stderr line, one request)', () => {
  it.each([
    ['an unknown knowledge base', 'KBNOTTHERE', DS],
    ['an unknown data source', KB, 'DSNOTTHERE'],
  ])('%s (ResourceNotFoundException, 404): named IDs and --all, -q or not', async (_name, kbId, dsId) => {
    const e = await kb(all('INDEXED'));
    const message = `Data source ${dsId} of knowledge base ${kbId} was not found.`;
    const argv = ['kb-status', '--knowledge-base-id', kbId, '--data-source-id', dsId, '--endpoint-url', e.url];
    const r = await runCli([...argv, ...IDS, '--wait', '--interval', '10ms', '--concurrency', '1']);
    expect(r.code).toBe(4);
    expect(lines(r.stderr)).toEqual([`docstatus: ResourceNotFoundException: ${message}`]);
    const out = JSON.parse(r.stdout);
    expect(out.errors).toEqual([{ code: 'ResourceNotFoundException', message }]);
    expect(out).toMatchObject({ outcome: 'error', complete: false, stats: { rounds: 1, requests: 1 } });
    expect(out.documents).toEqual(IDS.map((id) => ({ id, state: 'error', errorCode: 'ResourceNotFoundException', errorMessage: message })));
    expect(e.requests).toHaveLength(1);
    // a few IDs at the default concurrency: still one request
    const q = await runCli([...argv, 'a', 'b', '--wait', '-q']);
    expect(q).toMatchObject({ code: 4, stdout: '' });
    expect(lines(q.stderr)).toEqual([`docstatus: ResourceNotFoundException: ${message}`]);
    const l = await runCli([...argv, '--all', '--wait', '--interval', '10ms']);
    expect(l.code).toBe(4);
    expect(lines(l.stderr)).toEqual([`docstatus: ResourceNotFoundException: ${message}`]);
    expect(JSON.parse(l.stdout)).toMatchObject({ outcome: 'error', complete: false, documents: [], errors: [{ code: 'ResourceNotFoundException', message }], stats: { rounds: 1, requests: 1 } });
    expect(e.requests.map((c) => c.op)).toEqual(['GetKnowledgeBaseDocuments', 'GetKnowledgeBaseDocuments', 'ListKnowledgeBaseDocuments']);
  });

  it.each([
    [403, 'AccessDeniedException', 'User: arn:aws:iam::1:user/ci is not authorized to perform: bedrock:GetKnowledgeBaseDocuments'],
    [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'],
    [403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.'],
    [403, 'ExpiredTokenException', 'The security token included in the request is expired'],
    [400, 'ValidationException', '1 validation error detected'],
  ])('%i %s: one request, one stderr line, -q or not, named or --all', async (status, type, message) => {
    server = await adHocServer((_req, res) => reply(res, status, { message }, type));
    for (const extra of [['-q'], ['-o', 'json'], ['--all', '-o', 'json']]) {
      const before = server.requests.length;
      const r = await runCli(kbArgs(server.url, ...(extra[0] === '--all' ? [] : IDS), '--wait', '--concurrency', '1', ...extra));
      expect(r.code).toBe(4);
      expect(lines(r.stderr)).toEqual([`docstatus: ${type}: ${message}`]);
      expect(server.requests.length - before).toBe(1);
      if (extra.includes('json')) expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'error', errors: [{ code: type, message }], stats: { requests: 1 } });
    }
  });

  it('a 403 with no error name (a proxy page) and a 404 with none (not this API): permanent too', async () => {
    server = await adHocServer((req, res) => {
      res.writeHead(req.url.includes('DSNOTFOUND') ? 404 : 403, { 'content-type': 'text/html' });
      res.end('<html><head><title>Forbidden by proxy</title></head></html>');
    });
    const r = await runCli(kbArgs(server.url, ...IDS, '--wait', '--concurrency', '1'));
    expect(r.code).toBe(4);
    expect(lines(r.stderr)).toEqual([`docstatus: HTTP403: HTTP 403 from ${server.host}: Forbidden by proxy`]);
    const n = await runCli(['kb-status', '--knowledge-base-id', KB, '--data-source-id', 'DSNOTFOUND', '--endpoint-url', server.url, 'a', '--wait']);
    expect(n.code).toBe(4);
    expect(lines(n.stderr)).toEqual([`docstatus: HTTP404: HTTP 404 from ${server.host}: Forbidden by proxy`]);
    expect(server.requests).toHaveLength(2);
  });
});

describe('kb-status: transient faults are retried, and nothing is lost', () => {
  it('throttling (429 ThrottlingException): Retry-After is obeyed, then the answer counts', async () => {
    const e = await kb({ a: [{ status: 'INDEXED' }] }, [{ service: 'bedrock-kb', type: 'throttle', requests: [1], retryAfter: 2 }]);
    const r = await runCli(kbArgs(e.url, 'a', '--verbose'));
    expect(r.code).toBe(0);
    const [first, second] = gets(e);
    expect([first!.status, second!.status]).toEqual([429, 200]);
    expect(second!.at - first!.end!).toBeGreaterThanOrEqual(2000);
    expect(JSON.parse(r.stdout).stats).toMatchObject({ rounds: 1, requests: 2 });
    expect(r.stderr).toContain('retry 1 in 2s: ThrottlingException (HTTP 429)');
  });

  it('5xx (InternalServerException, or a gateway page): retried with backoff', async () => {
    const e = await kb({ a: [{ status: 'INDEXED' }] }, [{ service: 'bedrock-kb', type: 'error', requests: [1, 2], status: 503 }]);
    const r = await runCli(kbArgs(e.url, 'a'));
    expect(r.code).toBe(0);
    expect(gets(e).map((c) => c.status)).toEqual([503, 503, 200]);
    expect(JSON.parse(r.stdout).stats.requests).toBe(3);
    server = await adHocServer((req, res, n) => {
      if (n === 1) {
        res.writeHead(502, { 'content-type': 'text/html' });
        return void res.end('<html><title>502 Bad Gateway</title></html>');
      }
      reply(res, 200, { documentDetails: asked(req).map((id) => detail(id, 'INDEXED')) });
    });
    const g = await runCli(kbArgs(server.url, 'a'));
    expect(g.code).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it('a service that stays down: every document in error with its message, within --timeout, exit 4', async () => {
    const e = await kb({}, [{ service: 'bedrock-kb', type: 'error' }]);
    const started = Date.now();
    const r = await runCli(kbArgs(e.url, 'a', 'b', '--wait', '--interval', '100ms', '--timeout', '1500ms'));
    expect(r.code).toBe(4);
    expect(Date.now() - started).toBeLessThan(1500 + 2500);
    expect(JSON.parse(r.stdout).documents).toEqual(
      ['a', 'b'].map((id) => ({ id, state: 'error', errorCode: 'InternalServerException', errorMessage: 'An internal server error occurred. Retry your request.' })),
    );
  });

  it('omit: the document left out is MissingFromResponse, asked again with --wait, given up after 3 answers in a row', async () => {
    const e = await kb({ a: [{ status: 'INDEXED' }], b: [{ status: 'INDEXED' }] }, [{ service: 'bedrock-kb', type: 'omit', requests: [1] }]);
    const once = await runCli(kbArgs(e.url, 'a', 'b'));
    expect(once.code).toBe(4);
    expect(JSON.parse(once.stdout).documents[1]).toEqual({ id: 'b', state: 'error', errorCode: 'MissingFromResponse', errorMessage: 'the service did not report this document' });
    expect(lines(once.stderr)).toEqual(['docstatus: document b could not be read: MissingFromResponse: the service did not report this document']);
    await e.close();
    const again = await kb({ a: [{ status: 'INDEXED' }], b: [{ status: 'INDEXED' }] }, [{ service: 'bedrock-kb', type: 'omit', requests: [1] }]);
    const w = await runCli(kbArgs(again.url, 'a', 'b', '--wait', '--interval', '10ms'));
    expect(w.code).toBe(0);
    expect(gets(again).map((c) => c.ids)).toEqual([['a', 'b'], ['b']]);
    await again.close();
    const always = await kb({ a: [{ status: 'INDEXED' }], b: [{ status: 'INDEXED' }] }, [{ service: 'bedrock-kb', type: 'omit' }]);
    const g = await runCli(kbArgs(always.url, 'a', 'b', '--wait', '--interval', '10ms'));
    expect(g.code).toBe(4);
    expect(JSON.parse(g.stdout).documents).toEqual([
      { id: 'a', status: 'INDEXED', state: 'succeeded', updatedAt: expect.any(String) },
      { id: 'b', state: 'error', errorCode: 'MissingFromResponse', errorMessage: `the service left this document out of ${MISSES_TO_GIVE_UP} answers in a row: given up` },
    ]);
    expect(gets(always)).toHaveLength(MISSES_TO_GIVE_UP);
  });

  it('extra: an answer about a document nobody asked for is ignored (noted with --verbose)', async () => {
    const e = await kb({ a: [{ status: 'INDEXED' }] }, [{ service: 'bedrock-kb', type: 'extra' }]);
    const r = await runCli(kbArgs(e.url, 'a', '--verbose'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual(['a']);
    expect(r.stderr).toContain('ignored an answer for a document that was not asked: not-asked-for');
  });

  it.each(['missing-fields', 'garbage', 'truncate'] as const)('%s: MalformedResponse (exit 4) in one pass, asked again with --wait', async (type) => {
    const e = await kb({ a: [{ status: 'INDEXED' }] }, [{ service: 'bedrock-kb', type, requests: [1] }]);
    const once = await runCli(kbArgs(e.url, 'a'));
    expect(once.code).toBe(4);
    expect(JSON.parse(once.stdout).documents[0]).toMatchObject({ id: 'a', state: 'error', errorCode: 'MalformedResponse' });
    expect(lines(once.stderr)).toHaveLength(1);
    expect(gets(e)).toHaveLength(1);
    await e.close();
    const again = await kb({ a: [{ status: 'INDEXED' }] }, [{ service: 'bedrock-kb', type, requests: [1] }]);
    const w = await runCli(kbArgs(again.url, 'a', '--wait', '--interval', '10ms'));
    expect(w.code).toBe(0);
    expect(JSON.parse(w.stdout).stats).toMatchObject({ rounds: 2, requests: 2 });
  });

  it('--all: a first listing that fails (500 five times) is listed again next round with --wait', async () => {
    const e = await kb({ a: [{ status: 'INDEXED' }] }, [{ service: 'bedrock-kb', type: 'error', first: 5 }]);
    const r = await runCli(kbArgs(e.url, '--all', '--wait', '--interval', '10ms'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ complete: true, documents: [{ id: 'a', status: 'INDEXED' }], stats: { rounds: 2, requests: 6 } });
    expect(lists(e).map((c) => c.status)).toEqual([500, 500, 500, 500, 500, 200]);
  });
});

describe('kb-status: answers no honest service gives', () => {
  it('a status named constructor (or __proto__, toString) is UnknownStatus, exit 4, not asked again', async () => {
    const weird: Record<string, string> = { a: 'constructor', b: '__proto__', c: 'toString', d: 'INDEXED' };
    server = await adHocServer((req, res) => reply(res, 200, { documentDetails: asked(req).map((id) => detail(id, weird[id])) }));
    const r = await runCli(kbArgs(server.url, 'a', 'b', 'c', 'd', '--wait', '--interval', '10ms'));
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents).toEqual([
      ...['a', 'b', 'c'].map((id) => ({ id, status: weird[id], state: 'error', errorCode: 'UnknownStatus', errorMessage: `unknown status ${weird[id]}` })),
      { id: 'd', status: 'INDEXED', state: 'succeeded', updatedAt: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(out.summary.byStatus).toEqual(JSON.parse('{"constructor": 1, "__proto__": 1, "toString": 1, "INDEXED": 1}'));
    expect(Object.keys(out.summary.byStatus)).toEqual(['constructor', '__proto__', 'toString', 'INDEXED']);
    expect(server.requests).toHaveLength(1);
    const table = await runCli(kbArgs(server.url, 'a', '-o', 'table'));
    expect(table.stdout).toMatch(/│ a +│ constructor +│ error +│ UnknownStatus: unknown status constructor +│/);
  });

  it('service text is sanitised: no escape sequence or bidi override reaches the output', async () => {
    server = await adHocServer((req, res) => reply(res, 200, { documentDetails: asked(req).map((id) => detail(id, 'IGNORED', { statusReason: 'bad \u001b[2J\u202efile\u0007 type' })) }));
    for (const format of ['json', 'table', 'markdown']) {
      const r = await runCli(kbArgs(server.url, 'a', '-o', format));
      expect(r.code).toBe(1);
      expect(r.stdout).not.toMatch(/[\u001b\u202e\u0007]/);
      if (format === 'json') expect(JSON.parse(r.stdout).documents[0].statusReason).toBe('bad file type');
    }
  });

  it('an updatedAt the SDK cannot parse makes the chunk MalformedResponse, never a crash', async () => {
    server = await adHocServer((req, res) => reply(res, 200, { documentDetails: asked(req).map((id) => detail(id, 'INDEXED', { updatedAt: 1714566896 })) }));
    const r = await runCli(kbArgs(server.url, 'a', 'b'));
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents.map((d: { errorCode: string }) => d.errorCode)).toEqual(['MalformedResponse', 'MalformedResponse']);
  });

  it('--all: entries with no usable identifier are counted in one MalformedResponse error; the readable ones are kept', async () => {
    server = await adHocServer((_req, res) =>
      reply(res, 200, { documentDetails: [detail('a', 'INDEXED'), { status: 'INDEXED' }, { ...detail('x', 'INDEXED'), identifier: { dataSourceType: 'CUSTOM', custom: { id: '' } } }, detail('b', 'INDEXED')] }),
    );
    const r = await runCli(kbArgs(server.url, '--all'));
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents.map((d: { id: string }) => d.id)).toEqual(['a', 'b']);
    expect(out.errors).toEqual([{ code: 'MalformedResponse', message: '2 entries of the document list had no usable identifier: the documents they stand for are unknown' }]);
  });

  it('--all: an entry with no usable identifier is counted once per complete listing, not once per listing of the run', async () => {
    // Three listings find no usable document (listed again with --wait), the fourth finds one: the bad entry was read
    // four times, and is one entry.
    server = await adHocServer((_req, res, n) => reply(res, 200, { documentDetails: n < 4 ? [{ status: 'INDEXED' }] : [{ status: 'INDEXED' }, detail('a', 'INDEXED')] }));
    const r = await runCli(kbArgs(server.url, '--all', '--wait', '--interval', '10ms'));
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents.map((d: { id: string }) => d.id)).toEqual(['a']);
    expect(out.errors).toEqual([{ code: 'MalformedResponse', message: '1 entry of the document list had no usable identifier: the documents they stand for are unknown' }]);
    expect(server.requests).toHaveLength(4);
  });

  it.each([
    ['another knowledge base', { knowledgeBaseId: 'OTHERKB001' }],
    ['another data source', { dataSourceId: 'OTHERDS001' }],
  ])('--all: a listing entry of %s is ignored as the by-ID path ignores it (a --verbose note), not a run error', async (_what, more) => {
    server = await adHocServer((_req, res) => reply(res, 200, { documentDetails: [detail('a', 'INDEXED'), detail('x', 'FAILED', more)] }));
    const r = await runCli(kbArgs(server.url, '--all', '--verbose'));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.documents.map((d: { id: string }) => d.id)).toEqual(['a']);
    expect(out.errors).toBeUndefined();
    expect(r.stderr).toMatch(/ignored an entry of another knowledge base or data source \([^)]*\): x\n/);
  });

  it('a detail with a field of the wrong type is MalformedResponse for its document, naming the field; the others keep their status', async () => {
    server = await adHocServer((req, res) => reply(res, 200, { documentDetails: asked(req).map((id) => detail(id, 'INDEXED', id === 'b' ? { statusReason: 42 } : {})) }));
    const r = await runCli(kbArgs(server.url, 'a', 'b'));
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents).toEqual([
      { id: 'a', status: 'INDEXED', state: 'succeeded', updatedAt: '2026-01-01T00:00:00.000Z' },
      { id: 'b', state: 'error', errorCode: 'MalformedResponse', errorMessage: 'malformed answer: statusReason is 42, expected a string' },
    ]);
  });

  it('--all: a page without documentDetails is MalformedResponse (exit 4), listed again with --wait', async () => {
    server = await adHocServer((_req, res, n) => reply(res, 200, n === 1 ? {} : { documentDetails: [detail('a', 'INDEXED')] }));
    const r = await runCli(kbArgs(server.url, '--all'));
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'error', complete: false, errors: [{ code: 'MalformedResponse', message: 'malformed answer: documentDetails is missing, expected an array' }] });
    const w = await runCli(kbArgs(server.url, '--all', '--wait', '--interval', '10ms'));
    expect(w.code).toBe(0);
  });

  it('--all: a nextToken that comes back again is PageLoop (exit 4), never a success', async () => {
    server = await adHocServer((_req, res, n) => reply(res, 200, { documentDetails: [detail(`p${n}`, 'INDEXED')], nextToken: 'same-token' }));
    const r = await runCli(kbArgs(server.url, '--all', '--wait', '--interval', '10ms'));
    expect(r.code).toBe(4);
    const message = 'the nextToken points back to a page already read; listing stopped';
    expect(lines(r.stderr)).toEqual([`docstatus: PageLoop: ${message}`]);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'error', complete: false, documents: [], errors: [{ code: 'PageLoop', message }], stats: { rounds: 1, requests: 2 } });
    expect(server.requests.map((q) => JSON.parse(q.body))).toEqual([{ maxResults: 1000 }, { maxResults: 1000, nextToken: 'same-token' }]);
  });

  it('--all: an endless list of empty pages with new tokens is PageLimit after 20 pages (exit 4)', async () => {
    server = await adHocServer((_req, res, n) => reply(res, 200, { documentDetails: [], nextToken: `t${n}` }));
    const started = Date.now();
    const r = await runCli(kbArgs(server.url, '--all', '--wait', '--interval', '10ms', '--timeout', '5s'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(4);
    const message = 'the document list did not end: 20 pages in a row held no document and still carried a nextToken; listing stopped';
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'error', complete: false, documents: [], errors: [{ code: 'PageLimit', message }], stats: { rounds: 1, requests: 20 } });
    expect(lines(r.stderr)).toEqual([`docstatus: PageLimit: ${message}`]);
    expect(server.requests).toHaveLength(20);
  });

  it('--all: 19 empty pages, then documents, then the end is fine', async () => {
    server = await adHocServer((_req, res, n) => reply(res, 200, n < 20 ? { documentDetails: [], nextToken: `t${n}` } : { documentDetails: [detail('a', 'INDEXED'), detail('b', 'INDEXED')] }));
    const r = await runCli(kbArgs(server.url, '--all'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual(['a', 'b']);
    expect(server.requests).toHaveLength(20);
  });
});

describe('kb-status: answers about another document are not this one (re-check at HEAD)', () => {
  const missing = (id: string) => ({ id, state: 'error', errorCode: 'MissingFromResponse', errorMessage: 'the service did not report this document' });

  it.each([
    ['an S3 URI "doc-1" for the custom ID doc-1', { identifier: { dataSourceType: 'S3', s3: { uri: 'doc-1' } } }],
    ['another knowledge base', { knowledgeBaseId: 'OTHERKB001' }],
    ['another data source', { dataSourceId: 'OTHERDS001' }],
  ])('%s: MissingFromResponse (exit 4), never INDEXED', async (_what, more) => {
    server = await adHocServer((req, res) => reply(res, 200, { documentDetails: asked(req).map((id) => detail(id, 'INDEXED', more)) }));
    const r = await runCli(kbArgs(server.url, 'doc-1'));
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents).toEqual([missing('doc-1')]);
  });

  it('a listing nextToken that is not a string is MalformedResponse (exit 4), not the end of the list', async () => {
    server = await adHocServer((_req, res) => reply(res, 200, { documentDetails: [detail('a', 'INDEXED')], nextToken: 5 }));
    const r = await runCli(kbArgs(server.url, '--all'));
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).errors).toEqual([{ code: 'MalformedResponse', message: 'malformed answer: nextToken is 5, expected a string' }]);
  });
});

describe('kb-status: interrupts', () => {
  it('SIGINT mid-wait: exit 130 within a second, the result so far', async () => {
    const e = await kb({ a: [{ status: 'IN_PROGRESS' }], b: [{ status: 'INDEXED' }] });
    let signalled = 0;
    const r = await runCli(kbArgs(e.url, 'a', 'b', '--wait', '--interval', '100ms'), {
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (gets(e).length >= 2) {
            clearInterval(timer);
            signalled = Date.now();
            child.kill('SIGINT');
          }
        }, 10);
      },
    });
    expect(Date.now() - signalled).toBeLessThan(1000);
    expect(r.code).toBe(130);
    const out = JSON.parse(r.stdout);
    expect(out.complete).toBe(false);
    expect(out.documents.map((d: { id: string; state: string }) => `${d.id}:${d.state}`)).toEqual(['a:pending', 'b:succeeded']);
    expect(r.stderr).toBe('docstatus: warning: interrupted by SIGINT: the result so far\n');
  });

  it('SIGINT while --all waits for its second page: exit 130, and a listing cut short is no success', async () => {
    emulator = await startEmulator({
      'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { generate: { count: 1500, timeline: [{ status: 'INDEXED' }] } } } } } },
      faults: [{ service: 'bedrock-kb', type: 'stall', requests: [2], ms: 20_000 }],
    });
    const e = emulator;
    const r = await runCli(kbArgs(e.url, '--all', '--wait'), {
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (lists(e).length >= 2) {
            clearInterval(timer);
            child.kill('SIGINT');
          }
        }, 10);
      },
    });
    expect(r.code).toBe(130);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'pending', complete: false, summary: { total: 0 } });
    expect(r.stderr).toBe('docstatus: warning: interrupted by SIGINT: the result so far\n');
  });
});

describe('nothing lost, nothing invented', () => {
  const FINAL = ['INDEXED', 'FAILED', 'METADATA_UPDATE_FAILED', 'IGNORED', 'PARTIALLY_INDEXED', 'METADATA_PARTIALLY_INDEXED', 'NOT_FOUND'] as const;
  const faultKinds: Fault['type'][] = ['throttle', 'error', 'reset', 'garbage', 'truncate', 'omit', 'extra', 'missing-fields'];

  it('kb-status --wait: every ID once, in order, with its true final status, whatever the faults', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 9, 10, 11, 19, 20, 21, 99, 100, 101).chain((n) => fc.array(fc.integer({ min: 0, max: Math.max(0, n - 1) }), { minLength: n, maxLength: n + 5 })),
        fc.array(fc.constantFrom(...FINAL), { minLength: 101, maxLength: 101 }),
        fc.uniqueArray(fc.constantFrom(...faultKinds), { maxLength: 4 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (picks, truth, kinds, seed) => {
          const ids = picks.map((i) => `doc-${i}`);
          const documents: Record<string, Step[]> = {};
          truth.forEach((status, i) => {
            // half of them start IN_PROGRESS and reach their status on the second answer
            if (status !== 'NOT_FOUND') documents[`doc-${i}`] = i % 2 ? [{ status: 'IN_PROGRESS' }, { afterPolls: 1, status }] : [{ status }];
          });
          // Throttling by rate, from a token bucket under the default pace of 4.5/s (a throttle drawn at random whatever the
          // rate drives any rate-learning pacer down: README, Pacing).
          const faults: Fault[] = kinds.filter((type) => type !== 'throttle').map((type) => ({ service: 'bedrock-kb', type, rate: 0.15 }));
          const e = await kb(documents, faults, { seed, ...(kinds.includes('throttle') && { rateLimit: { 'bedrock-kb': { rps: 3, burst: 2 } } }) });
          const r = await runCli(kbArgs(e.url, '--wait', '--interval', '10ms', '--timeout', '60s', '--not-found-grace', '0'), { input: ids.join('\n') });
          const unique = [...new Set(ids)];
          const out = JSON.parse(r.stdout);
          expect(out.documents.map((d: { id: string }) => d.id)).toEqual(unique);
          for (const doc of out.documents) {
            const status = truth[Number(doc.id.slice(4))]!;
            // The omit fault can leave one document out of MISSES_TO_GIVE_UP answers in a row: it is then given up.
            if (doc.state === 'error' && kinds.includes('omit')) {
              expect(doc).toMatchObject({ errorCode: 'MissingFromResponse', errorMessage: `the service left this document out of ${MISSES_TO_GIVE_UP} answers in a row: given up` });
              continue;
            }
            expect({ id: doc.id, status: doc.status, state: doc.state, why: doc.state === 'error' ? doc : undefined }).toEqual({
              id: doc.id,
              status,
              state: status === 'INDEXED' ? 'succeeded' : 'failed',
              why: undefined,
            });
          }
          const states = new Set(out.documents.map((d: { state: string }) => d.state));
          expect(r.code).toBe(states.has('failed') ? 1 : states.has('error') ? 4 : 0);
          // each request asks 1 to 10 (a reset one is dropped before it is read), and every request is counted
          expect(gets(e).every((c) => c.ids === undefined ? c.faults.includes('reset') : c.ids.length >= 1 && c.ids.length <= 10)).toBe(true);
          expect(out.stats.requests).toBeGreaterThanOrEqual(Math.ceil(unique.length / 10));
          expect(out.stats.requests).toBe(gets(e).length);
          await e.close();
          emulator = undefined;
        },
      ),
      propertyParams(12),
    );
  }, 180_000);

  it('kb-status --all --wait: every listed document once, in the service order, with its true final status, whatever the faults', async () => {
    const LISTED = ['INDEXED', 'FAILED', 'METADATA_UPDATE_FAILED', 'IGNORED', 'PARTIALLY_INDEXED', 'METADATA_PARTIALLY_INDEXED'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 11, 31, 999, 1000, 1001, 2500),
        fc.array(fc.tuple(fc.constantFrom(...LISTED), fc.integer({ min: 0, max: 3 })), { minLength: 7, maxLength: 7 }),
        fc.uniqueArray(fc.constantFrom(...faultKinds), { maxLength: 4 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (n, pattern, kinds, seed) => {
          // document i: IN_PROGRESS until it has been asked (listed or read) k times, then its final status
          const truth = (i: number) => pattern[i % pattern.length]!;
          const expected = Array.from({ length: n }, (_, i) => `doc-${i}`);
          const documents = Object.fromEntries(expected.map((id, i) => [id, [{ status: 'IN_PROGRESS' }, { afterPolls: truth(i)[1], status: truth(i)[0] }]]));
          // Throttling by rate, from a token bucket under the default pace of 4.5/s (a throttle drawn at random whatever the
          // rate drives any rate-learning pacer down: README, Pacing).
          const faults: Fault[] = kinds.filter((type) => type !== 'throttle').map((type) => ({ service: 'bedrock-kb', type, rate: 0.15 }));
          const e = await kb(documents, faults, { seed, ...(kinds.includes('throttle') && { rateLimit: { 'bedrock-kb': { rps: 3, burst: 2 } } }) });
          const r = await runCli(kbArgs(e.url, '--all', '--wait', '--interval', '10ms', '--timeout', '60s'), { timeoutMs: 70_000 });
          const out = JSON.parse(r.stdout);
          type Doc = { id: string; status?: string; state: string; errorCode?: string; errorMessage?: string };
          // Fault 'extra' adds a document the data source does not have to a page: a listing cannot tell it from a real
          // one, so it may be reported (INDEXED, as the emulator invents it), but once.
          const invented = out.documents.filter((d: Doc) => d.id === 'not-asked-for');
          expect(invented.length).toBeLessThanOrEqual(kinds.includes('extra') ? 1 : 0);
          const real = out.documents.filter((d: Doc) => d.id !== 'not-asked-for');
          const got = real.map((d: Doc) => d.id);
          expect(new Set(got).size).toBe(got.length);
          // Fault 'omit' drops the last document of a page: one the first listing never showed is unknown to any client.
          const present = new Set(got);
          expect(got).toEqual(expected.filter((id) => present.has(id)));
          if (!kinds.includes('omit')) expect(got).toEqual(expected);
          for (const doc of real as Doc[]) {
            const [status] = truth(Number(doc.id.slice(4)));
            if (doc.state === 'error' && kinds.includes('omit')) {
              expect(doc).toMatchObject({ errorCode: 'MissingFromResponse', errorMessage: `the service left this document out of ${MISSES_TO_GIVE_UP} answers in a row: given up` });
              continue;
            }
            expect({ id: doc.id, status: doc.status, state: doc.state, why: doc.state === 'error' ? doc : undefined }).toEqual({ id: doc.id, status, state: status === 'INDEXED' ? 'succeeded' : 'failed', why: undefined });
          }
          const states = new Set(out.documents.map((d: Doc) => d.state));
          const expectedCode = states.has('failed') ? 1 : states.has('error') || out.errors ? 4 : 0;
          expect(r.code).toBe(expectedCode);
          expect(out.stats.requests).toBe(e.requests.length);
          await e.close();
          emulator = undefined;
        },
      ),
      propertyParams(10),
    );
  }, 240_000);
});
