// Regression tests for what the hostile run against issue 8's first version found (one test a finding).
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { type AdHocServer, adHocServer } from '../ad-hoc-server.js';
import { BIN, cliEnv, INDEX, runCli, SECRETS } from '../helpers.js';

let server: AdHocServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000a7';

describe('bad input found by the attack run: exit 2, nothing sent', () => {
  it.each([
    ['--region empty', ['kendra-status', '--index-id', INDEX, 'a', '--region', ''], {}, "docstatus: --region: an empty value is not a region (a region is letters, digits and '-', such as eu-west-1 or westeurope)\n"],
    ['an AWS session token with a line break', ['kendra-status', '--index-id', INDEX, 'a'], { AWS_SESSION_TOKEN: 'abc\r\nX-Evil: 1' }, 'docstatus: AWS_SESSION_TOKEN: it holds spaces or control characters, so it is no credential\n'],
    ['an Azure key with a line break', ['translate-status', BATCH, '--endpoint', 'https://x.example'], { AZURE_TRANSLATOR_KEY: 'key\nX-Evil: 1' }, 'docstatus: AZURE_TRANSLATOR_KEY: it holds spaces or control characters, so it is no key\n'],
    ['a day the calendar lacks', ['translate-docs', BATCH, '--endpoint', 'https://x.example', '--created-after', '2026-02-30'], {}, "docstatus: --created-after: '2026-02-30' is not a day of the calendar\n"],
    ['a --timeout past what a timer holds', ['kendra-status', '--index-id', INDEX, 'a', '--wait', '--timeout', '720h'], {}, "docstatus: --timeout: '720h' is too long (at most 596h)\n"],
  ] as const)('%s', async (_what, argv, env, stderr) => {
    const r = await runCli([...argv], { env: { ...env } });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr });
  });
});

describe('what a service says is shown safely', () => {
  it('a key a service echoes back is blanked on stderr and in the JSON', async () => {
    server = await adHocServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'Unauthorized', message: `key ${SECRETS.azureKey} is not valid` } }));
    });
    const r = await runCli(['translate-status', BATCH, '--endpoint', server.url], { env: { AZURE_TRANSLATOR_KEY: SECRETS.azureKey } });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('docstatus: Unauthorized: key *** is not valid\n');
    expect(JSON.parse(r.stdout).errors).toEqual([{ code: 'Unauthorized', message: 'key *** is not valid' }]);
  });

  it('a 1 MB error message is cut at 2000 characters', async () => {
    server = await adHocServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NotFound', message: 'x'.repeat(1_000_000) } }));
    });
    const r = await runCli(['translate-status', BATCH, 'a', '--endpoint', server.url], { env: { AZURE_TRANSLATOR_KEY: SECRETS.azureKey } });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents[0].errorMessage).toBe(`${'x'.repeat(2000)}…`);
  });
});

describe('Kendra over https to a port that speaks plain http', () => {
  it('is a permanent TLS fault named as such (not a document error with OpenSSL text), and ends --wait at once', async () => {
    server = await adHocServer((_req, res) => res.end('{}'));
    const started = Date.now();
    const r = await runCli(['kendra-status', '--index-id', INDEX, 'a', '--endpoint-url', server.url.replace('http:', 'https:'), '--wait', '--timeout', '20s']);
    expect(r.code).toBe(4);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.stderr).toBe(`docstatus: ERR_SSL_WRONG_VERSION_NUMBER: ${server.host} does not speak TLS on that port (an http:// server behind an https:// URL?)\n`);
  });
});

describe('standard input that never closes', () => {
  it('SIGINT ends the wait at once: exit 130, one line, nothing sent', async () => {
    const child = spawn(process.execPath, [BIN, 'translate-status', BATCH, '--ids-file', '-', '--endpoint', 'http://127.0.0.1:9', '--wait'], { env: cliEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const closed = new Promise((resolve) => child.on('close', resolve));
    setTimeout(() => child.kill('SIGINT'), 500);
    const code = await exited;
    child.stdin.destroy();
    await closed;
    expect(code).toBe(130);
    expect(stderr).toBe('docstatus: warning: interrupted by SIGINT while reading the input: nothing was sent\n');
  });
});
