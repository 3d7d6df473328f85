import { BatchGetDocumentStatusCommand, type DocumentAttribute, type DocumentInfo, KendraClient, type KendraClientConfig } from '@aws-sdk/client-kendra';
import { formatDuration } from '../../core/duration.js';
import { ServiceError } from '../../core/errors.js';
import { awsNameKind, faultOpts, httpFault, networkFault, statusKind } from '../../core/faults.js';
import { type BodyStream, readBody } from '../../core/http.js';
import { isLoopback } from '../../core/options.js';
import { retryAfterMs } from '../../core/retry-after.js';
import type { Logger } from '../../app/logger.js';
import type { RoundContext, Source } from '../../core/poll.js';
import { cleanText } from '../../core/sanitize.js';
import { chunk } from '../../core/scheduler.js';
import { MALFORMED, MISSING, readStatus } from '../../core/outcome.js';
import { type KendraGoal, kendraStatuses } from './states.js';
import type { DocumentReport } from '../../core/result.js';

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
  /** fixed credentials or a provider (the demo's, tests'); else the SDK's default chain */
  credentials?: KendraClientConfig['credentials'];
  log: Logger;
}

/** The first line of an SDK error's message: the service's own text, never an SDK hint appended to it. */
function serviceMessage(message: unknown): string | undefined {
  if (typeof message !== 'string') return undefined;
  const line = message.split('\n')[0]!;
  return /Deserialization error|\$response/.test(line) ? undefined : cleanText(line.trim()) || undefined;
}

/**
 * An SDK error as our ServiceError, by the rule in faults.ts: an error the service named (its `__type`) by that name,
 * whatever its HTTP status (Kendra answers ThrottlingException with a 400); an answer without a usable name (a load
 * balancer's "Service Unavailable", a JSON body of another shape) by its HTTP status; no answer at all by its errno.
 * `host` is the endpoint's, for messages.
 */
export function classifyKendraError(err: unknown, host: string): ServiceError {
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
  if (status === undefined) {
    // No HTTP answer: a connection fault, the credential chain, or a timeout of the SDK's own.
    const net = networkFault(err, host);
    if (net) return net;
    if (name === 'TimeoutError') return new ServiceError(name, `no connection to ${host || 'the endpoint'} in time`, faultOpts('transient'));
    return new ServiceError(name, serviceMessage(e.message) ?? name, faultOpts(awsNameKind(name) ?? 'other'));
  }
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
    return new ServiceError(MALFORMED, `the answer to BatchGetDocumentStatus from ${host} could not be read (not JSON)`, { ...faultOpts('other'), httpStatus: status });
  }
  // The body as the wire guard read it (a Uint8Array), or the SDK's copy of the text it could not parse.
  const raw = e.$response?.body;
  const body = typeof e.$responseBodyText === 'string' ? e.$responseBodyText : typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : undefined;
  // A body the SDK could not read (cut short, say) may still be named by the x-amzn-ErrorType header, as Kendra sends
  // it with its errors: a truncated ThrottlingException is still throttling.
  const header = headers && Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-amzn-errortype')?.[1];
  const headerName = typeof header === 'string' ? /^(?:[^#]*#)?([\w.-]{1,100})/.exec(header.split(':')[0]!)?.[1] : undefined;
  const headerKind = headerName === undefined ? undefined : awsNameKind(headerName);
  if (headerName && headerKind) return new ServiceError(headerName, `HTTP ${status} from ${host}: ${headerName} (the answer's body could not be read)`, { ...faultOpts(headerKind), httpStatus: status, retryAfterMs: retryAfter });
  // A 404 is never about one document here: the endpoint does not serve the Kendra API.
  const kind = statusKind(status) ?? (status === 404 ? 'permanent' : 'other');
  return httpFault(status, host, body, kind, { retryAfterMs: retryAfter });
}

/**
 * The innermost middleware of one attempt, between the signed request and the wire: it counts the request as sent,
 * refuses to sign for plain http to anything but loopback (behind the endpoint checks of the command, whatever the SDK
 * resolved), and reads the answer's body itself, under the 64 MiB cap and the attempt's signal, so neither a huge nor
 * a trickling body gets past it. Connection faults become ServiceErrors with the host in their message.
 */
function wireGuard(signal: AbortSignal, sent: () => void, seen: (host: string) => void) {
  return <Args extends { request: unknown }, Out extends { response: unknown }>(next: (args: Args) => Promise<Out>) =>
    async (args: Args): Promise<Out> => {
      const req = args.request as { protocol?: string; hostname?: string; port?: number; username?: string; password?: string };
      const host = `${req.hostname ?? ''}${req.port ? `:${req.port}` : ''}`;
      seen(host);
      if ((req.protocol === 'http:' && !isLoopback(req.hostname ?? '')) || req.username || req.password) {
        throw new ServiceError('InsecureEndpoint', `refusing to send AWS credentials over plain http to ${host} (use https://)`, faultOpts('permanent'));
      }
      if (signal.aborted) throw new ServiceError('RequestAborted', 'the request was not sent', faultOpts('transient'));
      sent();
      let out: Out;
      try {
        out = await next(args);
      } catch (err) {
        throw networkFault(err, host) ?? err;
      }
      const res = out.response as { headers?: Record<string, string>; body?: unknown };
      try {
        res.body = await readBody(res.body as BodyStream, { signal, contentLength: res.headers?.['content-length'] });
      } catch (err) {
        if (err instanceof ServiceError || signal.aborted) throw err;
        throw networkFault(err, host) ?? err;
      }
      return out;
    };
}

/** Asks Kendra BatchGetDocumentStatus about documents, at most 10 a request, through the real AWS SDK client. */
export class KendraSource implements Source {
  readonly ids: string[];
  private readonly client: KendraClient;
  /** the endpoint's host:port as the last request went to it (one endpoint a run), for messages */
  private host = '';

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
        // --request-timeout bounds the whole attempt, body included, through the scheduler's signal; this only ends a
        // connection that cannot be made sooner.
        connectionTimeout: Math.min(opts.requestTimeoutMs, 10_000),
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
        const guard = wireGuard(signal, () => ctx.scheduler.sent(), (host) => (this.host = host));
        command.middlewareStack.add(guard, { step: 'deserialize', priority: 'low', name: 'docstatusWireGuard' });
        try {
          return await this.client.send(command, { abortSignal: signal });
        } catch (err) {
          throw classifyKendraError(err, this.host);
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
        this.opts.log.verbose(`ignored an answer for a document that was not asked: ${typeof value === 'string' ? value.slice(0, 200) : `(a ${value === null ? 'null' : typeof value} DocumentId)`}`);
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
        ctx.report({ id, state: 'error', errorCode: MISSING, errorMessage: 'the service did not report this document' });
      }
    }
  }

  private toReport(id: string, s: Record<string, unknown>, ctx: RoundContext): DocumentReport {
    const read = readStatus(s.DocumentStatus, kendraStatuses(this.opts.goal), 'DocumentStatus');
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
