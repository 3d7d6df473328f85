import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { Logger } from '../app/logger.js';
import { ServiceError, UsageError } from './errors.js';
import { awsNameKind, faultOpts, httpFault, networkFault, proxyRefusal, statusKind } from './faults.js';
import { type BodyStream, readBody } from './http.js';
import { HEADER_SAFE, isLoopback, parseEndpoint, parseRegion, shown } from './options.js';
import { checkPlainHttpProxy, type Proxy, type ProxySettings, proxyFor, proxySettings } from './proxy.js';
import { MALFORMED } from './outcome.js';
import { retryAfterMs } from './retry-after.js';
import { cleanText } from './sanitize.js';

// What every AWS service of docstatus shares (Kendra, Bedrock Knowledge Bases): the client settings, the endpoint and
// region rules, the wire guard under every attempt, and how an SDK error becomes a ServiceError. Nothing here loads an
// AWS SDK package: the service's source passes its own client and commands in.

/** The settings of one AWS client, as the command resolved them. */
export interface AwsClientOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  requestTimeoutMs: number;
  /** fixed credentials or a provider (the demo's, tests'); else the SDK's default chain */
  credentials?: unknown;
  log: Logger;
  network?: AwsNetwork;
}

/** How AWS requests reach the endpoint: the proxies of the environment, and the agents that honour them. */
export interface AwsNetwork {
  proxies: ProxySettings;
  /** node:http(s) agents for the SDK's request handler; undefined: its own (no proxy, no AWS_CA_BUNDLE) */
  agents?: { httpAgent: unknown; httpsAgent: unknown };
}

/**
 * The client configuration every AWS client of docstatus uses: retries off (they belong to the shared Scheduler,
 * which slows every request down on throttling), no endpoint the command has not checked, the SDK's notices as
 * --verbose lines.
 */
export function awsClientConfig(opts: AwsClientOptions) {
  return {
    region: opts.region,
    profile: opts.profile,
    endpoint: opts.endpointUrl,
    // The command has read and checked AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL itself (endpointUrl): the SDK must
    // not pick up an endpoint from the environment or a profile that no check has seen.
    ignoreConfiguredEndpointUrls: true,
    // The SDK's credential types differ by client; the value is passed through unchanged.
    credentials: opts.credentials as never,
    maxAttempts: 1,
    // The SDK's own notices (credential providers, the handlers) through the run's Logger; identitySecrets finds the
    // run by it.
    logger: new SdkLogger(opts.log),
    requestHandler: {
      // --request-timeout bounds the whole attempt, body included, through the scheduler's signal; this only ends a
      // connection that cannot be made sooner.
      connectionTimeout: Math.min(opts.requestTimeoutMs, 10_000),
      // The handler's own notices (socket saturation, a request over its time) are --verbose lines, not console output.
      logger: new SdkLogger(opts.log),
      // The proxy of HTTPS_PROXY / HTTP_PROXY (unless NO_PROXY names the host) and AWS_CA_BUNDLE's certificates.
      ...opts.network?.agents,
    },
  };
}

/**
 * The logger every AWS client of a run is given (awsClientConfig): its warnings and errors are --verbose lines through
 * the run's sink (cleaned, scrubbed), never console output; its info and debug, and the records of commands it logs
 * (objects: every request's input and output or error), are dropped. A handler the SDK makes without it (a container
 * credentials endpoint's) writes to the console, which a run takes over too (app/console.ts).
 */
export class SdkLogger {
  constructor(readonly log: Logger) {}
  trace(): void {}
  debug(): void {}
  info(): void {}
  warn(...message: unknown[]): void {
    this.say(message);
  }
  /** Also called with the record of every failed command (an object: input, error, metadata): that is not a notice. */
  error(...message: unknown[]): void {
    this.say(message);
  }
  private say(message: unknown[]): void {
    const text = message.filter((m): m is string => typeof m === 'string');
    if (text.length > 0) this.log.verbose(`AWS SDK: ${text.join(' ')}`);
  }
}

/**
 * The credentials the SDK resolved for a request, from whatever source (the environment, a profile, a credentials
 * file, SSO, a container endpoint, a process): their secret key and session token become secrets of the run before
 * the request is sent, so no answer can echo them into an output. Read from the request's context once the client's
 * credential provider has resolved them; the run is found by the client's logger (SdkLogger).
 */
export function identitySecrets() {
  return <Args>(next: (args: Args) => Promise<unknown>, context: { logger?: unknown; __smithy_context?: { selectedHttpAuthScheme?: { identity?: unknown } } }) =>
    async (args: Args): Promise<unknown> => {
      // Where the SDK's auth scheme middleware puts what it resolved (@smithy/core getSmithyContext).
      const identity = context.__smithy_context?.selectedHttpAuthScheme?.identity as { secretAccessKey?: unknown; sessionToken?: unknown } | undefined;
      if (identity && context.logger instanceof SdkLogger) {
        const values = [identity.secretAccessKey, identity.sessionToken].filter((v): v is string => typeof v === 'string');
        context.logger.log.keepSecret('an AWS credential the SDK resolved', values);
      }
      return next(args);
    };
}

/** A --verbose line per request: method, URL, status, milliseconds (added at the deserialize step). */
export function verboseLog(log: Logger, proxies?: ProxySettings) {
  return <Args extends { request: unknown }, Out extends { response: unknown }>(next: (args: Args) => Promise<Out>) =>
    async (args: Args): Promise<Out> => {
      const req = args.request as { method?: string; protocol?: string; hostname?: string; port?: number; path?: string };
      const via = proxies && proxyFor(proxies, req);
      // The proxy by host and port: its URL may hold a password.
      const url = `${req.protocol}//${req.hostname}${req.port ? `:${req.port}` : ''}${req.path}`;
      const through = via ? ` (proxy ${via.host})` : '';
      const started = Date.now();
      try {
        const out = await next(args);
        log.verbose(`${req.method} ${url} ${(out.response as { statusCode?: number }).statusCode} ${Date.now() - started}ms${through}`);
        return out;
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 'ERR';
        log.verbose(`${req.method} ${url} ${status} ${Date.now() - started}ms${through}`);
        throw err;
      }
    };
}

/** A client as AwsWire sends through it: any AWS SDK v3 client. */
interface SdkClient {
  send(command: never, options: { abortSignal: AbortSignal }): Promise<unknown>;
}
/** A command as AwsWire adds its guard to it. */
interface SdkCommand {
  middlewareStack: { add(middleware: never, options: { step: 'deserialize'; priority: 'low' | 'high'; name: string }): void };
}

/** One attempt of one operation: the wire guard on its command, the SDK's error made ours. */
export class AwsWire {
  /** the endpoint's host:port as the last request went to it (one endpoint a run), for messages */
  private host = '';
  /** the proxy the last request went through, if any */
  private via?: Proxy;

  constructor(
    private readonly operation: string,
    private readonly proxies?: ProxySettings,
  ) {}

  /** Sends one command under the attempt's signal; counts it as sent only when it goes out (scheduler.sent). */
  async send<T>(client: SdkClient, command: SdkCommand, signal: AbortSignal, scheduler: { sent(): void }): Promise<T> {
    // A command per attempt: its wire guard carries this attempt's signal.
    const guard = wireGuard(
      signal,
      () => scheduler.sent(),
      (host, via) => {
        this.host = host;
        this.via = via;
      },
      this.proxies,
    );
    command.middlewareStack.add(guard as never, { step: 'deserialize', priority: 'low', name: 'docstatusWireGuard' });
    command.middlewareStack.add(identitySecrets() as never, { step: 'deserialize', priority: 'high', name: 'docstatusIdentitySecrets' });
    try {
      return (await client.send(command as never, { abortSignal: signal })) as T;
    } catch (err) {
      throw classifyAwsError(err, this.host, this.operation, this.via);
    }
  }
}

/**
 * The endpoint, checked wherever it comes from: --endpoint-url, then AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL
 * (an empty variable is unset, as the SDK reads it). Every request carries a SigV4 signature (and a session token, if
 * any), so plain http goes to loopback only. Undefined: the SDK's regional endpoint (https).
 */
export function resolveEndpoint(flag: string | undefined, env: Record<string, string | undefined>, serviceVariable: string): string | undefined {
  const sources: Array<[string, string | undefined]> = [
    ['--endpoint-url', flag],
    [serviceVariable, env[serviceVariable] || undefined],
    ['AWS_ENDPOINT_URL', env.AWS_ENDPOINT_URL || undefined],
  ];
  for (const [source, text] of sources) {
    if (text !== undefined) return parseEndpoint(text, source, { credentials: true, what: 'AWS credentials' }).href;
  }
  return undefined;
}

/**
 * The region: --region, then AWS_REGION, then AWS_DEFAULT_REGION (as the AWS CLI reads it; an empty variable is unset),
 * checked (parseRegion names the one it came from); undefined leaves it to the profile.
 */
export function resolveRegion(flag: string | undefined, env: Record<string, string | undefined>): string | undefined {
  if (flag !== undefined) return parseRegion(flag, '--region');
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) if (env[name]) return parseRegion(env[name], name);
  return undefined;
}

/** The message of a command that found no region anywhere. */
const NO_REGION = 'no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or name one in your AWS profile';

/**
 * A command's AWS client options from its --region, --profile and --endpoint-url (and the environment), the endpoint
 * checked before anything is read or sent. `credentials` only from the demo (the emulator needs no real ones).
 */
export async function awsOptions(
  raw: { region?: string; profile?: string; endpointUrl?: string },
  endpointVariable: string,
  ctx: { env: Record<string, string | undefined>; requestTimeoutMs: number; log: Logger; credentials?: unknown },
): Promise<AwsClientOptions> {
  // A credential with a line break or a space would fail in the middle of a request (or split a header): bad input now.
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    const value = ctx.env[name];
    if (value && !HEADER_SAFE.test(value)) throw new UsageError(`${name}: it holds spaces or control characters, so it is no credential`);
  }
  const endpointUrl = resolveEndpoint(raw.endpointUrl, ctx.env, endpointVariable);
  const region = resolveRegion(raw.region, ctx.env);
  if (ctx.credentials === undefined) await checkProfile(raw.profile, ctx.env);
  return {
    region,
    profile: raw.profile,
    endpointUrl,
    requestTimeoutMs: ctx.requestTimeoutMs,
    credentials: ctx.credentials,
    log: ctx.log,
    network: await awsNetwork(ctx.env, endpointUrl),
  };
}

/**
 * The proxies and the CA bundle of AWS requests, checked before any request: the variables of the schemes the run
 * uses (https always: the SDK's own endpoints and its credential providers' are https), the plain-http rule through
 * a proxy, AWS_CA_BUNDLE readable and holding certificates. The agents' module is loaded only when one is set.
 */
async function awsNetwork(env: Record<string, string | undefined>, endpointUrl: string | undefined): Promise<AwsNetwork> {
  const endpoint = endpointUrl === undefined ? undefined : new URL(endpointUrl);
  const proxies = proxySettings(env, endpoint?.protocol === 'http:' ? ['https', 'http'] : ['https']);
  if (endpoint) checkPlainHttpProxy(endpoint, proxies, 'AWS credentials');
  const ca = await caBundle(env.AWS_CA_BUNDLE || undefined);
  if (!proxies.http && !proxies.https && ca === undefined) return { proxies };
  const { awsAgents } = await import('./proxy-agents.js');
  return { proxies, agents: awsAgents(proxies, ca) };
}

/**
 * A profile named by --profile or AWS_PROFILE must exist, as the AWS CLI has it ("The config profile (x) could not be
 * found"): in the config file (`[profile NAME]`, or `[default]`) or the credentials file (`[NAME]`), at
 * AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials (the SDK's paths). Known
 * before any request, so bad input (exit 2), where the SDK would only say "Could not load credentials from any
 * providers" after trying every source. A file that is missing or cannot be read holds no profile.
 */
async function checkProfile(flag: string | undefined, env: Record<string, string | undefined>): Promise<void> {
  const [source, profile] = flag !== undefined ? ['--profile', flag] : ['AWS_PROFILE', env.AWS_PROFILE || undefined];
  if (profile === undefined) return;
  if (profile.trim() === '') throw new UsageError(`${source}: an empty profile name`);
  const home = env.HOME || homedir();
  const files = [
    { variable: 'AWS_CONFIG_FILE', path: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'), shown: env.AWS_CONFIG_FILE ? undefined : '~/.aws/config', config: true },
    { variable: 'AWS_SHARED_CREDENTIALS_FILE', path: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'), shown: env.AWS_SHARED_CREDENTIALS_FILE ? undefined : '~/.aws/credentials', config: false },
  ];
  for (const file of files) {
    // Only a regular file is read here: open() of a FIFO (`<(...)`) blocks past every signal, and such a file, or a
    // huge one, is left to the SDK (the check is skipped rather than guessed).
    const info = await stat(file.path).catch(() => undefined);
    if (info && (!info.isFile() || info.size > MAX_CA_BUNDLE)) return;
    const text = info ? await readFile(file.path, 'utf8').catch(() => '') : '';
    for (const m of text.matchAll(/^[ \t]*\[([^\]\r\n]*)\][ \t]*(?:[#;].*)?$/gm)) {
      const section = m[1]!.trim();
      const name = file.config ? (section === 'default' ? 'default' : /^profile\s+(.+)$/.exec(section)?.[1]?.trim()) : section;
      if (name === profile) return;
    }
  }
  const where = files.map((f) => (f.shown ? `${f.shown}` : `${f.path} (${f.variable})`).replace(/[^\x20-\x7e]/g, '?')).join(' or ');
  throw new UsageError(`${source}: the profile '${shown(profile)}' does not exist: it is in neither ${where}`);
}

/** The largest AWS_CA_BUNDLE read (16 MiB). */
const MAX_CA_BUNDLE = 16 * 1024 * 1024;

/**
 * AWS_CA_BUNDLE, as the AWS CLI reads it: a PEM file whose certificates are the ones AWS endpoints are verified
 * against, in place of Node's (as the CLI puts it in place of its own). Unreadable or without a certificate: bad input.
 */
async function caBundle(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  let pem: string;
  try {
    // A regular file only: open() of a FIFO nobody writes never returns (not even for SIGTERM), and /dev/zero never
    // ends. A bundle is a few hundred kB (Mozilla's holds every public CA in ~250 kB); a bigger one is a wrong path.
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    if (info.size > MAX_CA_BUNDLE) throw Object.assign(new Error('too big'), { code: `${info.size} bytes, at most ${MAX_CA_BUNDLE}` });
    pem = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`AWS_CA_BUNDLE: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (certificates.length === 0) throw new UsageError(`AWS_CA_BUNDLE: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  // Node's TLS skips a certificate it cannot parse without a word: a bundle it would half read is bad input now.
  certificates.forEach((certificate, i) => {
    try {
      new X509Certificate(certificate);
    } catch (err) {
      throw new UsageError(`AWS_CA_BUNDLE: ${path} holds a certificate that cannot be read (#${i + 1}: ${(err as Error).message})`);
    }
  });
  return certificates.join('\n');
}

/** Bad usage when the SDK finds no region in the flag, the environment or the profile (before any request). */
export async function requireRegion(source: { region(): Promise<string> }): Promise<void> {
  try {
    await source.region();
  } catch (err) {
    // The flag and the variables were checked already (resolveRegion): a region refused now is the profile's.
    const refused = /^Region not accepted: region="([\s\S]*)" is not a valid hostname component/.exec((err as Error)?.message ?? '');
    if (refused) {
      parseRegion(refused[1]!, "the AWS profile's region");
      throw new UsageError(`the AWS profile's region '${shown(refused[1]!)}' is not a region`);
    }
    throw new UsageError(NO_REGION);
  }
}

/**
 * Silences the AWS SDK's own notice that its releases from January 2027 need Node 22: eight lines through
 * process.emitWarning, only on a Node below 22, and on every run. Such a Node is below our engines too, and bin/ has
 * already said so in one line (core/node-version.ts) that also covers the Azure commands; on Node 22 and later the
 * SDK says nothing anyway. Emitted while the SDK loads, so call this before importing a client.
 */
export function quietNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** The first line of an SDK error's message: the service's own text, never an SDK hint appended to it. */
function serviceMessage(message: unknown): string | undefined {
  if (typeof message !== 'string') return undefined;
  const line = message.split('\n')[0]!;
  return /Deserialization error|\$response/.test(line) ? undefined : cleanText(line.trim()) || undefined;
}

/**
 * An AWS SDK error (any client's) as our ServiceError, by the rule in faults.ts: an error the service named (its `__type`) by that name,
 * whatever its HTTP status (Kendra answers ThrottlingException with a 400); an answer without a usable name (a load
 * balancer's "Service Unavailable", a JSON body of another shape) by its HTTP status; no answer at all by its errno.
 * `host` is the endpoint's, for messages.
 */
export function classifyAwsError(err: unknown, host: string, operation: string, via?: Proxy): ServiceError {
  if (err instanceof ServiceError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown;
    message?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: number; clockSkewCorrected?: boolean };
    $response?: { headers?: Record<string, string>; body?: unknown };
    $responseBodyText?: unknown;
  };
  const name = typeof e.name === 'string' && /^[\w.:#-]{1,100}$/.test(e.name) ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  // A CONNECT the proxy answered with anything but 200 (proxy-agents.ts).
  const refused = (err as { proxyStatus?: unknown } | null)?.proxyStatus;
  if (via && typeof refused === 'number') return proxyRefusal(refused, via);
  if (status === undefined) {
    // No HTTP answer: a connection fault, the credential chain, or a timeout of the SDK's own.
    const net = networkFault(err, host, via);
    if (net) return net;
    if (name === 'TimeoutError') return new ServiceError(name, `no connection to ${host || 'the endpoint'}${via ? ` through the proxy ${via.host} (${via.variable})` : ''} in time`, faultOpts('transient'));
    return new ServiceError(name, serviceMessage(e.message) ?? name, faultOpts(awsNameKind(name) ?? 'other'));
  }
  // The proxy's own answer (https-proxy-agent hands a refused CONNECT on as the response): never the service's.
  if (via && status === 407) return proxyRefusal(status, via);
  const headers = e.$response?.headers;
  const retryAfter = headers ? retryAfterMs(headers, Date.now()) : undefined;
  const named = e.$fault !== undefined && name !== 'Unknown' && name !== 'Error';
  if (named) {
    // A name the table does not know: a server fault, 408, 429 or 5xx is retried; anything else is asked again next round.
    const byStatus = statusKind(status);
    const unknown = e.$fault === 'server' ? 'transient' : byStatus === 'throttled' || byStatus === 'transient' ? byStatus : 'other';
    // The SDK corrected its clock after this answer (a skewed clock fails the signature): the next attempt can pass.
    const kind = e.$metadata?.clockSkewCorrected ? 'transient' : (awsNameKind(name) ?? unknown);
    return new ServiceError(name, serviceMessage(e.message) ?? `HTTP ${status} from ${host}`, { ...faultOpts(kind), httpStatus: status, retryAfterMs: retryAfter });
  }
  if (status >= 200 && status < 300) {
    return new ServiceError(MALFORMED, `the answer to ${operation} from ${host} could not be read (not JSON, or a field of the wrong type)`, { ...faultOpts('other'), httpStatus: status });
  }
  // The body as the wire guard read it (a Uint8Array), or the SDK's copy of the text it could not parse.
  const raw = e.$response?.body;
  const body = typeof e.$responseBodyText === 'string' ? e.$responseBodyText : typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : undefined;
  // A body the SDK could not read (cut short, say) may still be named by the x-amzn-ErrorType header, as AWS services
  // send it with their errors: a truncated ThrottlingException is still throttling.
  const header = headers && Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-amzn-errortype')?.[1];
  const headerName = typeof header === 'string' ? /^(?:[^#]*#)?([\w.-]{1,100})/.exec(header.split(':')[0]!)?.[1] : undefined;
  const headerKind = headerName === undefined ? undefined : awsNameKind(headerName);
  if (headerName && headerKind) return new ServiceError(headerName, `HTTP ${status} from ${host}: ${headerName} (the answer's body could not be read)`, { ...faultOpts(headerKind), httpStatus: status, retryAfterMs: retryAfter });
  // A 404 with no error name is never about one document: the endpoint does not serve the API.
  const kind = statusKind(status) ?? (status === 404 ? 'permanent' : 'other');
  return httpFault(status, host, body, kind, { retryAfterMs: retryAfter });
}

/**
 * The innermost middleware of one attempt, between the signed request and the wire: it counts the request as sent,
 * refuses to sign for plain http to anything but loopback (behind the endpoint checks of the command, whatever the SDK
 * resolved), and reads the answer's body itself, under the 64 MiB cap and the attempt's signal, so neither a huge nor
 * a trickling body gets past it. Connection faults become ServiceErrors with the host in their message.
 */
export function wireGuard(signal: AbortSignal, sent: () => void, seen: (host: string, via?: Proxy) => void, proxies?: ProxySettings) {
  return <Args extends { request: unknown }, Out extends { response: unknown }>(next: (args: Args) => Promise<Out>) =>
    async (args: Args): Promise<Out> => {
      const req = args.request as { protocol?: string; hostname?: string; port?: number; username?: string; password?: string };
      const host = `${req.hostname ?? ''}${req.port ? `:${req.port}` : ''}`;
      const via = proxies && proxyFor(proxies, req);
      seen(host, via);
      if ((req.protocol === 'http:' && !isLoopback(req.hostname ?? '')) || req.username || req.password) {
        throw new ServiceError('InsecureEndpoint', `refusing to send AWS credentials over plain http to ${host} (use https://)`, faultOpts('permanent'));
      }
      if (signal.aborted) throw new ServiceError('RequestAborted', 'the request was not sent', faultOpts('transient'));
      sent();
      let out: Out;
      try {
        out = await next(args);
      } catch (err) {
        throw networkFault(err, host, via) ?? err;
      }
      const res = out.response as { headers?: Record<string, string>; body?: unknown };
      try {
        res.body = await readBody(res.body as BodyStream, { signal, contentLength: res.headers?.['content-length'] });
      } catch (err) {
        if (err instanceof ServiceError || signal.aborted) throw err;
        throw networkFault(err, host, via) ?? err;
      }
      return out;
    };
}

