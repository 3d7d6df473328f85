import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AZURE_BATCH_REQUIRED, AZURE_DOC_REQUIRED, azureBatch, azureDoc, azureSummary, INDEX, runCli, SECRETS } from '../helpers.js';

/** One request an ad-hoc server received. */
interface Seen {
  method: string;
  url: string;
  body: string;
}

/** What an ad-hoc server answers: a JSON body (or raw text), a status and headers. */
interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

interface Hostile {
  url: string;
  requests: Seen[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (d) => {
      text += d;
    });
    req.on('end', () => resolve(text));
  });

/** A loopback server that answers every request from `answer`; at most `limit` requests, then 503. */
async function serve(answer: (req: Seen, n: number, base: string) => Answer, limit = 1000): Promise<Hostile> {
  const requests: Seen[] = [];
  let base = '';
  const server = createServer(async (req, res) => {
    const seen = { method: req.method ?? '', url: req.url ?? '', body: await readBody(req) };
    requests.push(seen);
    const a: Answer = requests.length > limit ? { status: 503, body: { message: 'test server limit' } } : answer(seen, requests.length, base);
    const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
    res.end(text);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, requests };
}

/** A Kendra-shaped server (awsJson1_1) that answers every BatchGetDocumentStatus with `body`. */
const kendraServer = (body: (input: { DocumentInfoList: Array<{ DocumentId: string }> }) => unknown) =>
  serve((req) => ({ headers: { 'content-type': 'application/x-amz-json-1.1' }, body: body(JSON.parse(req.body)) }));

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000c1';
const azureEnv = { AZURE_TRANSLATOR_KEY: SECRETS.azureKey };
const kendra = (url: string, ...args: string[]) => ['kendra-status', '--index-id', INDEX, '--endpoint-url', url, ...args];
const translate = (cmd: 'translate-status' | 'translate-docs', url: string, ...args: string[]) => [cmd, BATCH, '--endpoint', url, ...args];
/** The result's summary line with the run's duration made fixed. */
const fixMs = (text: string) => text.replace(/, \d+(\.\d+)?(ms|s)\)/g, ', Xms)');

const PROTO_NAMES = ['constructor', 'toString', '__proto__'] as const;
const unknown = (id: string, status: string) => ({ id, status, state: 'error', errorCode: 'UnknownStatus', errorMessage: `unknown status ${status}` });

describe('status names that are Object.prototype keys are unknown statuses (exit 4), never success or a crash', () => {
  const kendraAnswer = () =>
    kendraServer((input) => ({
      DocumentStatusList: input.DocumentInfoList.map((d, i) => ({ DocumentId: d.DocumentId, DocumentStatus: PROTO_NAMES[i % 3] })),
      Errors: [],
    }));

  it('kendra-status -o json: state error UnknownStatus; byStatus has "__proto__" as an own key', async () => {
    const s = await kendraAnswer();
    const r = await runCli(kendra(s.url, 'a', 'b', 'c'));
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents).toEqual([unknown('a', 'constructor'), unknown('b', 'toString'), unknown('c', '__proto__')]);
    expect(out.outcome).toBe('error');
    expect(out.complete).toBe(false);
    const { byStatus, ...counts } = out.summary;
    expect(counts).toEqual({ total: 3, succeeded: 0, failed: 0, pending: 0, error: 3 });
    expect(Object.entries(byStatus)).toEqual([
      ['constructor', 1],
      ['toString', 1],
      ['__proto__', 1],
    ]);
    expect(r.stdout).toContain('"__proto__": 1');
    expect(out.stats).toMatchObject({ rounds: 1, requests: 1 });
    expect(s.requests).toHaveLength(1);
  });

  it('kendra-status --wait: an unknown status is final (not asked again), exit 4', async () => {
    const s = await kendraAnswer();
    const r = await runCli(kendra(s.url, 'a', '--wait', '--interval', '10ms', '--timeout', '5s'));
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents).toEqual([unknown('a', 'constructor')]);
    expect(s.requests).toHaveLength(1);
  });

  it('kendra-status -o table and -o markdown: the rows, exit 4 (not internal error 70)', async () => {
    const s = await kendraAnswer();
    const md = await runCli(kendra(s.url, 'a', 'b', 'c', '-o', 'markdown'));
    expect(md.code).toBe(4);
    expect(fixMs(md.stdout)).toBe(
      [
        '| ID | STATUS | STATE | DETAIL |',
        '| --- | --- | --- | --- |',
        '| a | constructor | error | UnknownStatus: unknown status constructor |',
        '| b | toString | error | UnknownStatus: unknown status toString |',
        '| c | \\_\\_proto\\_\\_ | error | UnknownStatus: unknown status \\_\\_proto\\_\\_ |',
        '',
        '3 documents: 3 error (outcome error; 1 round, 1 request, Xms)',
        '',
      ].join('\n'),
    );
    const table = await runCli(kendra(s.url, 'a', 'b', 'c', '-o', 'table'));
    expect(table.code).toBe(4);
    expect(table.stderr).not.toContain('internal error');
    const rows = table.stdout.split('\n').filter((l) => /^│ [abc] /.test(l));
    expect(rows.map((l) => l.split('│').map((c) => c.trim()).slice(1, 4))).toEqual([
      ['a', 'constructor', 'error'],
      ['b', 'toString', 'error'],
      ['c', '__proto__', 'error'],
    ]);
  });

  it('translate-status: documents and the batch itself with such statuses, in every format', async () => {
    const s = await serve((req) => {
      const m = /\/documents\/([^/?]+)/.exec(req.url);
      return m ? { body: azureDoc({ id: m[1], status: m[1] }) } : { body: azureBatch({ id: BATCH, status: '__proto__', summary: azureSummary({ total: 1 }) }) };
    });
    const docs = await runCli(translate('translate-status', s.url, ...PROTO_NAMES), { env: azureEnv });
    expect(docs.code).toBe(4);
    const out = JSON.parse(docs.stdout);
    expect(out.documents).toEqual(PROTO_NAMES.map((n) => ({ ...unknown(n, n), ...AZURE_DOC_REQUIRED })));
    expect(Object.entries(out.summary.byStatus)).toEqual(PROTO_NAMES.map((n) => [n, 1]));
    const batch = await runCli(translate('translate-status', s.url), { env: azureEnv });
    expect(batch.code).toBe(4);
    expect(JSON.parse(batch.stdout).documents).toEqual([{ ...unknown(BATCH, '__proto__'), ...AZURE_BATCH_REQUIRED, batchSummary: azureSummary({ total: 1 }) }]);
    for (const format of ['table', 'markdown', 'ndjson']) {
      const r = await runCli(translate('translate-status', s.url, ...PROTO_NAMES, '-o', format), { env: azureEnv });
      expect({ format, code: r.code, internal: r.stderr.includes('internal error') }).toEqual({ format, code: 4, internal: false });
      const b = await runCli(translate('translate-status', s.url, '-o', format), { env: azureEnv });
      expect({ format, code: b.code, internal: b.stderr.includes('internal error') }).toEqual({ format, code: 4, internal: false });
    }
  });

  it('translate-docs: a listing with such statuses is exit 4 in json, table and markdown (its table crashed)', async () => {
    const s = await serve(() => ({ body: { value: PROTO_NAMES.map((n) => azureDoc({ id: `d-${n}`, status: n })) } }));
    const r = await runCli(translate('translate-docs', s.url), { env: azureEnv });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents).toEqual(PROTO_NAMES.map((n) => ({ ...unknown(`d-${n}`, n), ...AZURE_DOC_REQUIRED })));
    const md = await runCli(translate('translate-docs', s.url, '-o', 'markdown'), { env: azureEnv });
    expect(md.code).toBe(4);
    expect(md.stdout.split('\n').slice(0, 5)).toEqual([
      '| ID | STATUS | PROGRESS | TO | CHARS | REASON |',
      '| --- | --- | --- | --- | --- | --- |',
      '| d-constructor | constructor | 100% | fr |  | UnknownStatus: unknown status constructor |',
      '| d-toString | toString | 100% | fr |  | UnknownStatus: unknown status toString |',
      '| d-\\_\\_proto\\_\\_ | \\_\\_proto\\_\\_ | 100% | fr |  | UnknownStatus: unknown status \\_\\_proto\\_\\_ |',
    ]);
    const table = await runCli(translate('translate-docs', s.url, '-o', 'table'), { env: azureEnv });
    expect(table.code).toBe(4);
    expect(table.stdout).toContain('d-__proto__');
    expect(table.stderr).not.toContain('internal error');
  });

  it('service values that are objects with a "toString" key where the model has a string or a count: malformed (exit 4), not a crash', async () => {
    const evil = { toString: 'x', valueOf: 'y' };
    const s = await serve((req) =>
      /\/documents\//.test(req.url)
        ? { body: azureDoc({ id: 'a', status: 'Succeeded', to: evil, path: evil, characterCharged: evil }) }
        : { body: azureBatch({ id: BATCH, status: 'Succeeded', summary: azureSummary({ total: evil, success: 1 }) }) },
    );
    for (const format of ['table', 'markdown']) {
      for (const args of [['a'], ['a', '--wide'], []]) {
        const r = await runCli(translate('translate-status', s.url, ...args, '-o', format), { env: azureEnv });
        const field = args.length === 0 ? 'summary.total is an object, expected a non-negative integer' : 'path is an object, expected a string';
        const id = args.length === 0 ? BATCH : 'a';
        expect({ format, args, code: r.code, stderr: r.stderr }).toEqual({ format, args, code: 4, stderr: `docstatus: document ${id} could not be read: MalformedResponse: malformed answer: ${field}\n` });
      }
    }
  });

  it('translate-docs --status constructor (or toString, __proto__) is bad input: exit 2, nothing sent', async () => {
    const s = await serve(() => ({ body: { value: [] } }));
    for (const name of PROTO_NAMES) {
      const r = await runCli(translate('translate-docs', s.url, '--status', name), { env: azureEnv });
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(new RegExp(`^docstatus: --status: unknown status '${name}' \\(one of NotStarted, `));
    }
    expect(s.requests).toHaveLength(0);
  });
});

const LIST_PATH = `/translator/text/batch/v1.1/batches/${BATCH}/documents`;
const params = (req: Seen) => new URL(req.url, 'http://x').searchParams;

/** A complete DocumentStatus (every property the model requires), and what docstatus shows of it. */
const doc = (id: string, status: string) => azureDoc({ id, status });
const ok = (id: string) => doc(id, 'Succeeded');
const shown = (id: string, status: string, state: string) => ({ ...AZURE_DOC_REQUIRED, id, status, state });

describe('translate-docs: malformed list entries are errors the result shows, never silence', () => {
  const page = [
    ok('good-1'),
    { id: 123, status: 'Failed' },
    { status: 'Failed' },
    null,
    'str',
    { id: '', status: 'Failed' },
    azureDoc({ id: 'bad-status', status: 7 }),
    azureDoc({ id: 'no-status' }),
    ok('good-2'),
  ];

  it('entries with no usable id: a top-level MalformedResponse error, exit 4; a bad status is its document\'s error', async () => {
    const s = await serve(() => ({ body: { value: page } }));
    const r = await runCli(translate('translate-docs', s.url, '--verbose'), { env: azureEnv });
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents).toEqual([
      shown('good-1', 'Succeeded', 'succeeded'),
      { id: 'bad-status', state: 'error', errorCode: 'MalformedResponse', errorMessage: 'malformed answer: status is 7, expected a string' },
      { id: 'no-status', state: 'error', errorCode: 'MalformedResponse', errorMessage: 'malformed answer: status is missing, expected a string' },
      shown('good-2', 'Succeeded', 'succeeded'),
    ]);
    const message = '5 entries of the document list had no usable id: the documents they stand for are unknown';
    expect(out.errors).toEqual([{ code: 'MalformedResponse', message }]);
    expect(out).toMatchObject({ outcome: 'error', complete: false, stats: { rounds: 1, requests: 1 } });
    expect(r.stderr).toContain('5 entries of the document list had no usable id\n');
    expect(r.stderr).toContain(`docstatus: MalformedResponse: ${message}\n`);
    expect(s.requests).toHaveLength(1);
  });

  it('an entry with no usable id is counted once per complete listing, not once per listing of the run (it was: 4 for one entry read 4 times)', async () => {
    // Three listings find only the bad entry (an empty list: the batch is read, still Running, and --wait lists again),
    // the fourth also a document.
    let listings = 0;
    const s = await serve((req) => {
      if (!req.url.startsWith(LIST_PATH)) return { body: azureBatch({ id: BATCH, status: 'Running', summary: azureSummary({ total: 1, inProgress: 1 }) }) };
      listings++;
      return { body: { value: listings < 4 ? [{ id: 5, status: 'Running' }] : [{ id: 5, status: 'Running' }, ok('a')] } };
    });
    const r = await runCli(translate('translate-docs', s.url, '--wait', '--interval', '10ms', '--timeout', '20s'), { env: azureEnv });
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents.map((d: { id: string }) => d.id)).toEqual(['a']);
    expect(out.errors).toEqual([{ code: 'MalformedResponse', message: '1 entry of the document list had no usable id: the documents they stand for are unknown' }]);
    expect(s.requests.map((q) => (q.url.startsWith(LIST_PATH) ? 'list' : 'batch'))).toEqual(['list', 'batch', 'list', 'batch', 'list', 'batch', 'list']);
  });

  it('only good entries beside unreadable ones still end exit 4 (it was: outcome succeeded, exit 0)', async () => {
    const s = await serve(() => ({ body: { value: [ok('a'), null, { id: 5 }] } }));
    const r = await runCli(translate('translate-docs', s.url, '-q'), { env: azureEnv });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('docstatus: MalformedResponse: 2 entries of the document list had no usable id: the documents they stand for are unknown\n');
  });
});

describe('translate-docs: a list that never ends is stopped (PageLimit, exit 4), never a success', () => {
  it('an endless chain of empty pages, each linking to the next: stopped after 20 pages', async () => {
    const s = await serve((_req, n, base) => ({ body: { value: [], '@nextLink': `${base}${LIST_PATH}?page=${n + 1}` } }));
    const started = Date.now();
    const r = await runCli(translate('translate-docs', s.url, '--wait', '--interval', '10ms', '--timeout', '5s'), { env: azureEnv });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    const message = 'the document list did not end: 20 pages in a row held no document and still linked to another; listing stopped';
    expect(out.errors).toEqual([{ code: 'PageLimit', message }]);
    expect(out).toMatchObject({ outcome: 'error', complete: false, documents: [], stats: { rounds: 1, requests: 20 } });
    expect(r.stderr).toContain(`docstatus: PageLimit: ${message}\n`);
    expect(s.requests).toHaveLength(20);
  });

  it('pages of unreadable entries count as empty: stopped after 20, and the entries are reported', async () => {
    const s = await serve((_req, n, base) => ({ body: { value: [{ id: 1 }], '@nextLink': `${base}${LIST_PATH}?page=${n + 1}` } }));
    const r = await runCli(translate('translate-docs', s.url), { env: azureEnv });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).errors.map((e: { code: string }) => e.code)).toEqual(['PageLimit']);
    expect(s.requests).toHaveLength(20);
  });

  it('a run of empty pages that ends is fine: 19 empty pages, then documents, then the end', async () => {
    const s = await serve((_req, n, base) =>
      n < 20 ? { body: { value: [], '@nextLink': `${base}${LIST_PATH}?page=${n + 1}` } } : { body: { value: [ok('a'), ok('b')] } },
    );
    const r = await runCli(translate('translate-docs', s.url), { env: azureEnv });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual(['a', 'b']);
    expect(s.requests).toHaveLength(20);
  });

  it('with --top N: no more than N documents are read, and a link past them is not followed', async () => {
    // The server ignores $top: a new document on every page, for ever.
    const s = await serve((_req, n, base) => ({ body: { value: [ok(`p${n}`)], '@nextLink': `${base}${LIST_PATH}?page=${n + 1}` } }));
    const r = await runCli(translate('translate-docs', s.url, '--top', '3', '--verbose'), { env: azureEnv });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual(['p1', 'p2', 'p3']);
    expect(s.requests).toHaveLength(3);
    expect(r.stderr).toContain('the document list went on past --top 3: not read further');
    // A first page longer than --top: only the first N entries count.
    const long = await serve(() => ({ body: { value: [ok('a'), ok('b'), ok('c'), { id: 1 }] } }));
    const t = await runCli(translate('translate-docs', long.url, '--top', '2'), { env: azureEnv });
    expect({ code: t.code, ids: JSON.parse(t.stdout).documents.map((d: { id: string }) => d.id) }).toEqual({ code: 0, ids: ['a', 'b'] });
  });
});

describe('translate-docs --ids: the named IDs are the rows, in the order given, each once', () => {
  const missing = (id: string, errorMessage = 'the service did not list this document') => ({ id, state: 'error', errorCode: 'MissingFromResponse', errorMessage });

  it('a server that ignores the filter: its documents are ignored (a --verbose note), the named ones are missing', async () => {
    const s = await serve(() => ({ body: { value: [ok('d1'), ok('d2')] } }));
    const r = await runCli(translate('translate-docs', s.url, '--ids', 'a,b,ghost', '--verbose'), { env: azureEnv });
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents).toEqual([missing('a'), missing('b'), missing('ghost')]);
    expect(out.summary).toEqual({ total: 3, succeeded: 0, failed: 0, pending: 0, error: 3, byStatus: {} });
    expect(r.stderr).toContain('ignored 2 listed document(s) that --ids did not name: d1, d2\n');
    expect(s.requests.map((q) => params(q).get('ids'))).toEqual(['a,b,ghost']);
  });

  it('answers in another order and with an absent one: rows in the order given, the absent one an error', async () => {
    const s = await serve(() => ({ body: { value: [ok('b'), doc('a', 'Failed'), ok('b')] } }));
    const r = await runCli(translate('translate-docs', s.url, '--ids', 'a,b,ghost'), { env: azureEnv });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).documents).toEqual([shown('a', 'Failed', 'failed'), shown('b', 'Succeeded', 'succeeded'), missing('ghost')]);
  });

  it('--wait: a named document the service never lists is given up after 3 answers in a row, not asked for ever', async () => {
    const s = await serve(() => ({ body: { value: [ok('a')] } }));
    const started = Date.now();
    const r = await runCli(translate('translate-docs', s.url, '--ids', 'a,ghost', '--wait', '--interval', '10ms', '--timeout', '20s'), { env: azureEnv });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents).toEqual([shown('a', 'Succeeded', 'succeeded'), missing('ghost', 'the service left this document out of 3 answers in a row: given up')]);
    expect(out.stats).toMatchObject({ rounds: 3, requests: 3 });
    expect(s.requests.map((q) => params(q).get('ids'))).toEqual(['a,ghost', 'ghost', 'ghost']);
  });
});

describe('kendra-status: answers that leave documents out or name them strangely', () => {
  it('--wait: a document every answer leaves out is given up after 3 answers in a row (exit 4), not asked until the timeout', async () => {
    const s = await kendraServer((input) => ({ DocumentStatusList: input.DocumentInfoList.filter((d) => d.DocumentId !== 'ghost').map((d) => ({ DocumentId: d.DocumentId, DocumentStatus: 'INDEXED' })), Errors: [] }));
    const r = await runCli(kendra(s.url, 'a', 'ghost', '--wait', '--interval', '10ms', '--timeout', '20s'));
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents).toEqual([
      { id: 'a', status: 'INDEXED', state: 'succeeded' },
      { id: 'ghost', state: 'error', errorCode: 'MissingFromResponse', errorMessage: 'the service left this document out of 3 answers in a row: given up' },
    ]);
    expect(s.requests).toHaveLength(3);
    expect(r.stderr).toBe('docstatus: document ghost could not be read: MissingFromResponse: the service left this document out of 3 answers in a row: given up\n');
  });

  it('a DocumentId that is an object with its own toString is ignored (a --verbose note), not an internal error', async () => {
    const s = await kendraServer(() => ({ DocumentStatusList: [{ DocumentId: { toString: 'x' }, DocumentStatus: 'INDEXED' }, { DocumentId: 'a', DocumentStatus: 'INDEXED' }], Errors: [] }));
    const r = await runCli(kendra(s.url, 'a', '--verbose'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents).toEqual([{ id: 'a', status: 'INDEXED', state: 'succeeded' }]);
    expect(r.stderr).toContain('ignored an answer for a document that was not asked: (a object DocumentId)');
  });
});

describe('answers the attack run found a way through', () => {
  it.each([
    [123, '@nextLink is 123, expected a string'],
    [{ href: '?p=2' }, '@nextLink is an object, expected a string'],
    [['?p=2'], '@nextLink is an array, expected a string'],
    [true, '@nextLink is true, expected a string'],
    ['', 'the nextLink of a page of the document list is "", expected a URL'],
  ])('a nextLink of %j is MalformedResponse (exit 4), not the end of the list: no document silently dropped', async (link, reason) => {
    const s = await serve((req) => (req.url.includes('p=2') ? { body: { value: [doc('d2', 'Failed')] } } : { body: { value: [ok('d1')], '@nextLink': link } }));
    const r = await runCli(translate('translate-docs', s.url), { env: azureEnv });
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ outcome: 'error', complete: false, errors: [{ code: 'MalformedResponse', message: `malformed answer: ${reason}` }] });
  });

  it('a relative nextLink is relative to its page', async () => {
    const s = await serve((req) => (req.url.includes('p=2') ? { body: { value: [ok('d2')] } } : { body: { value: [ok('d1')], '@nextLink': 'documents?p=2' } }));
    const r = await runCli(translate('translate-docs', s.url), { env: azureEnv });
    expect(r.code).toBe(0);
    expect(s.requests.map((q) => q.url.split('?')[0])).toEqual([LIST_PATH, LIST_PATH]);
  });

  it('a status with an escape sequence or a zero-width character in it is unknown, shown escaped, counted apart: a jq gate on byStatus fails (exit 4)', async () => {
    const s = await kendraServer((input) => ({ DocumentStatusList: input.DocumentInfoList.map((d) => ({ DocumentId: d.DocumentId, DocumentStatus: d.DocumentId === 'a' ? 'INDEXED\u001b[0m\u200b' : 'INDEXED' })), Errors: [] }));
    const r = await runCli(kendra(s.url, 'a', 'b', 'c'));
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    // The escaped form is the literal text INDEXED\u001b[0m\u200b (backslashes and all): it can never equal INDEXED.
    const shown = 'INDEXED\\u001b[0m\\u200b';
    expect(out.documents[0]).toEqual({ id: 'a', status: shown, state: 'error', errorCode: 'UnknownStatus', errorMessage: `unknown status ${shown}` });
    expect(out.summary).toEqual({ total: 3, succeeded: 2, failed: 0, pending: 0, error: 1, byStatus: { [shown]: 1, INDEXED: 2 } });
    expect(out.summary.byStatus.INDEXED === out.summary.total).toBe(false);
    expect(r.stderr).toBe(`docstatus: document a could not be read: UnknownStatus: unknown status ${shown}\n`);
  });

  it.each([
    ['INDEXED in the status list and InternalError in Errors', { DocumentStatusList: [{ DocumentId: 'a', DocumentStatus: 'INDEXED' }], Errors: [{ DocumentId: 'a', ErrorCode: 'InternalError', ErrorMessage: 'x' }] }],
    ['FAILED, then INDEXED', { DocumentStatusList: [{ DocumentId: 'a', DocumentStatus: 'FAILED' }, { DocumentId: 'a', DocumentStatus: 'INDEXED' }], Errors: [] }],
  ])('an answer that contradicts itself (%s) is MalformedResponse, whichever comes first', async (_what, body) => {
    const s = await kendraServer(() => body);
    const r = await runCli(kendra(s.url, 'a'));
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents).toEqual([{ id: 'a', state: 'error', errorCode: 'MalformedResponse', errorMessage: 'the answer reports this document more than once, and not alike' }]);
  });

  it('a listing with no document is no success: exit 3 with a warning; --wait lists again until --timeout', async () => {
    const s = await serve(() => ({ body: { value: [] } }));
    const once = await runCli(translate('translate-docs', s.url), { env: azureEnv });
    expect(once.code).toBe(3);
    expect(JSON.parse(once.stdout)).toMatchObject({ outcome: 'pending', complete: false, summary: { total: 0 } });
    // Without --wait, the warning says nothing of listing again (it used to say "--wait lists again" to a run without it).
    expect(once.stderr).toBe('docstatus: warning: the document list is empty (nothing matched yet): not a success\n');
    const waited = await runCli(translate('translate-docs', s.url, '--wait', '--interval', '100ms', '--timeout', '1s'), { env: azureEnv });
    expect(waited.code).toBe(3);
    expect(waited.stderr.split('\n')[0]).toBe('docstatus: warning: the document list is empty (nothing matched yet): not a success; listing again until documents appear or --timeout passes');
    expect(s.requests.length).toBeGreaterThan(3);
  });

  it('--top 0 asks for nothing: bad input', async () => {
    const r = await runCli(translate('translate-docs', 'http://127.0.0.1:9', '--top', '0'), { env: azureEnv });
    expect(r).toMatchObject({ code: 2, stderr: "docstatus: --top: '0' is not a whole number from 1 to 2147483647\n" });
  });
});

describe('translate-docs --ids: each chunk of 10 IDs is its own (issue 8, item 6)', () => {
  it('one chunk refused with a 400: the other chunk\'s 10 documents keep their status, only the refused 10 are errors', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `d${String(i).padStart(2, '0')}`);
    const s = await serve((req) => {
      const asked = params(req).get('ids')!.split(',');
      if (asked.includes('d10')) return { status: 400, body: { error: { code: 'InvalidRequest', message: 'refused chunk' } } };
      return { body: { value: asked.map(ok) } };
    });
    const r = await runCli(translate('translate-docs', s.url, '--ids', ids.join(',')), { env: azureEnv });
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents.map((d: { id: string; state: string }) => [d.id, d.state])).toEqual(ids.map((id, i) => [id, i < 10 ? 'succeeded' : 'error']));
    expect(out.documents[10]).toMatchObject({ errorCode: 'InvalidRequest', errorMessage: 'refused chunk' });
    expect(s.requests).toHaveLength(2);
  });
});

describe('translate-docs --wait: a document seen once and never again is given up, not asked until the timeout', () => {
  it('listed Running by the first listing, then left out of every answer: error after 3 answers, exit 4', async () => {
    const s = await serve((req) => ({ body: { value: params(req).has('statuses') || params(req).has('ids') ? [] : [doc('once', 'Running'), ok('b')] } }));
    const started = Date.now();
    const r = await runCli(translate('translate-docs', s.url, '--wait', '--interval', '10ms', '--timeout', '20s'), { env: azureEnv });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.documents).toEqual([
      { id: 'once', state: 'error', errorCode: 'MissingFromResponse', errorMessage: 'the service left this document out of 3 answers in a row: given up' },
      shown('b', 'Succeeded', 'succeeded'),
    ]);
    // round 1: the listing; rounds 2 to 4: the pending listing, then the leaver by ID
    expect(s.requests.map((q) => (params(q).get('statuses') ? 'pending' : params(q).get('ids') ? `ids:${params(q).get('ids')}` : 'all'))).toEqual([
      'all',
      'pending',
      'ids:once',
      'pending',
      'ids:once',
      'pending',
      'ids:once',
    ]);
    expect(out.stats).toMatchObject({ rounds: 4, requests: 7 });
  });

  it('left out twice, then listed again: the count starts over, and the document ends with its real status', async () => {
    let byId = 0;
    const s = await serve((req) => {
      if (params(req).has('statuses')) return { body: { value: [] } };
      if (params(req).has('ids')) return { body: { value: ++byId === 3 ? [ok('x')] : [] } };
      return { body: { value: [doc('x', 'Running')] } };
    });
    const r = await runCli(translate('translate-docs', s.url, '--wait', '--interval', '10ms', '--timeout', '20s'), { env: azureEnv });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents).toEqual([shown('x', 'Succeeded', 'succeeded')]);
  });

  it('a document a later listing shows that the first one left out is ignored: the set is fixed by the first complete listing', async () => {
    let pendingLists = 0;
    const s = await serve((req) => {
      // The first listing leaves 'late' out; the first pending listing shows it, Running; by ID it has succeeded.
      if (params(req).has('statuses')) return { body: { value: ++pendingLists === 1 ? [doc('late', 'Running'), doc('a', 'Running')] : [] } };
      if (params(req).has('ids')) return { body: { value: [ok('late'), ok('a')].filter((d) => params(req).get('ids')!.split(',').includes(d.id)) } };
      return { body: { value: [doc('a', 'Running'), ok('b')] } };
    });
    const r = await runCli(translate('translate-docs', s.url, '--wait', '--interval', '10ms', '--timeout', '20s'), { env: azureEnv });
    expect(JSON.parse(r.stdout).documents.map((d: { id: string; state: string }) => `${d.id}:${d.state}`)).toEqual(['a:succeeded', 'b:succeeded']);
    expect(JSON.parse(r.stdout).summary.total).toBe(2);
    expect(r.code).toBe(0);
  });
});

describe('kendra-status: the SDK output object is checked against the model too (issue 15)', () => {
  it('a FailureCode that is a number, a DocumentStatusList that is an object: MalformedResponse naming the field, never a status', async () => {
    const s = await kendraServer((input) =>
      input.DocumentInfoList[0]!.DocumentId === 'x'
        ? { DocumentStatusList: { DocumentId: 'x', DocumentStatus: 'INDEXED' } }
        : { DocumentStatusList: input.DocumentInfoList.map((d) => ({ DocumentId: d.DocumentId, DocumentStatus: 'FAILED', ...(d.DocumentId === 'b' && { FailureCode: 42 }) })), Errors: [] },
    );
    const r = await runCli(kendra(s.url, 'a', 'b'));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).documents).toEqual([
      { id: 'a', status: 'FAILED', state: 'failed' },
      { id: 'b', state: 'error', errorCode: 'MalformedResponse', errorMessage: 'malformed answer: FailureCode is 42, expected a string' },
    ]);
    const x = await runCli(kendra(s.url, 'x'));
    expect(x.code).toBe(4);
    expect(JSON.parse(x.stdout).documents).toEqual([{ id: 'x', state: 'error', errorCode: 'MalformedResponse', errorMessage: 'malformed answer: DocumentStatusList is an object, expected an array' }]);
  });
});

describe('translate-status BATCH: a Succeeded batch whose summary does not fit the model is never a success (issue 15)', () => {
  const summary = { total: 3, failed: 0, success: 3, inProgress: 0, notYetStarted: 0, cancelled: 0, totalCharacterCharged: 10 };
  it.each([
    ['missing', undefined, 'summary is missing, expected an object'],
    ['null', null, 'summary is null, expected an object'],
    ['an array', [summary], 'summary is an array, expected an object'],
    ['failed: "3"', { ...summary, failed: '3' }, 'summary.failed is "3", expected a non-negative integer'],
    ['failed: -3', { ...summary, failed: -3 }, 'summary.failed is -3, expected a non-negative integer'],
    ['failed: 1.5', { ...summary, failed: 1.5 }, 'summary.failed is 1.5, expected a non-negative integer'],
    ['failed: 2^60', { ...summary, failed: 2 ** 60 }, 'summary.failed is 1152921504606847000, expected a non-negative integer'],
    ['no cancelled', { ...summary, cancelled: undefined }, 'summary.cancelled is missing, expected a non-negative integer'],
  ])('summary %s: MalformedResponse naming the field, exit 4', async (_what, value, reason) => {
    const s = await serve(() => ({ body: azureBatch({ id: BATCH, status: 'Succeeded', summary: value }) }));
    const r = await runCli(translate('translate-status', s.url), { env: azureEnv });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents).toEqual([{ id: BATCH, state: 'error', errorCode: 'MalformedResponse', errorMessage: `malformed answer: ${reason}` }]);
    expect(r.stderr).toBe(`docstatus: document ${BATCH} could not be read: MalformedResponse: malformed answer: ${reason}\n`);
  });

  it('failed: 3 is a failed batch (exit 1), failed: 0 a success (exit 0)', async () => {
    for (const [failed, code] of [[3, 1], [0, 0]] as const) {
      const s = await serve(() => ({ body: azureBatch({ id: BATCH, status: 'Succeeded', summary: { ...summary, failed } }) }));
      const r = await runCli(translate('translate-status', s.url), { env: azureEnv });
      expect(r.code).toBe(code);
    }
  });
});

describe('translate-status: an answer about another document or batch is not its status', () => {
  it('documents/a answered with id b: a is in error (exit 4); the same ID in another case is accepted', async () => {
    const s = await serve((req) => {
      const asked = /\/documents\/([^/?]+)/.exec(req.url)?.[1];
      if (asked === 'a') return { body: ok('b') };
      if (asked) return { body: ok(asked.toUpperCase()) };
      return { body: azureBatch({ id: 'another-batch', status: 'Succeeded' }) };
    });
    const r = await runCli(translate('translate-status', s.url, 'a', 'c'), { env: azureEnv });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents).toEqual([
      { id: 'a', state: 'error', errorCode: 'MalformedResponse', errorMessage: 'the answer is about another document (b)' },
      shown('c', 'Succeeded', 'succeeded'),
    ]);
    const batch = await runCli(translate('translate-status', s.url), { env: azureEnv });
    expect(batch.code).toBe(4);
    expect(JSON.parse(batch.stdout).documents).toEqual([{ id: BATCH, state: 'error', errorCode: 'MalformedResponse', errorMessage: 'the answer is about another batch (another-batch)' }]);
  });
});
