import { lookup } from 'node:dns/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { type AdHocServer, adHocServer, awsJsonError, selfSignedCert } from '../ad-hoc-server.js';
import { AZURE_DOC_REQUIRED, azureDoc, INDEX, runCli, SECRETS } from '../helpers.js';

let emulator: Emulator | undefined;
let server: AdHocServer | undefined;
afterEach(async () => {
  await emulator?.close();
  await server?.close();
  emulator = undefined;
  server = undefined;
});

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000c1';
const IDS = Array.from({ length: 25 }, (_, i) => `doc-${i}`);
const kendraCalls = (e: Emulator) => e.requests.filter((r) => r.service === 'kendra');
const azureCalls = (e: Emulator) => e.requests.filter((r) => r.service === 'translator');
const lines = (stderr: string) => stderr.split('\n').filter(Boolean);
const noCredentials = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };

async function kendraEmulator() {
  emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: Object.fromEntries(IDS.map((id) => [id, [{ status: 'INDEXED' as const }]])) } } } });
  return emulator;
}
async function azureEmulator() {
  emulator = await startEmulator({ translator: { key: SECRETS.azureKey, batches: { [BATCH]: { documents: { a: { timeline: [{ status: 'Succeeded' }] } } } } } });
  return emulator;
}

describe('a fault no request can get past ends the run at once: exit 4, its cause on stderr once (item 3)', () => {
  const CREDENTIALS_LINE = 'docstatus: CredentialsProviderError: Could not load credentials from any providers';

  it('no AWS credentials, -q: one stderr line, nothing sent, stats.requests 0', async () => {
    const e = await kendraEmulator();
    const q = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, ...IDS, '--wait', '--interval', '10ms', '-q'], { env: noCredentials });
    expect(q).toMatchObject({ code: 4, stdout: '' });
    expect(lines(q.stderr)).toEqual([CREDENTIALS_LINE]);
    const j = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, ...IDS, '--wait', '--interval', '10ms', '-o', 'json'], { env: noCredentials });
    expect(j.code).toBe(4);
    expect(lines(j.stderr)).toEqual([CREDENTIALS_LINE]);
    const out = JSON.parse(j.stdout);
    expect(out.errors).toEqual([{ code: 'CredentialsProviderError', message: 'Could not load credentials from any providers' }]);
    expect(out.documents).toHaveLength(25);
    expect(new Set(out.documents.map((d: { state: string; errorCode: string }) => `${d.state}/${d.errorCode}`))).toEqual(new Set(['error/CredentialsProviderError']));
    expect(out.stats).toMatchObject({ rounds: 1, requests: 0 });
    expect(kendraCalls(e)).toHaveLength(0);
  });

  it('an unknown index (ResourceNotFoundException): the run stops after the first answer', async () => {
    const e = await kendraEmulator();
    const other = `${INDEX.slice(0, 30)}ffffff`;
    const r = await runCli(['kendra-status', '--index-id', other, '--endpoint-url', e.url, ...IDS, '--wait', '--interval', '10ms', '--concurrency', '1', '-o', 'json']);
    expect(r.code).toBe(4);
    expect(lines(r.stderr)).toEqual([`docstatus: ResourceNotFoundException: Index ${other} does not exist.`]);
    const out = JSON.parse(r.stdout);
    expect(out.errors).toEqual([{ code: 'ResourceNotFoundException', message: `Index ${other} does not exist.` }]);
    expect(out.stats).toMatchObject({ rounds: 1, requests: 1 });
    expect(kendraCalls(e)).toHaveLength(1);
  });

  it('-o ndjson: every document of the run gets its line before the result, those the fault left unasked too', async () => {
    const e = await kendraEmulator();
    const other = `${INDEX.slice(0, 30)}ffffff`;
    const r = await runCli(['kendra-status', '--index-id', other, '--endpoint-url', e.url, ...IDS, '--wait', '--interval', '10ms', '--concurrency', '1', '-o', 'ndjson']);
    expect(r.code).toBe(4);
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    // Before: one line (doc-0..doc-9 shared the one request, but only the first was reported), 24 documents missing.
    const message = `Index ${other} does not exist.`;
    expect(out.slice(0, -1).map(({ at: _at, ...d }) => d)).toEqual(IDS.map((id) => ({ type: 'document', id, state: 'error', errorCode: 'ResourceNotFoundException', errorMessage: message })));
    expect(out.at(-1)).toMatchObject({ type: 'result', outcome: 'error', summary: { total: 25, error: 25 }, stats: { requests: 1 } });
    expect(kendraCalls(e)).toHaveLength(1);
  });

  it.each([
    [400, 'AccessDeniedException', 'User: arn:aws:iam::1:user/ci is not authorized to perform: kendra:BatchGetDocumentStatus'],
    [400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'],
    [400, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.'],
    [403, 'ExpiredTokenException', 'The security token included in the request is expired'],
    [403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'],
    [400, 'ValidationException', '1 validation error detected'],
  ])('Kendra %i %s: one request, one stderr line, -q or not', async (status, type, message) => {
    server = await adHocServer((_req, res) => awsJsonError(res, status, type, message));
    for (const extra of [['-q'], ['-o', 'json']]) {
      const before = server.requests.length;
      const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', server.url, ...IDS, '--wait', '--concurrency', '1', ...extra]);
      expect(r.code).toBe(4);
      expect(lines(r.stderr)).toEqual([`docstatus: ${type}: ${message}`]);
      expect(server.requests.length - before).toBe(1);
      if (extra[0] === '-o') expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'error', errors: [{ code: type, message }], stats: { requests: 1 } });
    }
  });

  it('a wrong Azure key (401): translate-status and translate-docs stop at the first answer', async () => {
    const e = await azureEmulator();
    const env = { AZURE_TRANSLATOR_KEY: 'wrong-key', AZURE_TRANSLATOR_ENDPOINT: e.url };
    const line = 'docstatus: Unauthorized: Access denied due to invalid subscription key or wrong API endpoint. (InvalidSubscriptionKey)';
    const status = await runCli(['translate-status', BATCH, 'a', 'b', 'c', 'd', '--wait', '--interval', '10ms', '--concurrency', '1', '-q'], { env });
    expect(status).toMatchObject({ code: 4, stdout: '' });
    expect(lines(status.stderr)).toEqual([line]);
    expect(azureCalls(e)).toHaveLength(1);
    const docs = await runCli(['translate-docs', BATCH, '--wait', '--interval', '10ms', '-o', 'json'], { env });
    expect(docs.code).toBe(4);
    expect(lines(docs.stderr)).toEqual([line]);
    expect(JSON.parse(docs.stdout)).toMatchObject({ outcome: 'error', errors: [{ code: 'Unauthorized' }], stats: { requests: 1 } });
    expect(azureCalls(e)).toHaveLength(2);
  });

  it('Azure 403 (a gateway page) and an unknown batch (404 on the batch route): one request, one line', async () => {
    server = await adHocServer((req, res) => {
      if (req.url.includes('/batches/forbidden')) {
        res.writeHead(403, { 'content-type': 'text/html' });
        res.end('<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1></body></html>');
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'ResourceNotFound', message: 'Batch id not found.', innerError: { code: 'BatchNotFound' } } }));
      }
    });
    const env = { AZURE_TRANSLATOR_KEY: SECRETS.azureKey, AZURE_TRANSLATOR_ENDPOINT: server.url };
    const forbidden = await runCli(['translate-status', 'forbidden', 'a', 'b', 'c', '--wait', '--concurrency', '1', '-q'], { env });
    expect(forbidden.code).toBe(4);
    expect(lines(forbidden.stderr)).toEqual([`docstatus: HTTP403: HTTP 403 from ${server.host}: 403 Forbidden`]);
    expect(server.requests).toHaveLength(1);
    const unknown = await runCli(['translate-status', 'nope', '--wait', '-o', 'json'], { env });
    expect(unknown.code).toBe(4);
    expect(lines(unknown.stderr)).toEqual(['docstatus: ResourceNotFound: Batch id not found. (BatchNotFound)']);
    expect(JSON.parse(unknown.stdout).errors).toEqual([{ code: 'ResourceNotFound', message: 'Batch id not found. (BatchNotFound)' }]);
    // a document's own 404 under a batch that exists stays that document's: every document is still asked
    const docs = await runCli(['translate-status', 'nope', 'a', 'b', '--concurrency', '1', '-q'], { env });
    expect(docs.code).toBe(4);
    expect(lines(docs.stderr)).toEqual(['docstatus: ResourceNotFound: Batch id not found. (BatchNotFound)']);
    expect(server.requests).toHaveLength(3);
  });
});

describe('a 400 about one Azure document is that document\'s answer, not the run\'s', () => {
  it('translate-status B bad good: the refused document is in error, the other is still asked and succeeds', async () => {
    server = await adHocServer((req, res) => {
      res.writeHead(req.url.includes('/documents/bad') ? 400 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url.includes('/documents/bad') ? { error: { code: 'InvalidArgument', message: 'The document id is not valid.' } } : azureDoc({ id: 'good', status: 'Succeeded' })));
    });
    const env = { AZURE_TRANSLATOR_KEY: SECRETS.azureKey, AZURE_TRANSLATOR_ENDPOINT: server.url };
    const r = await runCli(['translate-status', BATCH, 'bad', 'good', '--concurrency', '1'], { env });
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.errors).toBeUndefined();
    expect(out.documents).toEqual([
      { id: 'bad', state: 'error', errorCode: 'InvalidArgument', errorMessage: 'The document id is not valid.' },
      { ...AZURE_DOC_REQUIRED, id: 'good', status: 'Succeeded', state: 'succeeded' },
    ]);
    expect(lines(r.stderr)).toEqual(['docstatus: document bad could not be read: InvalidArgument: The document id is not valid.']);
    expect(server.requests).toHaveLength(2);
  });
});

describe('a host that does not exist or a certificate that is refused ends a --wait at once (item 4)', () => {
  it('ENOTFOUND (a .invalid host name): exit 4 well under --timeout, one stderr line', async (t) => {
    const dns = await lookup('docstatus-test.invalid').then(
      () => 'resolved',
      (err: NodeJS.ErrnoException) => err.code,
    );
    if (dns !== 'ENOTFOUND') t.skip(`this machine's resolver answers ${dns} for a .invalid name, not ENOTFOUND`);
    const started = Date.now();
    const [k, a] = await Promise.all([
      runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', 'https://docstatus-test.invalid:8443', 'a', 'b', '--wait', '--timeout', '20s', '-q']),
      runCli(['translate-status', BATCH, 'a', 'b', '--wait', '--timeout', '20s', '-q'], { env: { AZURE_TRANSLATOR_KEY: SECRETS.azureKey, AZURE_TRANSLATOR_ENDPOINT: 'https://docstatus-test.invalid' } }),
    ]);
    expect(Date.now() - started).toBeLessThan(8000);
    for (const r of [k, a]) {
      expect(r.code).toBe(4);
      expect(lines(r.stderr)).toEqual(['docstatus: ENOTFOUND: the host name docstatus-test.invalid does not resolve (check the endpoint)']);
    }
  });

  it('a self-signed TLS certificate: exit 4 well under --timeout, one stderr line, no request reached the server', async (t) => {
    const tls = selfSignedCert();
    if ('skip' in tls) return t.skip(tls.skip);
    server = await adHocServer((_req, res) => awsJsonError(res, 500, 'InternalServerException', 'never reached'), tls);
    const started = Date.now();
    const [k, a] = await Promise.all([
      runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', server.url, 'a', 'b', '--wait', '--timeout', '20s', '-o', 'json']),
      runCli(['translate-status', BATCH, 'a', 'b', '--wait', '--timeout', '20s', '-q'], { env: { AZURE_TRANSLATOR_KEY: SECRETS.azureKey, AZURE_TRANSLATOR_ENDPOINT: server.url } }),
    ]);
    expect(Date.now() - started).toBeLessThan(8000);
    for (const r of [k, a]) {
      expect(r.code).toBe(4);
      expect(lines(r.stderr)).toEqual([`docstatus: DEPTH_ZERO_SELF_SIGNED_CERT: the TLS certificate of ${server.host} was refused: self-signed certificate`]);
    }
    expect(JSON.parse(k.stdout)).toMatchObject({ outcome: 'error', errors: [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }] });
    expect(server.requests).toHaveLength(0);
    expect(server.connections).toBeGreaterThanOrEqual(2);
  });

  it('a refused connection is transient: retried until --timeout, no run-level error', async () => {
    // a port nothing listens on: take one and close it
    const closed = await adHocServer(() => {});
    const url = closed.url;
    await closed.close();
    const started = Date.now();
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', url, 'a', '--wait', '--interval', '100ms', '--timeout', '1500ms', '-o', 'json']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    const out = JSON.parse(r.stdout);
    expect(out.errors).toBeUndefined();
    // the deadline may cut the last retry off (pending, exit 3) or come after the scheduler gave up (error, exit 4)
    if (r.code === 4) expect(out.documents[0]).toEqual({ id: 'a', state: 'error', errorCode: 'ECONNREFUSED', errorMessage: `connection refused by ${url.slice('http://'.length)}` });
    else expect([r.code, out.documents[0].state]).toEqual([3, 'pending']);
  });
});

describe('credentials never go over plain http but to loopback, wherever the endpoint comes from (items 15, 16)', () => {
  const BAD: Array<[string, (port: number) => string, RegExp]> = [
    ['user name and password', (p) => `http://me:s3cret@127.0.0.1:${p}`, /: put no user name or password in the URL/],
    ['javascript:', () => 'javascript:alert(1)', /: 'javascript:' URLs are not supported/],
    ['file:', () => 'file:///etc/passwd', /: 'file:' URLs are not supported/],
    ['not a URL', () => 'not a url', /: not a URL$/],
    ['a query', (p) => `https://127.0.0.1:${p}/?X-Amz-Security-Token=s3cret`, /: give the endpoint URL without a query or fragment/],
    ['plain http to another host', () => 'http://vm:8790', /: refusing to send AWS credentials over plain http to vm:8790 \(use https:\/\//],
    ['plain http to the instance metadata address', () => 'http://169.254.169.254', /: refusing to send AWS credentials over plain http to 169\.254\.169\.254 /],
  ];
  const SOURCES = ['--endpoint-url', 'AWS_ENDPOINT_URL_KENDRA', 'AWS_ENDPOINT_URL'] as const;
  const table = BAD.flatMap(([what, url, message]) => SOURCES.map((source) => [what, source, url, message] as const));

  it.each(table)('%s from %s: exit 2, one line naming the source, not the URL; nothing sent', async (_what, source, url, message) => {
    server ??= await adHocServer((_req, res) => awsJsonError(res, 500, 'InternalServerException', 'must not be asked'));
    const port = Number(new URL(server.url).port);
    const value = url(port);
    const argv = ['kendra-status', '--index-id', INDEX, 'a', ...(source === '--endpoint-url' ? ['--endpoint-url', value] : [])];
    const r = await runCli(argv, { env: source === '--endpoint-url' ? {} : { [source]: value } });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr.startsWith(`docstatus: ${source}: `)).toBe(true);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).not.toContain(value);
    expect(server.connections).toBe(0);
  });

  it('the flag wins over AWS_ENDPOINT_URL_KENDRA, which wins over AWS_ENDPOINT_URL; loopback http is allowed', async () => {
    const e = await kendraEmulator();
    const ok = await runCli(['kendra-status', '--index-id', INDEX, 'doc-1'], { env: { AWS_ENDPOINT_URL_KENDRA: e.url.replace('127.0.0.1', 'localhost'), AWS_ENDPOINT_URL: 'not a url' } });
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    const flag = await runCli(['kendra-status', '--index-id', INDEX, 'doc-1', '--endpoint-url', e.url], { env: { AWS_ENDPOINT_URL_KENDRA: 'file:///etc/passwd' } });
    expect(flag).toMatchObject({ code: 0, stderr: '' });
    const general = await runCli(['kendra-status', '--index-id', INDEX, 'doc-1'], { env: { AWS_ENDPOINT_URL: e.url } });
    expect(general).toMatchObject({ code: 0, stderr: '' });
    expect(kendraCalls(e)).toHaveLength(3);
  });

  it('Azure: an endpoint from AZURE_TRANSLATOR_ENDPOINT is named as such', async () => {
    const r = await runCli(['translate-status', BATCH, 'a'], { env: { AZURE_TRANSLATOR_KEY: 'k', AZURE_TRANSLATOR_ENDPOINT: 'http://translator.example.com' } });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('docstatus: AZURE_TRANSLATOR_ENDPOINT: refusing to send a key over plain http to translator.example.com (use https://; http is allowed only to loopback)\n');
  });
});

describe('AWS settings and request counts (items 25, 30)', () => {
  it('the region: --region, then AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    const e = await kendraEmulator();
    const region = async (env: Record<string, string>, extra: string[] = []) => {
      const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, 'doc-1', ...extra], { env });
      expect(r).toMatchObject({ code: 0, stderr: '' });
      return /\/\d{8}\/([^/]+)\/kendra\//.exec(String(kendraCalls(e).at(-1)!.headers.authorization))![1];
    };
    expect(await region({ AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-central-1' })).toBe('eu-central-1');
    expect(await region({ AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-central-1' })).toBe('us-west-2');
    expect(await region({ AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-central-1' }, ['--region', 'ap-south-1'])).toBe('ap-south-1');
  });

  it('stats.requests is what the server saw: a --wait run of each service', async () => {
    emulator = await startEmulator({
      kendra: { indexes: { [INDEX]: { documents: Object.fromEntries(IDS.map((id, i) => [id, [{ status: 'PROCESSING' as const }, { afterPolls: i % 3, status: 'INDEXED' as const }]])) } } },
      translator: { key: SECRETS.azureKey, batches: { [BATCH]: { documents: { a: { timeline: [{ status: 'Running' }, { afterPolls: 2, status: 'Succeeded' }] }, b: { timeline: [{ status: 'Succeeded' }] } } } } },
    });
    const k = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, ...IDS, '--wait', '--interval', '10ms']);
    expect(k.code).toBe(0);
    expect(JSON.parse(k.stdout).stats.requests).toBe(kendraCalls(emulator).length);
    expect(kendraCalls(emulator).length).toBe(3 + 2 + 1);
    const a = await runCli(['translate-status', BATCH, 'a', 'b', '--wait', '--interval', '10ms'], { env: { AZURE_TRANSLATOR_KEY: SECRETS.azureKey, AZURE_TRANSLATOR_ENDPOINT: emulator.url } });
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).stats.requests).toBe(azureCalls(emulator).length);
    expect(azureCalls(emulator).length).toBeGreaterThan(2);
  });
});
