import { BatchGetDocumentStatusCommand, type DocumentAttribute, type DocumentInfo, KendraClient } from '@aws-sdk/client-kendra';
import { formatDuration } from '../duration.js';
import { ServiceError } from '../errors.js';
import { isLoopback } from '../options.js';
import { retryAfterMs } from '../retry-after.js';
import type { Logger } from '../logger.js';
import type { RoundContext, Source } from '../poll.js';
import { cleanText } from '../sanitize.js';
import { chunk } from '../scheduler.js';
import { type KendraGoal, kendraState, readStatus } from '../states.js';
import type { DocumentReport } from '../types.js';

/** BatchGetDocumentStatus takes at most this many DocumentInfo items (the Kendra model). */
export const KENDRA_BATCH = 10;

export interface KendraSourceOptions {
  indexId: string;
  /** distinct document IDs, in input order */
  ids: string[];
  /** Attributes of single documents (from --document-info); only documents that have some are here */
  attributes: Map<string, DocumentAttribute[]>;
  /** Attributes for every document (--attribute); a document's own attribute of the same key wins */
  common: DocumentAttribute[];
  goal: KendraGoal;
  wait: boolean;
  notFoundGraceMs: number;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  requestTimeoutMs: number;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  log: Logger;
}

/** Errors after which asking again cannot help: the request, the index or the credentials are wrong. */
const PERMANENT = new Set([
  'ValidationException',
  'ResourceNotFoundException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'CredentialsProviderError',
]);
const TRANSIENT = new Set(['ThrottlingException', 'InternalServerException', 'ServiceUnavailableException', 'TimeoutError', 'RequestTimeout']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** An SDK error as our ServiceError: throttling and faults by the error's name, never by the HTTP code alone. */
export function classifyKendraError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  const e = err as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    $fault?: string;
    $response?: { headers?: Record<string, string> };
  };
  const name = e.name ?? 'Error';
  const message = cleanText(e.message) || name;
  const httpStatus = e.$metadata?.httpStatusCode;
  if (PERMANENT.has(name)) return new ServiceError(name, message, { askAgain: false, httpStatus });
  const throttled = name === 'ThrottlingException' || name === 'TooManyRequestsException';
  const network = (e.code !== undefined && NETWORK.has(e.code)) || NETWORK.has(name);
  const transient = throttled || TRANSIENT.has(name) || network || (e.$fault === 'server' && name !== 'Error');
  const retryAfter = e.$response?.headers ? retryAfterMs(e.$response.headers, Date.now()) : undefined;
  return new ServiceError(network && e.code ? e.code : name, message, { transient, throttled, askAgain: true, httpStatus, retryAfterMs: retryAfter });
}

/**
 * The innermost middleware of one attempt, between the signed request and the wire: it counts the request as sent
 * (a request whose signing failed, e.g. for want of credentials, never gets here), and refuses to sign for plain http
 * to anything but loopback, behind the endpoint checks of the command, whatever the SDK resolved.
 */
function wireGuard(signal: AbortSignal, sent: () => void) {
  return <Args extends { request: unknown }, Out>(next: (args: Args) => Promise<Out>) =>
    async (args: Args): Promise<Out> => {
      const req = args.request as { protocol?: string; hostname?: string; port?: number; username?: string; password?: string };
      const host = `${req.hostname ?? ''}${req.port ? `:${req.port}` : ''}`;
      if ((req.protocol === 'http:' && !isLoopback(req.hostname ?? '')) || req.username || req.password) {
        throw new ServiceError('InsecureEndpoint', `refusing to send AWS credentials over plain http to ${host} (use https://)`, { permanent: true, askAgain: false });
      }
      if (signal.aborted) throw new ServiceError('RequestAborted', 'the request was not sent', { transient: true, askAgain: true });
      sent();
      return next(args);
    };
}

/** Asks Kendra BatchGetDocumentStatus about documents, at most 10 a request, through the real AWS SDK client. */
export class KendraSource implements Source {
  readonly ids: string[];
  private readonly client: KendraClient;

  constructor(private readonly opts: KendraSourceOptions) {
    this.ids = opts.ids;
    this.client = new KendraClient({
      region: opts.region,
      profile: opts.profile,
      endpoint: opts.endpointUrl,
      // The command has read and checked AWS_ENDPOINT_URL_KENDRA / AWS_ENDPOINT_URL itself (endpointUrl): the SDK must
      // not pick up an endpoint from the environment or a profile that no check has seen.
      ignoreConfiguredEndpointUrls: true,
      credentials: opts.credentials,
      // Retries belong to the shared Scheduler, which slows every request down on throttling.
      maxAttempts: 1,
      requestHandler: {
        requestTimeout: opts.requestTimeoutMs,
        connectionTimeout: Math.min(opts.requestTimeoutMs, 10_000),
        // Without this the handler only logs a warning and the request hangs on (--request-timeout must cut it off).
        throwOnRequestTimeout: true,
        // The handler's own notices (socket saturation) are --verbose lines, not console output.
        logger: { trace() {}, debug() {}, info() {}, warn: (m: unknown) => opts.log.verbose(String(m)), error: (m: unknown) => opts.log.verbose(String(m)) },
      },
    });
    const log = opts.log;
    if (log.isVerbose) {
      this.client.middlewareStack.add(
        (next) => async (args) => {
          const req = args.request as { method?: string; protocol?: string; hostname?: string; port?: number; path?: string };
          const url = `${req.protocol}//${req.hostname}${req.port ? `:${req.port}` : ''}${req.path}`;
          const started = Date.now();
          try {
            const out = await next(args);
            log.verbose(`${req.method} ${url} ${(out.response as { statusCode?: number }).statusCode} ${Date.now() - started}ms`);
            return out;
          } catch (err) {
            const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 'ERR';
            log.verbose(`${req.method} ${url} ${status} ${Date.now() - started}ms`);
            throw err;
          }
        },
        { step: 'deserialize', name: 'docstatusVerboseLog' },
      );
    }
  }

  /** The region the SDK resolved from flags, environment and profile; throws when there is none. */
  async region(): Promise<string> {
    return this.client.config.region();
  }

  async round(ctx: RoundContext): Promise<void> {
    await ctx.scheduler.map(chunk(ctx.pending, KENDRA_BATCH), (ids) => this.ask(ids, ctx));
  }

  /** The DocumentInfo of one ID, made when it is asked about (a million IDs need no million objects kept). */
  private info(id: string): DocumentInfo {
    const own = this.opts.attributes.get(id);
    const common = this.opts.common;
    if (!own && common.length === 0) return { DocumentId: id };
    const keys = new Set((own ?? []).map((a) => a.Key));
    return { DocumentId: id, Attributes: [...(own ?? []), ...common.filter((a) => !keys.has(a.Key))] };
  }

  private async ask(ids: string[], ctx: RoundContext): Promise<void> {
    const input = { IndexId: this.opts.indexId, DocumentInfoList: ids.map((id) => this.info(id)) };
    let output: { DocumentStatusList?: unknown; Errors?: unknown };
    try {
      output = await ctx.scheduler.run(async (signal) => {
        // A command per attempt: its wire guard carries this attempt's signal.
        const command = new BatchGetDocumentStatusCommand(input);
        command.middlewareStack.add(wireGuard(signal, () => ctx.scheduler.sent()), { step: 'deserialize', priority: 'low', name: 'docstatusWireGuard' });
        try {
          return await this.client.send(command, { abortSignal: signal });
        } catch (err) {
          throw classifyKendraError(err);
        }
      });
    } catch (err) {
      for (const id of ids) ctx.fail(id, err);
      return;
    }
    this.apply(ids, output, ctx);
  }

  /** Maps one response onto the documents asked; an ID nobody asked for is ignored, an ID left out becomes an error. */
  private apply(ids: string[], output: { DocumentStatusList?: unknown; Errors?: unknown }, ctx: RoundContext): void {
    const answered = new Set<string>();
    // The asked ID itself (ours, not the response's copy of it), or undefined for one nobody asked or already answered.
    const take = (value: unknown): string | undefined => {
      const id = ids.find((x) => x === value);
      if (id === undefined) {
        this.opts.log.verbose(`ignored an answer for a document that was not asked: ${String(value).slice(0, 200)}`);
        return undefined;
      }
      if (answered.has(id)) return undefined;
      answered.add(id);
      return id;
    };
    const statuses = Array.isArray(output.DocumentStatusList) ? output.DocumentStatusList : [];
    const errors = Array.isArray(output.Errors) ? output.Errors : [];
    for (const s of statuses as Array<Record<string, unknown>>) {
      const id = take(s?.DocumentId);
      if (id === undefined) continue;
      ctx.report(this.toReport(id, s, ctx));
    }
    for (const e of errors as Array<Record<string, unknown>>) {
      const id = take(e?.DocumentId);
      if (id === undefined) continue;
      const code = cleanText(e.ErrorCode) ?? 'Error';
      ctx.report({ id, state: 'error', errorCode: code, errorMessage: cleanText(e.ErrorMessage) ?? code }, code !== 'InvalidRequest');
    }
    for (const id of ids) {
      if (!answered.has(id)) {
        ctx.report({ id, state: 'error', errorCode: 'MissingFromResponse', errorMessage: 'the service did not report this document' });
      }
    }
  }

  private toReport(id: string, s: Record<string, unknown>, ctx: RoundContext): DocumentReport {
    const read = readStatus(s.DocumentStatus, (status) => kendraState(status, this.opts.goal), 'DocumentStatus');
    if (read.state === 'error') return { id, ...read };
    const { status } = read;
    const failureCode = cleanText(s.FailureCode);
    const failureReason = cleanText(s.FailureReason);
    const doc: DocumentReport = { id, ...read, ...(failureCode && { failureCode }), ...(failureReason && { failureReason }) };
    const grace = this.opts.notFoundGraceMs;
    if (this.opts.wait && this.opts.goal === 'indexed' && status === 'NOT_FOUND' && ctx.clock.now() - ctx.startedAt >= grace) {
      doc.state = 'failed';
      doc.failureReason = `still NOT_FOUND ${formatDuration(grace)} after the first round (--not-found-grace)`;
    }
    return doc;
  }
}
