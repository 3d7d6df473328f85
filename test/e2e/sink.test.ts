import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { type AdHocServer, adHocServer } from '../ad-hoc-server.js';
import { azureDoc, DS, INDEX, KB, memoryIo, runCli, SECRETS, testAwsProcessEnv } from '../helpers.js';

// One sink (README, "Secrets"): every byte that leaves the process (stdout in each format, stderr with the
// annotations and --verbose lines, $GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT) is scrubbed of every secret the run knows,
// wherever it came from, whatever its length from 4 characters, in the form it is written in. Each case below has an
// endpoint echo the secret back in document IDs and in failure text, and looks for it in every byte written.

testAwsProcessEnv();

const BATCH = '8d1b6a3e-0000-4000-8000-00000000005c';

/** Secrets of 4 and 7 characters, and one with every character JSON, XML, Markdown or a workflow command escapes. */
const VALUES = { four: 'k4Q9', seven: 'p7Zx9Qw', special: 's"e\\c<r&e>t|*_%:,!' } as const;
const FORMATS = ['json', 'ndjson', 'table', 'markdown', 'junit'] as const;

/** Every form in which an output could carry `v`, written out here apart from the code under test. */
function forms(v: string): string[] {
  const xml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const xmlNoGt = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const xmlNoQuot = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const markdown = (t: string) => t.replace(/[\\`*_[\]()<>!|~&]/g, '\\$&');
  const data = (t: string) => t.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (t: string) => data(t).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return [v, JSON.stringify(v).slice(1, -1), xml(v), xmlNoGt(v), xmlNoQuot(v), markdown(v), data(v), property(v), encodeURIComponent(v)];
}

/** The forms of `v` found in `text` (none, when nothing leaked). */
const leaks = (text: string, v: string) => forms(v).filter((f) => text.includes(f));

/** What a case adds to the command: flags, the run's environment (io.env) and, for the AWS SDK, process.env. */
interface Setup {
  args?: string[];
  env?: Record<string, string>;
  processEnv?: Record<string, string | undefined>;
}

/** Where a secret comes from, and which commands use it. */
interface Source {
  name: string;
  services: ReadonlyArray<'kendra' | 'kb' | 'azure'>;
  setup: (v: string) => Setup | Promise<Setup>;
}

/** The SDK's environment without the suite's credentials: only the source under test can give them. */
const NO_AWS_ENV = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined };

let container: AdHocServer;
/** the session token the container credentials endpoint hands out */
let containerToken = '';

const SOURCES: Source[] = [
  { name: 'AWS_SECRET_ACCESS_KEY', services: ['kendra', 'kb'], setup: (v) => ({ env: { AWS_SECRET_ACCESS_KEY: v }, processEnv: { AWS_SECRET_ACCESS_KEY: v } }) },
  { name: 'AWS_SESSION_TOKEN', services: ['kendra', 'kb'], setup: (v) => ({ env: { AWS_SESSION_TOKEN: v }, processEnv: { AWS_SESSION_TOKEN: v } }) },
  {
    // Known only to the SDK: the run's environment names no credential at all.
    name: 'a session token from a credentials file (a profile)',
    services: ['kendra', 'kb'],
    setup: (v) => {
      const dir = mkdtempSync(join(tmpdir(), 'docstatus-creds-'));
      const file = join(dir, 'credentials');
      writeFileSync(file, `[ci]\naws_access_key_id = ${SECRETS.awsAccessKeyId}\naws_secret_access_key = ${SECRETS.awsSecret}\naws_session_token = ${v}\n`);
      // the file in the run's environment too: the --profile check reads it there (the SDK reads process.env)
      return { args: ['--profile', 'ci'], env: { AWS_SHARED_CREDENTIALS_FILE: file }, processEnv: { ...NO_AWS_ENV, AWS_SHARED_CREDENTIALS_FILE: file } };
    },
  },
  {
    name: 'a session token from a credential_process',
    services: ['kendra', 'kb'],
    setup: (v) => {
      const dir = mkdtempSync(join(tmpdir(), 'docstatus-creds-'));
      const script = join(dir, 'credentials.cjs');
      const answer = { Version: 1, AccessKeyId: SECRETS.awsAccessKeyId, SecretAccessKey: SECRETS.awsSecret, SessionToken: v };
      writeFileSync(script, `process.stdout.write(${JSON.stringify(JSON.stringify(answer))});\n`);
      const config = join(dir, 'config');
      writeFileSync(config, `[profile ci]\ncredential_process = ${process.execPath} ${script}\n`);
      return { args: ['--profile', 'ci'], env: { AWS_CONFIG_FILE: config }, processEnv: { ...NO_AWS_ENV, AWS_CONFIG_FILE: config } };
    },
  },
  {
    name: 'a session token from a container credentials endpoint',
    services: ['kendra', 'kb'],
    setup: (v) => {
      containerToken = v;
      return { processEnv: { ...NO_AWS_ENV, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds` } };
    },
  },
  { name: '--key', services: ['azure'], setup: (v) => ({ args: ['--key', v] }) },
  { name: 'AZURE_TRANSLATOR_KEY', services: ['azure'], setup: (v) => ({ env: { AZURE_TRANSLATOR_KEY: v } }) },
  { name: 'AZURE_TRANSLATOR_TOKEN', services: ['azure'], setup: (v) => ({ env: { AZURE_TRANSLATOR_TOKEN: v } }) },
  // The proxy is not used (NO_PROXY): its credentials are secrets of the run all the same.
  { name: 'a proxy password', services: ['kendra', 'kb', 'azure'], setup: (v) => ({ env: { HTTP_PROXY: `http://ci-proxy-user:${encodeURIComponent(v)}@127.0.0.1:9`, NO_PROXY: '127.0.0.1' } }) },
  { name: 'a proxy user name', services: ['kendra', 'kb', 'azure'], setup: (v) => ({ env: { HTTP_PROXY: `http://${encodeURIComponent(v)}:proxy-test-password@127.0.0.1:9`, NO_PROXY: '127.0.0.1' } }) },
];

/** One emulator per secret: each service echoes it in a document ID and in its failure text. */
const emulators = new Map<string, Emulator>();

function scenarioFor(v: string) {
  const failed = (status: string) => [{ status, failureCode: 'Echo', failureReason: `echoed ${v} back` }];
  return {
    kendra: { indexes: { [INDEX]: { documents: { [`doc-${v}`]: failed('FAILED'), ok: [{ status: 'INDEXED' }] } } } },
    'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents: { [`doc-${v}`]: failed('FAILED'), ok: [{ status: 'INDEXED' }] } } } } } },
    translator: { batches: { [BATCH]: { documents: { [`doc-${v}`]: { sourcePath: `https://x.invalid/in/${v}.txt`, timeline: failed('Failed') }, ok: { timeline: [{ status: 'Succeeded' }] } } } } },
  };
}

beforeAll(async () => {
  container = await adHocServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ AccessKeyId: SECRETS.awsAccessKeyId, SecretAccessKey: SECRETS.awsSecret, Token: containerToken, Expiration: new Date(Date.now() + 3_600_000).toISOString() }));
  });
  for (const v of Object.values(VALUES)) emulators.set(v, await startEmulator(scenarioFor(v) as never));
});
afterAll(async () => {
  await container.close();
  for (const e of emulators.values()) await e.close();
});

/** The command of a service against the emulator of secret `v`. */
function command(service: 'kendra' | 'kb' | 'azure', v: string): string[] {
  const url = emulators.get(v)!.url;
  if (service === 'kendra') return ['kendra-status', '--index-id', INDEX, '--endpoint-url', url, '--region', 'us-east-1', `doc-${v}`, 'ok'];
  if (service === 'kb') return ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', url, '--region', 'us-east-1', '--all'];
  return ['translate-docs', BATCH, '--endpoint', url];
}

/** Runs a command in process with process.env set as the case says, and the GitHub files in place. */
async function run(args: string[], setup: Setup) {
  const dir = mkdtempSync(join(tmpdir(), 'docstatus-sink-'));
  const summary = join(dir, 'summary');
  const output = join(dir, 'output');
  const saved = { ...process.env };
  for (const [k, value] of Object.entries(setup.processEnv ?? {})) {
    if (value === undefined) delete process.env[k];
    else process.env[k] = value;
  }
  try {
    const m = memoryIo({ env: { NO_COLOR: '1', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, ...setup.env } });
    const code = await main([...args, ...(setup.args ?? [])], m.io);
    const read = (path: string) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return '';
      }
    };
    return { code, stdout: m.stdout(), stderr: m.stderr(), summary: read(summary), output: read(output) };
  } finally {
    process.env = saved;
  }
}

describe('no secret reaches any output, from any source, in any format', () => {
  for (const source of SOURCES) {
    for (const service of source.services) {
      for (const [size, v] of Object.entries(VALUES)) {
        it(`${source.name}, ${size} (${v}), echoed by ${service} in IDs and failure text: scrubbed in ${FORMATS.join(', ')}, the annotations, --verbose, the summary and the outputs`, async () => {
          for (const format of FORMATS) {
            const r = await run([...command(service, v), '-o', format, '--github', '--verbose'], await source.setup(v));
            const written = { stdout: r.stdout, stderr: r.stderr, summary: r.summary, output: r.output };
            for (const [where, text] of Object.entries(written)) expect(leaks(text, v), `${format}: ${where}`).toEqual([]);
            // the echo was there to leak, and the run still says what it is: one document failed (exit 1)
            expect(r.code, `${format}: ${r.stderr}`).toBe(1);
            expect(r.stdout, format).toContain('doc-***');
            expect(r.summary).toContain('doc-\\*\\*\\*');
            expect(r.output).toContain('exit-code=1\n');
            if (format === 'json') expect((JSON.parse(r.stdout) as { documents: Array<{ id: string }> }).documents.map((d) => d.id).sort()).toEqual(['doc-***', 'ok']);
            if (format === 'ndjson') for (const line of r.stdout.trimEnd().split('\n')) JSON.parse(line);
          }
        });
      }
    }
  }
});

describe('the found instances', () => {
  it('a session token from a credentials file, echoed in a Bedrock ID, is *** in -o json as the same token from the environment is', async () => {
    const token = 'IQoJb3JpZ2luX2VjEFromTheCredentialsFile0123456789';
    const kbArgs = ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--region', 'us-east-1', '--all', '-o', 'json'];
    const echo = await startEmulator(scenarioFor(token) as never);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'docstatus-creds-'));
      const file = join(dir, 'credentials');
      writeFileSync(file, `[ci]\naws_access_key_id = ${SECRETS.awsAccessKeyId}\naws_secret_access_key = ${SECRETS.awsSecret}\naws_session_token = ${token}\n`);
      const fromFile = await run([...kbArgs, '--endpoint-url', echo.url, '--profile', 'ci'], { env: { AWS_SHARED_CREDENTIALS_FILE: file }, processEnv: { ...NO_AWS_ENV, AWS_SHARED_CREDENTIALS_FILE: file } });
      const fromEnv = await run([...kbArgs, '--endpoint-url', echo.url], { env: { AWS_SESSION_TOKEN: token }, processEnv: { AWS_SESSION_TOKEN: token } });
      for (const r of [fromFile, fromEnv]) {
        expect(r.code).toBe(1);
        expect(JSON.parse(r.stdout).documents).toEqual([
          { id: 'doc-***', status: 'FAILED', state: 'failed', statusReason: 'echoed *** back', updatedAt: expect.any(String) },
          { id: 'ok', status: 'INDEXED', state: 'succeeded', updatedAt: expect.any(String) },
        ]);
      }
      expect(fromFile.stdout.replace(/"updatedAt": "[^"]*"/g, '')).toBe(fromEnv.stdout.replace(/"updatedAt": "[^"]*"/g, ''));
    } finally {
      await echo.close();
    }
  });

  it('a 7-character proxy password is scrubbed from stdout and the ::error annotation (secrets under 8 characters were not)', async () => {
    const v = VALUES.seven;
    const r = await run([...command('kendra', v), '-o', 'json', '--github'], { env: { HTTPS_PROXY: `http://ci-proxy-user:${v}@127.0.0.1:9`, HTTP_PROXY: `http://ci-proxy-user:${v}@127.0.0.1:9`, NO_PROXY: '127.0.0.1' } });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).documents).toEqual([
      { id: 'doc-***', status: 'FAILED', state: 'failed', failureCode: 'Echo', failureReason: 'echoed *** back' },
      { id: 'ok', status: 'INDEXED', state: 'succeeded' },
    ]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('::error'))).toEqual([expect.stringMatching(/^::error title=docstatus%3A doc-\*\*\* failed::FAILED: Echo: echoed \*\*\* back \(/)]);
  });

  it('the Azure key echoed in a listed document ID is *** in -o json and -o ndjson', async () => {
    const key = 'azure-listed-key-0123456789abcdef';
    const echo = await startEmulator(scenarioFor(key) as never);
    try {
      for (const format of ['json', 'ndjson']) {
        const r = await run(['translate-docs', BATCH, '--endpoint', echo.url, '-o', format], { env: { AZURE_TRANSLATOR_KEY: key } });
        expect(r.code).toBe(1);
        expect(r.stdout).not.toContain(key);
        const ids = format === 'json' ? JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id) : r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'document').map((l) => l.id);
        expect(ids.sort()).toEqual(['doc-***', 'ok']);
      }
    } finally {
      await echo.close();
    }
  });

  it("raw CR and ESC in an argument commander quotes back never reach stderr: one clean line, exit 2", async () => {
    const m = memoryIo();
    const code = await main(['kendra-status', '--index-id', INDEX, 'a', '--until', 'x\r::stop-commands::pwned\u001b[2J'], m.io);
    expect(code).toBe(2);
    expect(m.stdout()).toBe('');
    expect(m.stderr()).toBe("docstatus: option '--until <goal>' argument 'x::stop-commands::pwned' is invalid. Allowed choices are indexed, deleted.\n");
  });

  it("the SDK's own warning (a container credentials endpoint slower than its 1 s requestTimeout) is the run's: a --verbose line through its sink, nothing without --verbose", async () => {
    const slow = await adHocServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ AccessKeyId: SECRETS.awsAccessKeyId, SecretAccessKey: SECRETS.awsSecret, Token: 'container-session-token-0123456789', Expiration: new Date(Date.now() + 3_600_000).toISOString() }));
      }, 1300);
    });
    try {
      const setup = { processEnv: { ...NO_AWS_ENV, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${slow.url}/creds` } };
      const quiet = await run([...command('kendra', VALUES.four), '-o', 'json', '--no-github'], setup);
      expect(quiet.code).toBe(1);
      expect(quiet.stderr).toBe('');
      const verbose = await run([...command('kendra', VALUES.four), '-o', 'json', '--no-github', '--verbose'], setup);
      expect(verbose.code).toBe(1);
      expect(verbose.stderr).toContain('console: @smithy/node-http-handler - [WARN] a request has exceeded the configured 1000 ms requestTimeout.');
      // the console itself is the process's: the spawned case below holds it to no SDK text on stderr
      expect(slow.requests.length).toBe(2);
    } finally {
      await slow.close();
    }
  });
});

describe('a secret echoed as a status', () => {
  it('Kendra answering with the session token as a document status: an unknown status (error, exit 4), never shown', async () => {
    for (const v of Object.values(VALUES)) {
      const echo = await adHocServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ DocumentStatusList: [{ DocumentId: 'a', DocumentStatus: v }, { DocumentId: 'b', DocumentStatus: `INDEXED ${v}` }], Errors: [] }));
      });
      try {
        for (const format of FORMATS) {
          const r = await run(['kendra-status', '--index-id', INDEX, '--endpoint-url', echo.url, '--region', 'us-east-1', 'a', 'b', '-o', format, '--github', '--verbose'], {
            env: { AWS_SESSION_TOKEN: v },
            processEnv: { AWS_SESSION_TOKEN: v },
          });
          for (const [where, text] of Object.entries({ stdout: r.stdout, stderr: r.stderr, summary: r.summary, output: r.output })) expect(leaks(text, v), `${format}: ${where}`).toEqual([]);
          expect(r.code, format).toBe(4);
          expect(r.output).toContain('exit-code=4\n');
        }
      } finally {
        await echo.close();
      }
    }
  });
});

describe("the SDK's logger", () => {
  it('--verbose against a service that refuses every request: request lines and our messages, never the SDK\'s records of failed commands', async () => {
    const refusing = await adHocServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'not allowed' }));
    });
    try {
      const r = await run(['kendra-status', '--index-id', INDEX, '--endpoint-url', refusing.url, '--region', 'us-east-1', 'a', '-o', 'json', '--no-github', '--verbose'], {});
      expect(r.code).toBe(4);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines.filter((l) => !l.startsWith('docstatus: ') && !l.startsWith(`POST ${refusing.url}/ 403 `))).toEqual([]);
      expect(lines.some((l) => l.startsWith(`POST ${refusing.url}/ 403 `))).toBe(true);
    } finally {
      await refusing.close();
    }
  });
});

describe('secrets shorter than 4 characters', () => {
  it('are not scrubbed (they would blank ordinary letters and JSON keys): the run says so once, naming where the secret is, never its value', async () => {
    const r = await run([...command('kendra', VALUES.four), '-o', 'json', '--no-github'], { env: { HTTP_PROXY: 'http://ci-proxy-user:abc@127.0.0.1:9', NO_PROXY: '127.0.0.1' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('docstatus: warning: the proxy password of HTTP_PROXY is shorter than 4 characters: too short to be scrubbed from the output (README, "Secrets")\n');
    // the output is whole: no `abc` was blanked anywhere
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual([`doc-${VALUES.four}`, 'ok']);
  });
});

describe('two runs in one process share nothing', () => {
  it("a secret of one run is not a secret of the next: the second run's output is its own", async () => {
    const v = VALUES.special;
    const first = await run(command('azure', v), { env: { AZURE_TRANSLATOR_KEY: v } });
    expect(first.stdout).not.toContain(JSON.stringify(v).slice(1, -1));
    // The next run (no key of its own, as a library would run for another tenant) shows what its service said.
    const second = await run(command('azure', v), {});
    expect(JSON.parse(second.stdout).documents.map((d: { id: string }) => d.id).sort()).toEqual([`doc-${v}`, 'ok']);
  });
});

describe('two runs at once in one process', () => {
  it('each scrubs its own secrets and only those, whatever the other holds', async () => {
    const [x, y] = ['tenant-x-key-0123456789', 'tenant-y-key-9876543210'];
    const echo = await startEmulator({
      translator: { batches: { [BATCH]: { documents: { [`doc-${x}`]: { timeline: [{ status: 'Succeeded' }] }, [`doc-${y}`]: { timeline: [{ status: 'Succeeded' }] } } } } },
    } as never);
    try {
      const runs = [x, y].map(async (key) => {
        const m = memoryIo({ env: { AZURE_TRANSLATOR_KEY: key } });
        const code = await main(['translate-docs', BATCH, '--endpoint', echo.url, '-o', 'json', '--wait', '--interval', '10ms'], m.io);
        return { code, ids: (JSON.parse(m.stdout()) as { documents: Array<{ id: string }> }).documents.map((d) => d.id).sort() };
      });
      const [a, b] = await Promise.all(runs);
      expect(a).toEqual({ code: 0, ids: ['doc-***', `doc-${y}`] });
      expect(b).toEqual({ code: 0, ids: ['doc-***', `doc-${x}`] });
    } finally {
      await echo.close();
    }
  });
});

describe('the process (bin/)', () => {
  it('a container credentials endpoint slower than the SDK\'s requestTimeout: no SDK text on stderr', async () => {
    const slow = await adHocServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ AccessKeyId: SECRETS.awsAccessKeyId, SecretAccessKey: SECRETS.awsSecret, Token: 'container-session-token-0123456789', Expiration: new Date(Date.now() + 3_600_000).toISOString() }));
      }, 1300);
    });
    try {
      const r = await runCli([...command('kendra', VALUES.seven), '-o', 'json', '--no-github'], {
        env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_CONTAINER_CREDENTIALS_FULL_URI: `${slow.url}/creds` },
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
    } finally {
      await slow.close();
    }
  });
});

describe('a secret in a URL that --verbose shows', () => {
  it("Azure's nextLink carrying the proxy password (a space, a quote, a non-ASCII letter): percent-encoded by the URL parser, still ***", async () => {
    const password = 'pa ss"wörd|7/';
    const batch = '8d1b6a3e-0000-4000-8000-00000000005d';
    const list = `/translator/text/batch/v1.1/batches/${batch}/documents`;
    const echo = await adHocServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const page = new URL(req.url, 'http://x').searchParams.get('page');
      // the first page links on with the password in its query, as a gateway that echoes credentials would
      res.end(JSON.stringify(page === null ? { value: [azureDoc({ id: 'a', status: 'Succeeded' })], '@nextLink': `${echo.url}${list}?page=2&skipToken=${password}` } : { value: [azureDoc({ id: 'b', status: 'Succeeded' })] }));
    });
    try {
      const r = await run(['translate-docs', batch, '--endpoint', echo.url, '--key', 'k3y-of-the-test', '-o', 'json', '--verbose'], {
        env: { HTTPS_PROXY: `http://user1:${encodeURIComponent(password)}@vm:3128`, HTTP_PROXY: `http://user1:${encodeURIComponent(password)}@vm:3128`, NO_PROXY: '127.0.0.1' },
      });
      expect(r.code).toBe(0);
      expect(echo.requests.length).toBe(2);
      const query = new URL(`http://x/?skipToken=${password}`).search.slice('?skipToken='.length);
      expect(query).not.toBe(password); // the parser's form is neither the password nor encodeURIComponent's
      expect(query).not.toBe(encodeURIComponent(password));
      for (const [where, text] of Object.entries(r)) if (typeof text === 'string') expect({ where, leaks: [password, query].filter((f) => text.includes(f)) }).toEqual({ where, leaks: [] });
      expect(r.stderr).toContain('&skipToken=*** 200 ');
    } finally {
      await echo.close();
    }
  });
});

describe('a secret at the end of an ID cut short for a --verbose line', () => {
  it('Kendra answering for a document not asked, the session token at character 195 of its ID: the start the cut keeps is ***', async () => {
    const token = 'IQoJTokenCutAt200SECRET';
    const echo = await adHocServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ DocumentStatusList: [{ DocumentId: 'a', DocumentStatus: 'INDEXED' }, { DocumentId: `${'x'.repeat(195)}${token}`, DocumentStatus: 'INDEXED' }], Errors: [] }));
    });
    try {
      const r = await run(['kendra-status', '--index-id', INDEX, '--endpoint-url', echo.url, '--region', 'us-east-1', 'a', '-o', 'json', '--no-github', '--verbose'], {
        env: { AWS_SESSION_TOKEN: token },
        processEnv: { AWS_SESSION_TOKEN: token },
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`ignored an answer for a document that was not asked: ${'x'.repeat(195)}***…\n`);
      expect(r.stderr).not.toContain(token.slice(0, 5));
    } finally {
      await echo.close();
    }
  });
});
