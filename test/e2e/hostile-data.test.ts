import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { INDEX, runCli, SECRETS } from '../helpers.js';

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
      return m ? { body: { id: m[1], status: m[1] } } : { body: { id: BATCH, status: '__proto__', summary: { total: 1, failed: 0, success: 0, inProgress: 0, notYetStarted: 0 } } };
    });
    const docs = await runCli(translate('translate-status', s.url, ...PROTO_NAMES), { env: azureEnv });
    expect(docs.code).toBe(4);
    const out = JSON.parse(docs.stdout);
    expect(out.documents).toEqual(PROTO_NAMES.map((n) => unknown(n, n)));
    expect(Object.entries(out.summary.byStatus)).toEqual(PROTO_NAMES.map((n) => [n, 1]));
    const batch = await runCli(translate('translate-status', s.url), { env: azureEnv });
    expect(batch.code).toBe(4);
    expect(JSON.parse(batch.stdout).documents).toEqual([{ ...unknown(BATCH, '__proto__'), batchSummary: { total: 1, failed: 0, success: 0, inProgress: 0, notYetStarted: 0 } }]);
    for (const format of ['table', 'markdown', 'ndjson']) {
      const r = await runCli(translate('translate-status', s.url, ...PROTO_NAMES, '-o', format), { env: azureEnv });
      expect({ format, code: r.code, internal: r.stderr.includes('internal error') }).toEqual({ format, code: 4, internal: false });
      const b = await runCli(translate('translate-status', s.url, '-o', format), { env: azureEnv });
      expect({ format, code: b.code, internal: b.stderr.includes('internal error') }).toEqual({ format, code: 4, internal: false });
    }
  });

  it('translate-docs: a listing with such statuses is exit 4 in json, table and markdown (its table crashed)', async () => {
    const s = await serve(() => ({ body: { value: PROTO_NAMES.map((n) => ({ id: `d-${n}`, status: n })) } }));
    const r = await runCli(translate('translate-docs', s.url), { env: azureEnv });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents).toEqual(PROTO_NAMES.map((n) => unknown(`d-${n}`, n)));
    const md = await runCli(translate('translate-docs', s.url, '-o', 'markdown'), { env: azureEnv });
    expect(md.code).toBe(4);
    expect(md.stdout.split('\n').slice(0, 5)).toEqual([
      '| ID | STATUS | PROGRESS | TO | CHARS | REASON |',
      '| --- | --- | --- | --- | --- | --- |',
      '| d-constructor | constructor |  |  |  | UnknownStatus: unknown status constructor |',
      '| d-toString | toString |  |  |  | UnknownStatus: unknown status toString |',
      '| d-\\_\\_proto\\_\\_ | \\_\\_proto\\_\\_ |  |  |  | UnknownStatus: unknown status \\_\\_proto\\_\\_ |',
    ]);
    const table = await runCli(translate('translate-docs', s.url, '-o', 'table'), { env: azureEnv });
    expect(table.code).toBe(4);
    expect(table.stdout).toContain('d-__proto__');
    expect(table.stderr).not.toContain('internal error');
  });

  it('service values that are objects with a "toString" key render as empty cells, not a crash', async () => {
    const evil = { toString: 'x', valueOf: 'y' };
    const s = await serve((req) =>
      /\/documents\//.test(req.url)
        ? { body: { id: 'a', status: 'Succeeded', to: evil, path: evil, characterCharged: evil } }
        : { body: { id: BATCH, status: 'Succeeded', summary: { total: evil, success: 1, failed: 0, inProgress: 0, notYetStarted: 0 } } },
    );
    for (const format of ['table', 'markdown']) {
      for (const args of [['a'], ['a', '--wide'], []]) {
        const r = await runCli(translate('translate-status', s.url, ...args, '-o', format), { env: azureEnv });
        expect({ format, args, code: r.code, stderr: r.stderr }).toEqual({ format, args, code: 0, stderr: '' });
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
