import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { type AdHocServer, adHocServer, awsJsonError } from '../ad-hoc-server.js';
import { INDEX, runCli, SECRETS } from '../helpers.js';

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

async function kendraEmulator() {
  emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: Object.fromEntries(IDS.map((id) => [id, [{ status: 'INDEXED' as const }]])) } } } });
  return emulator;
}

describe('credentials never go over plain http but to loopback, wherever the endpoint comes from (items 15, 16)', () => {
  const BAD: Array<[string, (port: number) => string, RegExp]> = [
    ['user name and password', (p) => `http://me:s3cret@127.0.0.1:${p}`, /: put no user name or password in the URL/],
    ['javascript:', () => 'javascript:alert(1)', /: 'javascript:' URLs are not supported/],
    ['file:', () => 'file:///etc/passwd', /: 'file:' URLs are not supported/],
    ['not a URL', () => 'not a url', /: not a URL$/],
    ['a query', (p) => `https://127.0.0.1:${p}/?X-Amz-Security-Token=s3cret`, /: give the endpoint URL without a query or fragment/],
    ['plain http to another host', () => 'http://192.0.2.2:8790', /: refusing to send AWS credentials over plain http to 192\.0\.2\.2:8790 \(use https:\/\//],
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
