import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { type AdHocServer, adHocServer, awsJsonError, huge, trickle } from '../ad-hoc-server.js';
import { azureDoc, INDEX, runCli, SECRETS } from '../helpers.js';

let emulator: Emulator | undefined;
const servers: AdHocServer[] = [];
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000d1';
const AMZ_JSON = 'application/x-amz-json-1.1';
const lines = (stderr: string) => stderr.split('\n').filter(Boolean);
const serve = async (...args: Parameters<typeof adHocServer>) => {
  const s = await adHocServer(...args);
  servers.push(s);
  return s;
};
const kendra = (url: string, ...extra: string[]) => ['kendra-status', '--index-id', INDEX, '--endpoint-url', url, 'a', ...extra];
const azure = (...extra: string[]) => ['translate-status', BATCH, 'a', ...extra];
const azureEnv = (url: string) => ({ AZURE_TRANSLATOR_KEY: SECRETS.azureKey, AZURE_TRANSLATOR_ENDPOINT: url });
const kendraIndexed = JSON.stringify({ DocumentStatusList: [{ DocumentId: 'a', DocumentStatus: 'INDEXED' }], Errors: [] });
const azureSucceeded = JSON.stringify(azureDoc({ id: 'a', status: 'Succeeded' }));

describe('a slow body cannot outlast the timeouts (item 12)', () => {
  it('--request-timeout 1s cuts off every attempt of a trickling answer: one pass ends after 5 attempts, not minutes', async () => {
    const k = await serve(trickle(AMZ_JSON));
    const a = await serve(trickle('application/json'));
    const started = Date.now();
    const [kr, ar] = await Promise.all([
      runCli(kendra(k.url, '--request-timeout', '1s'), { timeoutMs: 40_000 }),
      runCli(azure('--request-timeout', '1s'), { env: azureEnv(a.url), timeoutMs: 40_000 }),
    ]);
    // 5 attempts of 1 s and 4 backoffs of at most 0.5 + 1 + 2 + 4 s
    expect(Date.now() - started).toBeLessThan(20_000);
    for (const [r, s] of [
      [kr, k],
      [ar, a],
    ] as const) {
      expect(r.code).toBe(4);
      expect(lines(r.stderr)).toEqual(['docstatus: document a could not be read: RequestTimeout: no complete answer within 1s (--request-timeout)']);
      expect(s.requests).toHaveLength(5);
      expect(JSON.parse(r.stdout).stats.requests).toBe(5);
    }
  }, 45_000);

  it('--wait --timeout 3s ends in about 3 s whatever the body does, with a stderr line', async () => {
    const k = await serve(trickle(AMZ_JSON));
    const a = await serve(trickle('application/json'));
    const started = Date.now();
    const [kr, ar] = await Promise.all([runCli(kendra(k.url, '--wait', '--timeout', '3s')), runCli(azure('--wait', '--timeout', '3s'), { env: azureEnv(a.url) })]);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(elapsed).toBeLessThan(6000);
    for (const r of [kr, ar]) {
      expect(r.code).toBe(3);
      expect(lines(r.stderr)).toEqual(['docstatus: warning: --timeout 3s passed with 1 document(s) pending']);
    }
  });
});

describe('any 429 or 5xx is transient whatever its body; messages carry no SDK internals (item 5)', () => {
  it('Kendra: a 503 text/plain from a load balancer is retried', async () => {
    const s = await serve((_req, res, n) => {
      if (n === 1) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        return void res.end('Service Unavailable\r\nplease retry');
      }
      res.writeHead(200, { 'content-type': AMZ_JSON });
      res.end(kendraIndexed);
    });
    const r = await runCli(kendra(s.url));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(s.requests).toHaveLength(2);
  });

  it.each([
    ['Kendra 503 text/plain', 'kendra', 503, 'text/plain', 'Service Unavailable\nmore text', 'Service Unavailable'],
    ['Kendra 502 HTML', 'kendra', 502, 'text/html', '<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>', '502 Bad Gateway'],
    ['Kendra 507, a 5xx of no list', 'kendra', 507, 'text/plain', 'Insufficient Storage', 'Insufficient Storage'],
    ['Azure 502 HTML without a title', 'azure', 502, 'text/html', '<html><body><h1>502 Bad Gateway</h1><p>The proxy got no answer.</p></body></html>', '502 Bad Gateway'],
    ['Azure 599', 'azure', 599, 'text/plain', `${'x'.repeat(300)}\n`, `${'x'.repeat(119)}…`],
  ] as const)('%s that stays: retried until --timeout; the message is the status and the first line of the body', async (_name, service, status, type, body, first) => {
    const s = await serve((_req, res) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
    // 700ms: the second attempt comes at most 500ms in, and the third (at least 750ms in) is never scheduled, so the
    // scheduler gives up before the deadline: the document ends in error, never cut off pending
    const argv = service === 'kendra' ? kendra(s.url, '--wait', '--timeout', '700ms') : azure('--wait', '--timeout', '700ms');
    const r = await runCli(argv, { env: service === 'kendra' ? {} : azureEnv(s.url) });
    expect(r.code).toBe(4);
    // two attempts in round 1, and no round starts at the deadline
    expect(s.requests).toHaveLength(2);
    const message = `HTTP ${status} from ${s.host}: ${first}`;
    expect(lines(r.stderr)).toEqual([
      `docstatus: warning: HTTP${status}: ${message}; retrying until --timeout`,
      'docstatus: warning: --timeout 700ms passed',
      `docstatus: document a could not be read: HTTP${status}: ${message}`,
    ]);
    expect(r.stdout).not.toMatch(/Deserialization|\$response|SyntaxError|smithy/);
    expect(JSON.parse(r.stdout).documents[0]).toEqual({ id: 'a', state: 'error', errorCode: `HTTP${status}`, errorMessage: `HTTP ${status} from ${s.host}: ${first}` });
  });

  it('Kendra: a 429 in plain text is throttling: its Retry-After is obeyed', async () => {
    const s = await serve((_req, res, n) => {
      if (n === 1) {
        res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '1' });
        return void res.end('Too Many Requests');
      }
      res.writeHead(200, { 'content-type': AMZ_JSON });
      res.end(kendraIndexed);
    });
    const r = await runCli(kendra(s.url));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it.each(['kendra', 'azure'] as const)('%s: a 2xx body that is not JSON is MalformedResponse, asked again next round with --wait', async (service) => {
    // requests 1 (the one pass) and 2 (the first round of the wait) get a maintenance page, then the real answer
    const s = await serve((_req, res, n) => {
      res.writeHead(200, { 'content-type': service === 'kendra' ? AMZ_JSON : 'application/json' });
      res.end(n <= 2 ? '<html>maintenance</html>' : service === 'kendra' ? kendraIndexed : azureSucceeded);
    });
    const argv = service === 'kendra' ? kendra(s.url) : azure();
    const env = service === 'kendra' ? {} : azureEnv(s.url);
    const once = await runCli(argv, { env });
    expect(once.code).toBe(4);
    expect(JSON.parse(once.stdout).documents[0]).toMatchObject({ id: 'a', state: 'error', errorCode: 'MalformedResponse' });
    expect(once.stdout + once.stderr).not.toMatch(/Deserialization|\$response|SyntaxError|Unexpected token/);
    expect(s.requests).toHaveLength(1);
    const waited = await runCli([...argv, '--wait', '--interval', '10ms'], { env });
    expect(waited).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(waited.stdout).stats).toMatchObject({ rounds: 2, requests: 2 });
  });
});

describe('Retry-After never outlasts --timeout (item 14)', () => {
  const throttledForever = () =>
    startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } }, faults: [{ service: 'kendra', type: 'throttle', retryAfter: 1_000_000_000 }] });

  it('Kendra, Retry-After: 1000000000 with --wait --timeout 5s: ends within about 6 s', async () => {
    emulator = await throttledForever();
    const started = Date.now();
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, 'a', '--wait', '--timeout', '5s']);
    expect(Date.now() - started).toBeLessThan(6500);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents[0]).toMatchObject({ id: 'a', state: 'error', errorCode: 'ThrottlingException' });
  });

  it('Kendra, Retry-After: 1000000000 in one pass: ends at once, the document in error (throttled)', async () => {
    emulator = await throttledForever();
    const started = Date.now();
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, 'a']);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents[0]).toMatchObject({ id: 'a', state: 'error', errorCode: 'ThrottlingException' });
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^docstatus: document a could not be read: ThrottlingException: /);
    expect(emulator.requests).toHaveLength(1);
  });
});

describe('no answer is read past 64 MiB (item 17)', () => {
  const MiB = 1024 * 1024;
  it.each([
    ['Kendra, with its content-length', 'kendra', true],
    ['Kendra, chunked (no content-length)', 'kendra', false],
    ['Azure, chunked (no content-length)', 'azure', false],
  ] as const)('%s: ResponseTooLarge, not retried, exit 4', async (_name, service, contentLength) => {
    const s = await serve(huge(65 * MiB, { contentLength, contentType: service === 'kendra' ? AMZ_JSON : 'application/json' }));
    const argv = service === 'kendra' ? kendra(s.url, '--wait', '--interval', '10ms') : azure('--wait', '--interval', '10ms');
    const r = await runCli(argv, { env: service === 'kendra' ? {} : azureEnv(s.url) });
    expect(r.code).toBe(4);
    expect(lines(r.stderr)).toEqual(['docstatus: document a could not be read: ResponseTooLarge: the response is larger than 64 MiB; refused']);
    expect(s.requests).toHaveLength(1);
  });

  it('Kendra: a 400 with a huge body is refused the same way', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(400, { 'content-type': AMZ_JSON, 'content-length': String(70 * MiB) });
      res.write('{"__type":"ValidationException","message":"');
    });
    const r = await runCli(kendra(s.url));
    expect(r.code).toBe(4);
    expect(lines(r.stderr)).toEqual(['docstatus: document a could not be read: ResponseTooLarge: the response is larger than 64 MiB; refused']);
  });
});

describe('throttling answers of the SDK path', () => {
  it('Kendra reads Retry-After from a ThrottlingException answer', async () => {
    const s = await serve((_req, res, n) => {
      if (n === 1) {
        res.writeHead(400, { 'content-type': AMZ_JSON, 'retry-after': '1' });
        return void res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      }
      res.writeHead(200, { 'content-type': AMZ_JSON });
      res.end(kendraIndexed);
    });
    const r = await runCli(kendra(s.url));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('Kendra: a JSON 500 of a name no table knows is a server fault: retried', async () => {
    const s = await serve((_req, res, n) => (n === 1 ? awsJsonError(res, 500, 'SomethingNewException', 'try later') : (res.writeHead(200, { 'content-type': AMZ_JSON }), res.end(kendraIndexed))));
    const r = await runCli(kendra(s.url));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(s.requests).toHaveLength(2);
  });
});
