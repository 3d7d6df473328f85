import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../clock.js';
import { awsError, KendraEmulator, type Reply } from './kendra.js';
import { TranslatorEmulator } from './translator.js';
import { type Fault, FaultPlan, faultReply, ms, type Scenario } from './scenario.js';

/** One request the emulator answered, for tests and benchmarks to count. */
export interface LoggedRequest {
  service: 'kendra' | 'translator' | 'other';
  method: string;
  /** path and query */
  url: string;
  /** the Kendra operation, or the Azure route */
  op: string;
  /** Kendra: the DocumentIds of the request, and the parsed request */
  ids?: string[];
  input?: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  at: number;
  /** when the answer was sent (or the connection dropped) */
  end?: number;
  status: number;
  faults: string[];
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  clock?: Clock;
}

/** A running emulator of both services on one port. */
export interface Emulator {
  url: string;
  /** when the emulator started: timelines' `after` counts from here */
  startedAt: number;
  requests: LoggedRequest[];
  kendra: KendraEmulator;
  translator: TranslatorEmulator;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req) {
    size += (part as Buffer).length;
    if (size > MAX_BODY) return undefined;
    parts.push(part as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Starts the emulator on loopback (by default on any free port). */
export async function startEmulator(scenario: Scenario, opts: EmulatorOptions = {}): Promise<Emulator> {
  const clock = opts.clock ?? systemClock;
  const kendra = new KendraEmulator(scenario.kendra?.indexes ?? {}, clock);
  const translator = new TranslatorEmulator(scenario.translator ?? {}, clock);
  const plan = new FaultPlan(scenario.faults ?? [], scenario.seed);
  const latency = ms(scenario.latency);
  const requests: LoggedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const send = (res: ServerResponse, reply: Reply, faults: readonly Fault[], contentType: string) => {
    let text = JSON.stringify(reply.body);
    if (faults.some((f) => f.type === 'garbage')) text = '<html><body>502 Bad Gateway</body></html>';
    if (faults.some((f) => f.type === 'truncate')) text = text.slice(0, Math.floor(text.length / 2));
    res.writeHead(reply.status, { 'content-type': contentType, 'x-amzn-requestid': crypto.randomUUID(), ...reply.headers });
    res.end(text);
  };

  const startedAt = clock.now();

  /** The control API for scripts in other processes (benchmarks, users' own pipeline tests). */
  const control = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/_emulator/stats' && req.method === 'GET') {
      const byOp: Record<string, number> = {};
      const byStatus: Record<string, number> = {};
      for (const r of requests) {
        byOp[r.op || r.service] = (byOp[r.op || r.service] ?? 0) + 1;
        byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ startedAt, requests: requests.length, byOp, byStatus }));
      return true;
    }
    if (path === '/_emulator/reset' && req.method === 'POST') {
      requests.length = 0;
      res.writeHead(204);
      res.end();
      return true;
    }
    return false;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (control(req, res)) return;
    const entry: LoggedRequest = {
      service: 'other',
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      op: '',
      headers: req.headers,
      at: clock.now(),
      status: 0,
      faults: [],
    };
    const target = req.headers['x-amz-target'];
    if (req.method === 'POST' && typeof target === 'string') {
      entry.service = 'kendra';
      entry.op = target.split('.').pop() ?? '';
    } else if (entry.url.startsWith('/translator/')) {
      entry.service = 'translator';
    }
    requests.push(entry);
    const faults = entry.service === 'other' ? [] : plan.next(entry.service);
    entry.faults = faults.map((f) => f.type);
    const delay = latency + faults.filter((f) => f.type === 'latency').reduce((sum, f) => sum + ms(f.ms, 1000), 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (faults.some((f) => f.type === 'reset')) {
      entry.status = -1;
      entry.end = clock.now();
      req.socket.destroy();
      return;
    }
    const stall = faults.find((f) => f.type === 'stall');
    if (stall) {
      entry.status = -1;
      await new Promise((r) => setTimeout(r, ms(stall.ms, 60_000)));
      entry.end = clock.now();
      req.socket.destroy();
      return;
    }
    let reply: Reply;
    let contentType = 'application/json';
    if (entry.service === 'kendra') {
      contentType = 'application/x-amz-json-1.1';
      reply = kendraReply(entry, body, faults);
    } else {
      const url = new URL(entry.url, 'http://emulator');
      if (entry.service === 'translator' && req.method === 'GET' && TranslatorEmulator.matches(url.pathname)) {
        entry.op = url.pathname.endsWith('/documents') ? 'listDocuments' : /\/documents\//.test(url.pathname) ? 'getDocument' : 'getBatch';
        reply = translator.handle(url, req.headers, faults, `http://${req.headers.host}`);
      } else {
        reply = { status: 404, body: { error: { code: 'NotFound', message: `no route for ${req.method} ${url.pathname}` } } };
      }
    }
    entry.status = reply.status;
    send(res, reply, faults, contentType);
    entry.end = clock.now();
  };

  const kendraReply = (entry: LoggedRequest, body: string | undefined, faults: readonly Fault[]): Reply => {
    const auth = entry.headers.authorization;
    if (typeof auth !== 'string' || !auth.startsWith('AWS4-HMAC-SHA256 ')) {
      return awsError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const faulty = faultReply(faults, {
      throttled: () => awsError(400, 'ThrottlingException', 'Rate exceeded'),
      failed: (status) => awsError(status, 'InternalServerException', 'We encountered an internal error. Please try again.'),
    });
    if (faulty) return faulty;
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body ?? '') as Record<string, unknown>;
    } catch {
      return awsError(400, 'SerializationException', 'Could not parse the request body');
    }
    entry.input = input;
    const list = (input.DocumentInfoList ?? input.Documents ?? input.DocumentIdList) as Array<Record<string, unknown> | string> | undefined;
    if (Array.isArray(list)) entry.ids = list.map((x) => (typeof x === 'string' ? x : String(x?.DocumentId ?? x?.Id)));
    return kendra.handle(entry.op, input, faults);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'EmulatorError', message: String(err) } }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    startedAt,
    requests,
    kendra,
    translator,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
