// Bad input and its messages (issue 15, section 4): every case is exit 2 and one stderr line naming the value and why,
// before any request. In-process (main() with an in-memory Io) against the emulator, except where only a process
// shows it (the AWS SDK reads its profile files from the process environment).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { DS, INDEX, KB, memoryIo, runCli, SECRETS, tempFile, testAwsProcessEnv } from '../helpers.js';

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000d1';
let emulator: Emulator;
testAwsProcessEnv();
beforeAll(async () => {
  emulator = await startEmulator({
    kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } },
    'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents: { a: [{ status: 'INDEXED' }] } } } } } },
    translator: { key: SECRETS.azureKey, batches: { [BATCH]: { documents: { d: { timeline: [{ status: 'Succeeded' }] } } } } },
  });
});
afterAll(async () => {
  await emulator.close();
});

async function run(argv: string[], env: Record<string, string> = {}, stdin?: string) {
  const before = emulator.requests.length;
  const { io, stdout, stderr } = memoryIo({ env, stdin });
  const code = await main(argv.map((a) => (a === EMU ? emulator.url : a)), io);
  return { code, stdout: stdout(), stderr: stderr(), requests: emulator.requests.length - before };
}
/** The emulator's URL in an argv built before it starts (run() puts it in). */
const EMU = '<emulator>';
const RULE = "a region is letters, digits and '-', such as eu-west-1 or westeurope";
const kendra = (...rest: string[]) => ['kendra-status', '--index-id', INDEX, '--endpoint-url', EMU, ...rest];
const kb = (...rest: string[]) => ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', EMU, ...rest];
const azure = (...rest: string[]) => ['translate-status', BATCH, '--endpoint', EMU, ...rest];
const AZURE_ENV = { AZURE_TRANSLATOR_KEY: SECRETS.azureKey };

describe('regions: a value that is no region is named, with why, exit 2 before any request', () => {
  const cases: Array<[string, string[], Record<string, string>, string]> = [
    ['kendra --region with a space', kendra('--region', 'us east 1', 'a'), {}, `--region: 'us east 1' is not a region (it holds a space; ${RULE})`],
    ['kendra AWS_REGION with CR LF', kendra('a'), { AWS_REGION: 'us-east-1\r\n::stop-commands::x' }, `AWS_REGION: 'us-east-1\\r\\n::stop-commands::x' is not a region (it holds a control character (\\r); ${RULE})`],
    ['kendra --region empty', kendra('--region', '', 'a'), {}, `--region: an empty value is not a region (${RULE})`],
    ['kb AWS_DEFAULT_REGION with a slash', kb('a'), { AWS_DEFAULT_REGION: 'eu/west' }, `AWS_DEFAULT_REGION: 'eu/west' is not a region (it holds '/'; ${RULE})`],
    ['kb --region ending in -', kb('--region', 'eu-west-', 'a'), {}, `--region: 'eu-west-' is not a region (it starts or ends with '-'; ${RULE})`],
    ['azure --region empty', azure('--region', ''), AZURE_ENV, `--region: an empty value is not a region (${RULE})`],
    ['azure --region with CR LF', azure('--region', 'westeurope\r\nX-Injected: 1'), AZURE_ENV, `--region: 'westeurope\\r\\nX-Injected: 1' is not a region (it holds a control character (\\r); ${RULE})`],
    ['azure AZURE_TRANSLATOR_REGION with LF', azure(), { ...AZURE_ENV, AZURE_TRANSLATOR_REGION: 'westeurope\n' }, `AZURE_TRANSLATOR_REGION: 'westeurope\\n' is not a region (it holds a control character (\\n); ${RULE})`],
    ['translate-docs --region with a space', ['translate-docs', BATCH, '--endpoint', EMU, '--region', 'west europe'], AZURE_ENV, `--region: 'west europe' is not a region (it holds a space; ${RULE})`],
  ];
  it.each(cases)('%s', async (_, argv, env, message) => {
    const r = await run(argv, env);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `docstatus: ${message}\n`, requests: 0 });
  });

  it('a good region still runs: Azure sends it as Ocp-Apim-Subscription-Region', async () => {
    const r = await run(azure('--region', 'westeurope'), AZURE_ENV);
    expect([r.code, r.stderr, r.requests]).toEqual([0, '', 1]);
    expect(emulator.requests.at(-1)!.headers?.['ocp-apim-subscription-region']).toBe('westeurope');
  });
});

describe("the AWS profile's region (spawned: the SDK reads AWS_CONFIG_FILE from the process)", () => {
  it("a profile whose region is no region: named as the profile's, with why (was 'no AWS region')", async () => {
    const config = tempFile('config', '[default]\nregion = us east 1\n');
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, 'a'], { env: { AWS_REGION: '', AWS_CONFIG_FILE: config } });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `docstatus: the AWS profile's region: 'us east 1' is not a region (it holds a space; ${RULE})\n` });
  });
});

describe('an https:// proxy that speaks plain http', () => {
  it('is named in the message (was "the endpoint does not speak TLS"), for AWS and for Azure; exit 4', async () => {
    const proxy = new URL(emulator.url); // the emulator speaks plain http: as an https:// proxy it answers no TLS
    const env = { HTTPS_PROXY: `https://${proxy.host}` };
    const hint = `does not speak TLS: is it a plain http proxy? Then write http:// in HTTPS_PROXY`;
    const aws = await run(['kendra-status', '--index-id', INDEX, '--endpoint-url', 'https://kendra.invalid', '--region', 'us-east-1', 'a'], env);
    expect([aws.code, aws.stderr]).toEqual([4, `docstatus: ERR_SSL_WRONG_VERSION_NUMBER: the proxy ${proxy.host} (HTTPS_PROXY) or kendra.invalid behind it ${hint}\n`]);
    const az = await run(['translate-status', BATCH, '--endpoint', 'https://translator.invalid'], { ...AZURE_ENV, ...env });
    expect([az.code, az.stderr]).toEqual([4, `docstatus: ERR_SSL_WRONG_VERSION_NUMBER: the proxy ${proxy.host} (HTTPS_PROXY) or translator.invalid behind it ${hint}\n`]);
  });
});

describe('--profile / AWS_PROFILE naming a profile that does not exist', () => {
  it('exit 2 before any request, naming the profile and where it was looked for (was "Could not load credentials from any providers")', async () => {
    const config = tempFile('config', '[default]\nregion = eu-west-1\n[profile ci]\nregion = eu-west-1\n');
    const credentials = tempFile('credentials', '[other]\naws_access_key_id = x\n');
    const files = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
    const where = `${config} (AWS_CONFIG_FILE) or ${credentials} (AWS_SHARED_CREDENTIALS_FILE)`;
    const flag = await run(kendra('--region', 'us-east-1', '--profile', 'nosuch', 'a'), files);
    expect(flag).toEqual({ code: 2, stdout: '', stderr: `docstatus: --profile: the profile 'nosuch' does not exist: it is in neither ${where}\n`, requests: 0 });
    const variable = await run(kb('--region', 'us-east-1', 'a'), { ...files, AWS_PROFILE: 'nosuch' });
    expect(variable).toEqual({ code: 2, stdout: '', stderr: `docstatus: AWS_PROFILE: the profile 'nosuch' does not exist: it is in neither ${where}\n`, requests: 0 });
    // without the variables: the SDK's own paths under HOME, shown as ~/.aws/...
    const home = tempFile('placeholder', '').replace(/\/placeholder$/, '');
    const none = await run(kendra('--region', 'us-east-1', '--profile', 'nosuch', 'a'), { HOME: home });
    expect(none.stderr).toBe("docstatus: --profile: the profile 'nosuch' does not exist: it is in neither ~/.aws/config or ~/.aws/credentials\n");
    expect([none.code, none.requests]).toEqual([2, 0]);
  });

  it('a profile that exists passes the check, in either file ([profile NAME] / [default] in config, [NAME] in credentials)', async () => {
    const config = tempFile('config', '[default]\n[profile ci] # the CI profile\nregion = eu-west-1\n');
    const credentials = tempFile('credentials', '[other]\naws_access_key_id = x\n');
    const files = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
    for (const profile of ['ci', 'default', 'other']) {
      const r = await run(kendra('--region', 'us-east-1', '--profile', profile, 'a'), files);
      expect({ profile, stderr: r.stderr.split('\n')[0] }).not.toEqual({ profile, stderr: expect.stringContaining('does not exist') });
      expect({ profile, code: r.code }).not.toEqual({ profile, code: 2 });
    }
  });
});

describe('a listing or batch-level call never reads standard input (only --ids-file - does)', () => {
  it.each([
    ['translate-status BATCH', () => azure(), AZURE_ENV],
    ['translate-docs BATCH', () => ['translate-docs', BATCH, '--endpoint', EMU], AZURE_ENV],
    ['kb-status --all', () => kb('--region', 'us-east-1', '--all'), {}],
  ] as const)('%s: stdin (piped, holding IDs) is not read', async (_, argv, env) => {
    let reads = 0;
    const { io, stderr } = memoryIo({ env: { ...env } });
    io.stdin = { isTTY: false, read: async () => (reads++, Buffer.from('B2\nB3\n')) };
    const code = await main(argv().map((a) => (a === EMU ? emulator.url : a)), io);
    expect({ reads, stderr: stderr() }).toEqual({ reads: 0, stderr: expect.not.stringContaining('B2') });
    expect(code).not.toBe(2);
  });

  it('--ids-file - reads it; a command that needs IDs (kendra-status, kb-status without --all) reads it when none is given', async () => {
    for (const argv of [azure('--ids-file', '-'), kendra('--region', 'us-east-1'), kb('--region', 'us-east-1')]) {
      let reads = 0;
      const { io } = memoryIo({ env: AZURE_ENV });
      io.stdin = { isTTY: false, read: async () => (reads++, Buffer.from('a\n')) };
      await main(argv.map((a) => (a === EMU ? emulator.url : a)), io);
      expect({ argv: argv[0], reads }).toEqual({ argv: argv[0], reads: 1 });
    }
  });
});

describe('--profile with an AWS file that is no regular file', () => {
  it('a FIFO as AWS_CONFIG_FILE is not opened by the check (it would block past every signal): left to the SDK', async () => {
    const { execFileSync } = await import('node:child_process');
    const dir = tempFile('placeholder', '').replace(/\/placeholder$/, '');
    const fifo = `${dir}/config.fifo`;
    execFileSync('mkfifo', [fifo]);
    const credentials = tempFile('credentials', '[ci]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n');
    const r = await run(kendra('--region', 'us-east-1', '--profile', 'nosuch', 'a'), { AWS_CONFIG_FILE: fifo, AWS_SHARED_CREDENTIALS_FILE: credentials });
    expect(r.stderr).not.toContain('does not exist');
  });
});

describe('an empty --key', () => {
  it("is exit 2 before any request (an unset variable in --key \"$KEY\"): it was sent with no key, refused later", async () => {
    for (const argv of [
      ['translate-status', BATCH, '--endpoint', EMU, '--key', ''],
      ['translate-docs', BATCH, '--endpoint', EMU, '--key='],
    ]) {
      const r = await run(argv, { AZURE_TRANSLATOR_KEY: SECRETS.azureKey });
      expect(r).toEqual({ code: 2, stdout: '', stderr: 'docstatus: --key: empty (an unset variable in --key "$VAR"?): give the key, or leave --key out and set AZURE_TRANSLATOR_KEY\n', requests: 0 });
    }
    // the variable, or a key given, still runs
    expect((await run(['translate-status', BATCH, '--endpoint', EMU], { AZURE_TRANSLATOR_KEY: SECRETS.azureKey })).code).toBe(0);
    expect((await run(['translate-status', BATCH, '--endpoint', EMU, '--key', SECRETS.azureKey])).code).toBe(0);
  });
});
