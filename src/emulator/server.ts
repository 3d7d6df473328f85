import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Clock, systemClock } from '../core/clock.js';
import { SERVICE_NAMES, SERVICES, type ServiceName } from '../services/index.js';
import type { ServiceEmulator } from './routes.js';
import { type Fault, FaultPlan, ms, type Reply, type Scenario } from './scenario.js';
import { RateLimits } from './rate-limit.js';

/** One request the emulator answered, for tests and benchmarks to count. */
export interface LoggedRequest {
  service: ServiceName | 'other';
  method: string;
  /** path and query */
  url: string;
  /** the operation (Kendra, Bedrock) or the route (Azure) */
  op: string;
  /** the document IDs the request asked about, and its parsed body (AWS services) */
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
  /** keep every request in `requests` (default true, for tests); `docstatus emulate` turns it off so a long run
   * stays small: `/_emulator/stats` needs only the counts, which are kept either way */
  log?: boolean;
}

/** A running emulator of every service on one port. */
export interface Emulator {
  url: string;
  /** when the emulator started: timelines' `after` counts from here */
  startedAt: number;
  /** every request answered so far, oldest first; stays empty with `log: false` */
  requests: LoggedRequest[];
  /** each service's part, by name (tests may look inside one) */
  services: ReadonlyMap<ServiceName, ServiceEmulator>;
  /** Stops at once: pending latency and stall timers are cleared and open connections destroyed. */
  close(): Promise<void>;
}

const bump = <K>(map: Map<K, number>, key: K, by = 1) => {
  const n = (map.get(key) ?? 0) + by;
  if (n === 0) map.delete(key);
  else map.set(key, n);
};

/**
 * The counts `/_emulator/stats` reports, kept as requests come and go (the full log is optional). Maps, since the
 * operation comes from the wire (`X-Amz-Target: ….constructor` is just another name). A request counts under status
 * 0 until its status is known; `reset` starts a new generation, so requests in flight across it are not counted.
 */
class RequestCounts {
  private total = 0;
  private generation = 0;
  private readonly byOp = new Map<string, number>();
  private readonly byStatus = new Map<number, number>();

  /** A request arrived; returns the token its `settle` needs. */
  arrive(op: string): number {
    this.total++;
    bump(this.byOp, op);
    bump(this.byStatus, 0);
    return this.generation;
  }

  /** The request's status is known (-1: the connection is dropped or held without an answer). */
  settle(token: number, status: number): void {
    if (token !== this.generation) return;
    bump(this.byStatus, 0, -1);
    bump(this.byStatus, status);
  }

  reset(): void {
    this.generation++;
    this.total = 0;
    this.byOp.clear();
    this.byStatus.clear();
  }

  toJSON(): { requests: number; byOp: Record<string, number>; byStatus: Record<string, number> } {
    return { requests: this.total, byOp: Object.fromEntries(this.byOp), byStatus: Object.fromEntries(this.byStatus) };
  }
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
  // Every service of the registry, each from its own section of the scenario; a request goes to the first that matches.
  const services = new Map<ServiceName, ServiceEmulator>();
  for (const name of SERVICE_NAMES) services.set(name, (await SERVICES[name].emulator())(scenario[name] as never, clock));
  const plan = new FaultPlan(scenario.faults ?? [], scenario.seed);
  const limits = new RateLimits(scenario.rateLimit, clock);
  const latency = ms(scenario.latency);
  const keepLog = opts.log ?? true;
  const requests: LoggedRequest[] = [];
  const counts = new RequestCounts();
  const sockets = new Set<Socket>();
  let closed = false;
  /** the wake-up of every latency or stall wait in progress, so close() can end them all */
  const waits = new Set<() => void>();

  /** Waits ms, or less when the emulator closes or (for a stall) the client goes away; never rejects. */
  const pause = (delay: number, socket?: Socket) =>
    new Promise<void>((resolve) => {
      if (closed || socket?.destroyed) return resolve();
      const wake = () => {
        clearTimeout(timer);
        waits.delete(wake);
        socket?.off('close', wake);
        resolve();
      };
      const timer = setTimeout(wake, delay);
      waits.add(wake);
      socket?.once('close', wake);
    });

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
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ startedAt, ...counts.toJSON(), rateLimit: limits.toJSON() }));
      return true;
    }
    if (path === '/_emulator/reset' && req.method === 'POST') {
      requests.length = 0;
      counts.reset();
      res.writeHead(204);
      res.end();
      return true;
    }
    return false;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (closed) {
      req.socket.destroy();
      return;
    }
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
    const url = new URL(entry.url, 'http://emulator');
    let emulated: ServiceEmulator | undefined;
    for (const [name, service] of services) {
      const op = service.match(entry.method, url, req.headers);
      if (op === undefined) continue;
      entry.service = name;
      entry.op = op;
      emulated = service;
      break;
    }
    if (keepLog) requests.push(entry);
    const token = counts.arrive(entry.op || entry.service);
    const settle = (status: number) => {
      entry.status = status;
      counts.settle(token, status);
    };
    const drop = () => {
      entry.end = clock.now();
      req.socket.destroy();
    };
    const faults = entry.service === 'other' ? [] : plan.next(entry.service);
    const limited = entry.service === 'other' ? undefined : limits.take(entry.service);
    if (limited) faults.push(limited);
    entry.faults = faults.map((f) => f.type);
    const delay = latency + faults.filter((f) => f.type === 'latency').reduce((sum, f) => sum + ms(f.ms, 1000), 0);
    if (delay > 0) await pause(delay);
    if (closed || faults.some((f) => f.type === 'reset')) {
      settle(-1);
      return drop();
    }
    const stall = faults.find((f) => f.type === 'stall');
    if (stall) {
      // holds the connection without an answer until the stall ends, the client gives up or the emulator closes
      settle(-1);
      await pause(ms(stall.ms, 60_000), req.socket);
      return drop();
    }
    const reply: Reply = emulated
      ? emulated.handle(entry.op, {
          method: entry.method,
          url,
          headers: req.headers,
          body,
          faults,
          origin: `http://${req.headers.host}`,
          note: (details) => Object.assign(entry, details),
        })
      : { status: 404, body: { error: { code: 'NotFound', message: `no route for ${req.method} ${url.pathname}` } } };
    const contentType = emulated?.contentType ?? 'application/json';
    settle(reply.status);
    send(res, reply, faults, contentType);
    entry.end = clock.now();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      // a client that went away mid-body (or close() destroying the socket) leaves nothing to answer
      if (closed || res.destroyed) return;
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
    services,
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        for (const wake of [...waits]) wake();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
