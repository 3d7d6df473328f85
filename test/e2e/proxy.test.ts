import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { adHocServer } from '../ad-hoc-server.js';
import { DS, INDEX, KB, runCli, SECRETS, tempFile } from '../helpers.js';
import { type TestCa, testCa } from '../tls-ca.js';

// Proxies and CA bundles end to end: the built bin, spawned, through a real proxy process (test/proxy-server.mjs,
// TooTallNate's `proxy`), to the emulator of all three services. The proxy prints each request it is asked to pass
// on, so every test counts what went through it; a test that expects the proxy to be used fails if it saw nothing.

const PROXY_SCRIPT = fileURLToPath(new URL('../proxy-server.mjs', import.meta.url));
const BATCH = '8d1b6a3e-0000-4000-8000-0000000000c1';
const IDS = Array.from({ length: 25 }, (_, i) => `doc-${i}`);
const USER = 'ci-proxy-user';

/** A running proxy process and what it printed: one line per request or CONNECT it was asked to pass on. */
interface TestProxy {
  url: string;
  /** host:port, as messages name it */
  host: string;
  lines: string[];
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
let emulator: Emulator | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const child of running) child.kill('SIGTERM');
  running.clear();
  await emulator?.close();
  emulator = undefined;
  for (const close of closers.splice(0)) await close();
});

async function startProxy(credentials?: string): Promise<TestProxy> {
  const child = spawn(process.execPath, [PROXY_SCRIPT, ...(credentials ? [credentials] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  const lines: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the proxy exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
      else lines.push(line);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    lines,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The emulator with a little of every service: Kendra 25 documents, an Azure batch of two, a knowledge base of two. */
async function emulate(): Promise<Emulator> {
  emulator = await startEmulator({
    kendra: { indexes: { [INDEX]: { documents: Object.fromEntries(IDS.map((id) => [id, [{ status: 'INDEXED' as const }]])) } } },
    translator: { key: SECRETS.azureKey, batches: { [BATCH]: { documents: { a: { timeline: [{ status: 'Succeeded' }] }, b: { timeline: [{ status: 'Succeeded' }] } } } } },
    'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents: { a: [{ status: 'INDEXED' }], b: [{ status: 'INDEXED' }] } } } } } },
  });
  return emulator;
}

/** Each service's run against an endpoint, and the requests one pass of it makes. */
const SERVICES = {
  kendra: { argv: (url: string) => ['kendra-status', '--index-id', INDEX, '--endpoint-url', url, ...IDS], env: () => ({}), requests: 3, method: 'POST' },
  translator: { argv: () => ['translate-status', BATCH, 'a', 'b'], env: (url: string) => ({ AZURE_TRANSLATOR_KEY: SECRETS.azureKey, AZURE_TRANSLATOR_ENDPOINT: url }), requests: 2, method: 'GET' },
  'bedrock-kb': { argv: (url: string) => ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', url, 'a', 'b'], env: () => ({}), requests: 1, method: 'POST' },
} as const;
type Service = keyof typeof SERVICES;
const NAMES = Object.keys(SERVICES) as Service[];

function run(service: Service, url: string, env: Record<string, string>, extra: string[] = []) {
  const s = SERVICES[service];
  return runCli([...s.argv(url), '--concurrency', '1', ...extra], { env: { ...s.env(url), ...env } });
}

const served = (e: Emulator, service: Service) => e.requests.filter((r) => r.service === service).length;
const lines = (stderr: string) => stderr.split('\n').filter(Boolean);
const withCredentials = (proxy: TestProxy, password = SECRETS.proxyPassword) => proxy.url.replace('http://', `http://${USER}:${password}@`);

describe('HTTP_PROXY: every service sends through the proxy (plain http to the emulator, in absolute form)', () => {
  it.each(NAMES)('%s: exactly its requests go through the proxy, and --verbose names the proxy by host only', async (service) => {
    const e = await emulate();
    const proxy = await startProxy();
    const r = await run(service, e.url, { HTTP_PROXY: proxy.url }, ['--verbose']);
    expect(r.code).toBe(0);
    const { requests, method } = SERVICES[service];
    expect(proxy.lines).toHaveLength(requests);
    for (const line of proxy.lines) expect(line.startsWith(`${method} ${e.url}/`)).toBe(true);
    expect(served(e, service)).toBe(requests);
    const verbose = lines(r.stderr);
    expect(verbose).toHaveLength(requests);
    for (const line of verbose) expect(line).toMatch(new RegExp(`^${method} ${e.url}/\\S* 200 \\d+ms \\(proxy ${proxy.host}\\)$`));
  });

  it.each(NAMES)('%s: lower-case http_proxy works, and wins over HTTP_PROXY when both are set', async (service) => {
    const e = await emulate();
    const proxy = await startProxy();
    const dead = await adHocServer(() => {});
    await dead.close();
    const r = await run(service, e.url, { http_proxy: proxy.url, HTTP_PROXY: dead.url });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(proxy.lines).toHaveLength(SERVICES[service].requests);
    const upper = await run(service, e.url, { http_proxy: '', HTTP_PROXY: proxy.url });
    expect(upper).toMatchObject({ code: 0, stderr: '' });
    expect(proxy.lines).toHaveLength(2 * SERVICES[service].requests);
  });

  it.each(NAMES)('%s: NO_PROXY naming the emulator host bypasses the proxy: it sees nothing', async (service) => {
    const e = await emulate();
    const proxy = await startProxy();
    const port = new URL(e.url).port;
    for (const noProxy of <Array<Record<string, string>>>[{ NO_PROXY: '127.0.0.1' }, { no_proxy: `example.com, 127.0.0.1:${port}` }, { NO_PROXY: '*' }, { NO_PROXY: '127.0.0.0/8' }]) {
      const r = await run(service, e.url, { HTTP_PROXY: proxy.url, ...noProxy });
      expect(r).toMatchObject({ code: 0, stderr: '' });
    }
    expect(proxy.lines).toEqual([]);
    expect(served(e, service)).toBe(4 * SERVICES[service].requests);
    // another port, or a name that only ends like the host, does not bypass it
    const r = await run(service, e.url, { HTTP_PROXY: proxy.url, NO_PROXY: `127.0.0.1:1,0.0.1,localhost` });
    expect(r.code).toBe(0);
    expect(proxy.lines).toHaveLength(SERVICES[service].requests);
  });

  it('HTTPS_PROXY alone is not used for a plain http endpoint (as curl reads it)', async () => {
    const e = await emulate();
    const proxy = await startProxy();
    for (const service of NAMES) expect((await run(service, e.url, { HTTPS_PROXY: proxy.url })).code).toBe(0);
    expect(proxy.lines).toEqual([]);
  });
});

describe('a proxy that fails: exit 4 with a line naming the proxy, never a hang or a crash', () => {
  it('a proxy that refuses connections: each service retries, then exit 4 naming the proxy and its variable', async () => {
    const e = await emulate();
    const dead = await adHocServer(() => {});
    await dead.close();
    const proxy = withCredentials({ url: dead.url } as TestProxy);
    // --concurrency 4: Kendra's three requests retry side by side (5 attempts each, with backoff)
    const results = await Promise.all(NAMES.map((service) => run(service, e.url, { HTTP_PROXY: proxy }, ['--concurrency', '4'])));
    for (const r of results) {
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(new RegExp(`ECONNREFUSED: connection refused by the proxy ${dead.host} \\(HTTP_PROXY\\)`));
      expect(r.stderr).not.toContain(SECRETS.proxyPassword);
      expect(r.stdout).not.toContain(SECRETS.proxyPassword);
    }
    expect(e.requests).toHaveLength(0);
  });

  it('a proxy that takes the connection and never answers: --request-timeout ends each attempt, exit 4', async () => {
    const e = await emulate();
    const silent = await adHocServer(() => {});
    const { createServer } = await import('node:net');
    const sockets = new Set<Socket>();
    const hole = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => hole.close(() => resolve()));
      await silent.close();
    });
    const url = `http://127.0.0.1:${(hole.address() as AddressInfo).port}`;
    const results = await Promise.all(NAMES.map((service) => run(service, e.url, { HTTP_PROXY: url }, ['--request-timeout', '300ms', '--concurrency', '4'])));
    for (const r of results) {
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/could not be read: RequestTimeout: no complete answer within 300ms \(--request-timeout\)\n$/);
    }
    expect(e.requests).toHaveLength(0);
  });

  it.each(NAMES)('%s: a proxy that wants credentials (407): exit 4 at the first answer, one line saying so', async (service) => {
    const e = await emulate();
    const proxy = await startProxy(`${USER}:${SECRETS.proxyPassword}`);
    const none = await run(service, e.url, { HTTP_PROXY: proxy.url }, ['--wait', '--interval', '10ms']);
    expect(none.code).toBe(4);
    expect(lines(none.stderr)).toEqual([
      `docstatus: ProxyAuthenticationRequired: the proxy ${proxy.host} (HTTP_PROXY) asks for a user name and password: put them in HTTP_PROXY (http://user:password@host:port) (HTTP 407)`,
    ]);
    expect(proxy.lines).toHaveLength(1);
    const wrong = await run(service, e.url, { HTTP_PROXY: withCredentials(proxy, 'not-the-password-at-all') }, ['--wait', '--interval', '10ms']);
    expect(wrong.code).toBe(4);
    expect(lines(wrong.stderr)).toEqual([`docstatus: ProxyAuthenticationRequired: the proxy ${proxy.host} (HTTP_PROXY) refused the user name and password in HTTP_PROXY (HTTP 407)`]);
    expect(wrong.stderr).not.toContain('not-the-password-at-all');
    expect(proxy.lines).toHaveLength(2);
    expect(proxy.lines.every((l) => l.endsWith(' 407'))).toBe(true);
    expect(e.requests).toHaveLength(0);
  });

  it.each(NAMES)('%s: the right credentials in the proxy URL pass, and are never printed (--verbose, -o json, DEBUG=*)', async (service) => {
    const e = await emulate();
    const proxy = await startProxy(`${USER}:${SECRETS.proxyPassword}`);
    // DEBUG=* would make the proxy agents' `debug` print the proxy URL and Proxy-Authorization (src/core/no-debug.ts)
    const r = await run(service, e.url, { HTTP_PROXY: withCredentials(proxy), DEBUG: '*' }, ['--verbose', '-o', 'json']);
    const basic = Buffer.from(`${USER}:${SECRETS.proxyPassword}`).toString('base64');
    expect(r.stderr).not.toContain(basic);
    expect(r.code).toBe(0);
    expect(proxy.lines).toHaveLength(SERVICES[service].requests);
    expect(proxy.lines.some((l) => l.endsWith(' 407'))).toBe(false);
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain(SECRETS.proxyPassword);
      expect(text).not.toContain(`${USER}:`);
    }
    expect(r.stderr).toContain(`(proxy ${proxy.host})`);
  });
});

describe('bad proxy settings are bad input: exit 2, one line naming the variable, nothing sent', () => {
  const BAD: Array<[string, string, string]> = [
    ['not a URL', `http://${USER}:${SECRETS.proxyPassword}@[bad`, 'not a proxy URL (expected http://[user:password@]host:port)'],
    ['a socks proxy', `socks5://${USER}:${SECRETS.proxyPassword}@127.0.0.1:1080`, "'socks5:' proxies are not supported (use an http:// or https:// proxy)"],
    // Was "internal error: URI malformed", exit 70 (the agents decode the credentials).
    ['a % that starts no escape in the password', `http://${USER}:${SECRETS.proxyPassword}%zz@127.0.0.1:3128`, "the proxy URL's user name or password holds a malformed %-escape (write a % as %25)"],
  ];
  it.each(BAD)('%s, for every service, in either case of the variable', async (_what, value, message) => {
    const e = await emulate();
    for (const service of NAMES) {
      for (const variable of ['HTTP_PROXY', 'http_proxy']) {
        const r = await run(service, e.url, { [variable]: value });
        expect(r).toMatchObject({ code: 2, stdout: '' });
        expect(r.stderr).toBe(`docstatus: ${variable}: ${message}\n`);
      }
    }
    expect(e.requests).toHaveLength(0);
  });

  it('a credential over plain http through a proxy that is not on loopback is refused; NO_PROXY sends it direct', async () => {
    const e = await emulate();
    const far = 'http://vm:3128'; // not loopback by its name (it resolves to 127.0.0.1 here; nothing is sent)
    for (const service of NAMES) {
      const r = await run(service, e.url, { HTTP_PROXY: far });
      expect(r).toMatchObject({ code: 2, stdout: '' });
      const what = service === 'translator' ? 'a key' : 'AWS credentials';
      expect(r.stderr).toBe(
        `docstatus: HTTP_PROXY: refusing to send ${what} over plain http through the proxy vm:3128 (http:// endpoints get credentials only on loopback: add 127.0.0.1 to NO_PROXY)\n`,
      );
      expect((await run(service, e.url, { HTTP_PROXY: far, NO_PROXY: '127.0.0.1' })).code).toBe(0);
    }
    expect(e.requests.length).toBe(3 + 2 + 1);
  });
});

describe('https endpoints: through a CONNECT tunnel; AWS_CA_BUNDLE for the AWS services, NODE_EXTRA_CA_CERTS for all', () => {
  let ca: TestCa;
  let other: TestCa;
  beforeAll(() => {
    ca = testCa();
    other = testCa('another-ca');
  });

  /** An https front for the emulator, with the test CA's server certificate (the emulator speaks plain http). */
  async function httpsFront(e: Emulator, tls: TestCa): Promise<{ url: string; host: string }> {
    const upstream = new URL(e.url);
    const sockets = new Set<Socket>();
    const server: Server = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      const up = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    );
    const { port } = server.address() as AddressInfo;
    return { url: `https://127.0.0.1:${port}`, host: `127.0.0.1:${port}` };
  }

  const AWS: Service[] = ['kendra', 'bedrock-kb'];

  it.for(AWS)('%s: AWS_CA_BUNDLE trusts the CA; without it the certificate is refused (exit 4, one TLS line)', async (service) => {
    const e = await emulate();
    const front = await httpsFront(e, ca);
    const ok = await run(service, front.url, { AWS_CA_BUNDLE: ca.caPath });
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(served(e, service)).toBe(SERVICES[service].requests);
    const refused = await run(service, front.url, {});
    expect(refused.code).toBe(4);
    expect(lines(refused.stderr)).toEqual([`docstatus: UNABLE_TO_VERIFY_LEAF_SIGNATURE: the TLS certificate of ${front.host} was refused: unable to verify the first certificate`]);
    expect(served(e, service)).toBe(SERVICES[service].requests);
  });

  it.for(AWS)('%s: AWS_CA_BUNDLE replaces the trust store (as in the AWS CLI): NODE_EXTRA_CA_CERTS does not add to it', async (service) => {
    const e = await emulate();
    const front = await httpsFront(e, ca);
    expect((await run(service, front.url, { NODE_EXTRA_CA_CERTS: ca.caPath })).code).toBe(0);
    const replaced = await run(service, front.url, { NODE_EXTRA_CA_CERTS: ca.caPath, AWS_CA_BUNDLE: other.caPath });
    expect(replaced.code).toBe(4);
    expect(replaced.stderr).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it.for(AWS)('%s: HTTPS_PROXY tunnels with CONNECT, AWS_CA_BUNDLE verifies the endpoint inside the tunnel', async (service) => {
    const e = await emulate();
    const front = await httpsFront(e, ca);
    const proxy = await startProxy(`${USER}:${SECRETS.proxyPassword}`);
    const r = await run(service, front.url, { HTTPS_PROXY: withCredentials(proxy), AWS_CA_BUNDLE: ca.caPath, DEBUG: '*' }, ['--verbose']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain(Buffer.from(`${USER}:${SECRETS.proxyPassword}`).toString('base64'));
    // one tunnel a connection (kept alive between requests): at least one, at most one a request
    expect(proxy.lines.length).toBeGreaterThanOrEqual(1);
    expect(proxy.lines.length).toBeLessThanOrEqual(SERVICES[service].requests);
    for (const line of proxy.lines) expect(line).toBe(`CONNECT ${front.host}`);
    expect(served(e, service)).toBe(SERVICES[service].requests);
    expect(r.stderr).not.toContain(SECRETS.proxyPassword);
    // without the CA, the certificate inside the tunnel is refused: exit 4
    const refused = await run(service, front.url, { HTTPS_PROXY: withCredentials(proxy) });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`UNABLE_TO_VERIFY_LEAF_SIGNATURE: the TLS certificate of ${front.host} was refused`);
    // HTTP_PROXY is not used for https (as curl reads it), and NO_PROXY bypasses HTTPS_PROXY
    const before = proxy.lines.length;
    expect((await run(service, front.url, { HTTP_PROXY: withCredentials(proxy), AWS_CA_BUNDLE: ca.caPath })).code).toBe(0);
    expect((await run(service, front.url, { https_proxy: withCredentials(proxy), no_proxy: '127.0.0.1', AWS_CA_BUNDLE: ca.caPath })).code).toBe(0);
    expect(proxy.lines.length).toBe(before);
  });

  it('translate-status: HTTPS_PROXY tunnels with CONNECT, NODE_EXTRA_CA_CERTS trusts the CA (AWS_CA_BUNDLE is not read)', async () => {
    const e = await emulate();
    const front = await httpsFront(e, ca);
    const proxy = await startProxy();
    const r = await run('translator', front.url, { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: ca.caPath });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(proxy.lines.length).toBeGreaterThanOrEqual(1);
    for (const line of proxy.lines) expect(line).toBe(`CONNECT ${front.host}`);
    expect(served(e, 'translator')).toBe(2);
    const refused = await run('translator', front.url, { HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: ca.caPath });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`UNABLE_TO_VERIFY_LEAF_SIGNATURE: the TLS certificate of ${front.host} was refused`);
  });

  it.for(NAMES)('%s: a CONNECT refused for want of credentials (407): exit 4 at once, one line; nothing reaches the service', async (service) => {
    const e = await emulate();
    const front = await httpsFront(e, ca);
    const proxy = await startProxy(`${USER}:${SECRETS.proxyPassword}`);
    const trust: Record<string, string> = service === 'translator' ? { NODE_EXTRA_CA_CERTS: ca.caPath } : { AWS_CA_BUNDLE: ca.caPath };
    const r = await run(service, front.url, { HTTPS_PROXY: proxy.url, ...trust }, ['--wait', '--interval', '10ms']);
    expect(r.code).toBe(4);
    expect(lines(r.stderr)).toEqual([
      `docstatus: ProxyAuthenticationRequired: the proxy ${proxy.host} (HTTPS_PROXY) asks for a user name and password: put them in HTTPS_PROXY (http://user:password@host:port) (HTTP 407)`,
    ]);
    expect(proxy.lines).toEqual([`CONNECT ${front.host} 407`]);
    expect(served(e, service)).toBe(0);
  });

  it.each(AWS)('%s: an AWS_CA_BUNDLE that cannot be read or holds no certificate is exit 2, nothing sent', async (service) => {
    const e = await emulate();
    const r = await run(service, e.url, { AWS_CA_BUNDLE: '/nonexistent/ca.pem' });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'docstatus: AWS_CA_BUNDLE: cannot read /nonexistent/ca.pem (ENOENT)\n' });
    const empty = tempFile('ca.pem', 'no certificate here\n');
    const n = await run(service, e.url, { AWS_CA_BUNDLE: empty });
    expect(n).toMatchObject({ code: 2, stdout: '', stderr: `docstatus: AWS_CA_BUNDLE: ${empty} holds no PEM certificate (-----BEGIN CERTIFICATE-----)\n` });
    const broken = tempFile('ca.pem', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    const b = await run(service, e.url, { AWS_CA_BUNDLE: broken });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(new RegExp(`^docstatus: AWS_CA_BUNDLE: ${broken} holds a certificate that cannot be read \\(.+\\)\\n$`));
    expect(e.requests).toHaveLength(0);
  });

  it.each(AWS)('%s: an AWS_CA_BUNDLE that is a FIFO nobody writes, or endless (/dev/zero), is exit 2 at once, nothing sent', async (service) => {
    const e = await emulate();
    const fifo = join(mkdtempSync(join(tmpdir(), 'docstatus-ca-')), 'ca.pem');
    execFileSync('mkfifo', [fifo]);
    // Before: open() of the FIFO blocked for ever (the first SIGTERM only asked the run to stop); /dev/zero was read
    // into 600 MB of memory before the string was too long.
    const f = await runCli([...SERVICES[service].argv(e.url), '--concurrency', '1'], { env: { ...SERVICES[service].env(e.url), AWS_CA_BUNDLE: fifo }, timeoutMs: 15_000 });
    expect(f).toMatchObject({ code: 2, signal: null, stdout: '', stderr: `docstatus: AWS_CA_BUNDLE: cannot read ${fifo} (not a regular file)\n` });
    const z = await run(service, e.url, { AWS_CA_BUNDLE: '/dev/zero' });
    expect(z).toMatchObject({ code: 2, stdout: '', stderr: 'docstatus: AWS_CA_BUNDLE: cannot read /dev/zero (not a regular file)\n' });
    expect(e.requests).toHaveLength(0);
  });
});

describe('a proxy that never answers CONNECT', () => {
  /** A TCP server that reads the CONNECT and says nothing, ever. */
  async function silentProxy() {
    const sockets = new Set<Socket>();
    let connects = 0;
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.once('data', () => connects++);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connects: () => connects };
  }

  // Before: Kendra and Bedrock printed the result and then never exited (https-proxy-agent's CONNECT socket, which no
  // abort reaches, held the process); Azure printed nothing at all (undici's ProxyAgent ignores the request's signal
  // while it waits for the CONNECT answer, and close() waited for it), and its --request-timeout did not end it either.
  it.each(NAMES)('%s: SIGTERM mid-request prints the result so far and exits 143', async (service) => {
    const proxy = await silentProxy();
    const s = SERVICES[service];
    const url = 'https://service.example.com';
    const r = await runCli([...s.argv(url), '--concurrency', '1'], {
      env: { ...s.env(url), HTTPS_PROXY: proxy.url },
      timeoutMs: 15_000,
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (proxy.connects() > 0) {
            clearInterval(poll);
            child.kill('SIGTERM');
          }
        }, 20);
        child.on('exit', () => clearInterval(poll));
      },
    });
    expect(r.signal).toBe(null);
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('docstatus: warning: interrupted by SIGTERM: the result so far\n');
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'pending', complete: false });
    expect(proxy.connects()).toBe(1);
  });
});

describe('a proxy that answers CONNECT with a status other than 200', () => {
  // Before: https-proxy-agent replayed such an answer to the AWS SDK as the service's own response, TLS never begun:
  // a proxy's `201` with a made-up body had all 25 Kendra documents INDEXED, exit 0 (a green gate from the proxy), and
  // a `302` was "HTTP 302 from <the endpoint>" with the proxy's body as the service's message.
  const forged = JSON.stringify({ DocumentStatusList: IDS.map((id) => ({ DocumentId: id, DocumentStatus: 'INDEXED' })), Errors: [] });
  async function forgingProxy(status: string) {
    const sockets = new Set<Socket>();
    let connects = 0;
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.once('data', () => {
        connects++;
        socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: ${Buffer.byteLength(forged)}\r\n\r\n${forged}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    const port = (server.address() as AddressInfo).port;
    return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, connects: () => connects };
  }

  it.for(NAMES.flatMap((service) => ['201 Created', '302 Found'].map((status) => [service, status] as const)))('%s, %s: the proxy refused, every document in error (exit 4), never read as an answer', async ([service, status]) => {
    const proxy = await forgingProxy(status);
    const s = SERVICES[service];
    const url = 'https://service.example.com';
    const r = await runCli([...s.argv(url), '--concurrency', '1', '-o', 'ndjson'], { env: { ...s.env(url), HTTPS_PROXY: proxy.url } });
    expect(r.code).toBe(4);
    const code = `ProxyHTTP${status.slice(0, 3)}`;
    const docs = r.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; state?: string; errorCode?: string });
    const documents = docs.filter((d) => d.type === 'document');
    // every document asked, each once, none read from the forged answer
    expect(documents.length).toBe(service === 'kendra' ? IDS.length : 2);
    expect(documents.every((d) => d.state === 'error' && d.errorCode === code)).toBe(true);
    expect(r.stderr).toContain(`${code}: the proxy ${proxy.host} (HTTPS_PROXY) answered HTTP ${status.slice(0, 3)} instead of passing the request on`);
    expect(r.stderr).not.toContain('DocumentStatusList');
    // one CONNECT per request of the pass (the refused tunnel is never reused)
    expect(proxy.connects()).toBe(s.requests);
  });
});

describe('docstatus demo', () => {
  it('talks to its own emulator directly, whatever proxy the environment names (even a bad one)', async () => {
    const proxy = await startProxy();
    const r = await runCli(['demo'], { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: 'http://[bad' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('kb-status exited 1');
    expect(proxy.lines).toEqual([]);
  });
});
