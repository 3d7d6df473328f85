import { Agent, request } from 'undici';
import { ServiceError, toServiceError } from '../errors.js';
import { type FaultKind, faultOpts, httpFault, networkFault, statusKind } from '../faults.js';
import { readBody } from '../http.js';
import { retryAfterMs } from '../retry-after.js';
import type { Logger } from '../logger.js';
import type { RoundContext, Source } from '../poll.js';
import { cleanText, sanitize } from '../sanitize.js';
import { chunk } from '../scheduler.js';
import { AZURE_PENDING_STATUSES, azureState, MALFORMED, readStatus } from '../states.js';
import type { DocumentReport } from '../types.js';

export type ApiVersion = 'v1.0' | 'v1.1' | '2024-05-01';
/** The `ids` filter is sent at most this many IDs a request (CONTRACT.md). */
export const IDS_PER_REQUEST = 10;
/** The largest page the service gives ($maxpagesize); asked for unless the user chose another. */
export const MAX_PAGE_SIZE = 100;

export interface TranslatorOptions {
  endpoint: URL;
  apiVersion: ApiVersion;
  key?: string;
  token?: string;
  region?: string;
  requestTimeoutMs: number;
  log: Logger;
}

/** The request-scoped parts of a round a request needs. */
type Ctx = Pick<RoundContext, 'scheduler' | 'signal' | 'clock'>;
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copies a value from a response with every string sanitised (depth-limited). */
function cleanDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return sanitize(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => cleanDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [sanitize(k), cleanDeep(v, depth + 1)]));
}

/** The code and message of an Azure error body: TranslationError (innerError) or Azure.Core (innererror, details). */
export function azureErrorOf(body: unknown): { code?: string; message?: string } {
  if (!isObject(body) || !isObject(body.error)) return {};
  const e = body.error;
  const inner = innerErrorOf(e);
  const detail = Array.isArray(e.details) && isObject(e.details[0]) ? (e.details[0] as Json) : undefined;
  const message = cleanText(e.message);
  // "code: message" of the inner error and first detail, without repeating the outer message.
  const part = (x: Json | undefined) => x && [x.code, x.message !== e.message ? x.message : undefined].filter((v) => typeof v === 'string' && v).join(': ');
  const more = [part(inner), part(detail)].filter(Boolean).join('; ');
  return { code: cleanText(e.code), message: message && more ? `${message} (${sanitize(more)})` : (message ?? (more ? sanitize(more) : undefined)) };
}

const innerErrorOf = (e: Json): Json | undefined => (isObject(e.innerError) ? e.innerError : isObject(e.innererror) ? e.innererror : undefined);

/**
 * What an Azure error answer means (faults.ts has the rule): 429 slows down, 408 and every 5xx are retried whatever
 * the body, 400, 401 and 403 end the run; a 404 ends it when the batch itself is unknown (the batch route, or an inner
 * code BatchNotFound), and is that one document's error otherwise (DocumentNotFound). Any other status is that
 * request's documents' error, not asked again.
 */
export function azureFaultKind(status: number, body: unknown, batchRoute: boolean): FaultKind {
  const kind = statusKind(status);
  if (kind) return kind;
  if (status === 404) {
    const inner = isObject(body) && isObject(body.error) ? innerErrorOf(body.error) : undefined;
    return batchRoute || inner?.code === 'BatchNotFound' ? 'permanent' : 'document';
  }
  // Any other answer stands: asking the same again would get the same.
  return 'document';
}

/** Azure AI Document Translation's batch API over undici: routes per API version, auth headers, error shapes, limits. */
export class TranslatorClient {
  private readonly agent: Agent;
  private readonly base: string;

  constructor(private readonly opts: TranslatorOptions) {
    this.agent = new Agent({ headersTimeout: opts.requestTimeoutMs, bodyTimeout: opts.requestTimeoutMs, connectTimeout: Math.min(opts.requestTimeoutMs, 10_000) });
    const root = opts.endpoint.href.replace(/\/+$/, '');
    this.base = opts.apiVersion === '2024-05-01' ? `${root}/translator/document` : `${root}/translator/text/batch/${opts.apiVersion}`;
  }

  /** The URL of a batch route: `batches/{id}`, `.../documents`, `.../documents/{documentId}`. */
  url(batchId: string, documents?: { documentId?: string; query?: URLSearchParams }): URL {
    let path = `${this.base}/batches/${encodeURIComponent(batchId)}`;
    if (documents) path += `/documents${documents.documentId === undefined ? '' : `/${encodeURIComponent(documents.documentId)}`}`;
    const url = new URL(path);
    for (const [k, v] of documents?.query ?? []) url.searchParams.append(k, v);
    if (this.opts.apiVersion === '2024-05-01') url.searchParams.set('api-version', '2024-05-01');
    return url;
  }

  /** A nextLink to follow: only on the endpoint's own origin, so the key never goes elsewhere. */
  follow(link: string): URL {
    let url: URL;
    try {
      url = new URL(link, this.opts.endpoint);
    } catch {
      throw new ServiceError(MALFORMED, 'the nextLink is not a URL', { askAgain: true });
    }
    if (url.origin !== this.opts.endpoint.origin) {
      throw new ServiceError('ForeignNextLink', `refused to follow a nextLink to another host (${sanitize(url.host)}): the key is only sent to ${this.opts.endpoint.host}`, {
        askAgain: false,
      });
    }
    if (this.opts.apiVersion === '2024-05-01' && !url.searchParams.has('api-version')) url.searchParams.set('api-version', '2024-05-01');
    return url;
  }

  /** GETs a JSON body through the scheduler (retries, throttling); throws ServiceError. */
  get(url: URL, ctx: Ctx): Promise<unknown> {
    return ctx.scheduler.run((signal) => this.once(url, ctx, signal));
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json', 'user-agent': 'docstatus' };
    if (this.opts.key) h['ocp-apim-subscription-key'] = this.opts.key;
    if (this.opts.region) h['ocp-apim-subscription-region'] = this.opts.region;
    if (this.opts.token) h.authorization = `Bearer ${this.opts.token}`;
    return h;
  }

  /** Whether a URL is the batch route itself (`.../batches/{id}`), where a 404 means the batch does not exist. */
  private isBatchRoute(url: URL): boolean {
    const prefix = `${new URL(this.base).pathname}/batches/`;
    const rest = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    return rest !== '' && !rest.includes('/');
  }

  /** One attempt: the scheduler's signal cuts it off whole, the body included. */
  private async once(url: URL, ctx: Ctx, signal: AbortSignal): Promise<unknown> {
    const started = Date.now();
    const log = this.opts.log;
    let res: Awaited<ReturnType<typeof request>>;
    try {
      if (signal.aborted) throw new ServiceError('RequestAborted', 'the request was not sent', faultOpts('transient'));
      ctx.scheduler.sent();
      res = await request(url, { method: 'GET', headers: this.headers(), dispatcher: this.agent, signal });
    } catch (err) {
      log.verbose(`GET ${url.href} ERR ${Date.now() - started}ms`);
      if (err instanceof ServiceError || signal.aborted) throw err;
      throw networkFault(err, url.host) ?? toServiceError(err);
    }
    let text: string;
    try {
      text = (await readBody(res.body, { signal, contentLength: res.headers['content-length'] })).toString('utf8');
    } catch (err) {
      log.verbose(`GET ${url.href} ${res.statusCode} ${Date.now() - started}ms (body failed)`);
      if (err instanceof ServiceError || signal.aborted) throw err;
      throw networkFault(err, url.host) ?? toServiceError(err);
    }
    log.verbose(`GET ${url.href} ${res.statusCode} ${Date.now() - started}ms`);
    const status = res.statusCode;
    let body: unknown;
    let json = true;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      json = false;
    }
    if (status >= 200 && status < 300) {
      if (!json) throw new ServiceError(MALFORMED, `the response to GET ${url.pathname} is not JSON`, { ...faultOpts('other'), httpStatus: status });
      return body;
    }
    const kind = azureFaultKind(status, body, this.isBatchRoute(url));
    const retryAfter = retryAfterMs(res.headers, ctx.clock.now());
    const { code, message } = azureErrorOf(body);
    const headerCode = cleanText(res.headers['x-ms-error-code']);
    if (code === undefined && message === undefined) {
      // No Azure error body (a gateway's page, plain text): the status and the body's first line say what happened.
      const fault = httpFault(status, url.host, json ? undefined : text, kind, { retryAfterMs: retryAfter });
      throw headerCode ? new ServiceError(headerCode, fault.message, fault.opts) : fault;
    }
    throw new ServiceError(code ?? headerCode ?? `HTTP${status}`, message ?? `HTTP ${status} from ${url.host}`, { ...faultOpts(kind), httpStatus: status, retryAfterMs: retryAfter });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

const AZURE_DOC_FIELDS = ['path', 'sourcePath', 'to', 'progress', 'characterCharged', 'createdDateTimeUtc', 'lastActionDateTimeUtc', 'error'] as const;

/** A DocumentStatus (or TranslationStatus) as our report: the service's fields, sanitised, with our state. */
export function azureReport(body: unknown, id: string, extra: (b: Json) => Json = () => ({})): DocumentReport {
  if (!isObject(body)) return { id, state: 'error', errorCode: MALFORMED, errorMessage: 'the answer is not a JSON object' };
  const doc: DocumentReport = { id, ...readStatus(body.status, azureState, 'status') };
  for (const field of AZURE_DOC_FIELDS) if (body[field] !== undefined && body[field] !== null) doc[field] = cleanDeep(body[field]);
  return Object.assign(doc, extra(body));
}

/**
 * translate-status: one GET per ID, `--concurrency` at a time. With no document IDs the one ID is the batch itself
 * (`GET .../batches/{id}`, its summary kept as batchSummary); else each is a document of it.
 */
export class StatusSource implements Source {
  readonly ids: string[];
  private readonly batchOnly: boolean;

  constructor(
    private readonly client: TranslatorClient,
    private readonly batchId: string,
    documentIds: string[],
  ) {
    this.batchOnly = documentIds.length === 0;
    this.ids = this.batchOnly ? [batchId] : documentIds;
  }

  async round(ctx: RoundContext): Promise<void> {
    await ctx.scheduler.map(ctx.pending, async (id) => {
      try {
        if (this.batchOnly) {
          const body = await this.client.get(this.client.url(this.batchId), ctx);
          ctx.report(azureReport(body, id, (b) => (isObject(b.summary) ? { batchSummary: cleanDeep(b.summary) } : {})));
        } else {
          ctx.report(azureReport(await this.client.get(this.client.url(this.batchId, { documentId: id }), ctx), id));
        }
      } catch (err) {
        ctx.fail(id, err);
      }
    });
  }
}

/** The filters of translate-docs, already validated. */
export interface ListFilters {
  top?: number;
  skip?: number;
  maxPageSize?: number;
  statuses?: string[];
  ids?: string[];
  createdAfter?: string;
  createdBefore?: string;
  orderBy?: string;
}

/**
 * translate-docs: every page of the document list. After the first full listing, a round lists only documents in a
 * pending status; a document that left that list is then read by `ids` (10 a request), or by one more full listing
 * when that is cheaper.
 */
export class ListingSource implements Source {
  private total = 0;
  private listed = false;
  private failure?: ServiceError;

  constructor(
    private readonly client: TranslatorClient,
    private readonly batchId: string,
    private readonly filters: ListFilters,
    private readonly log: Logger,
  ) {}

  needsAnotherRound(): boolean {
    return !this.listed && (this.failure?.opts.askAgain ?? false);
  }

  errors(): Array<{ code: string; message: string }> {
    return this.failure ? [{ code: this.failure.code, message: this.failure.message }] : [];
  }

  private query(f: ListFilters, statuses?: readonly string[], ids?: readonly string[]): URLSearchParams {
    const q = new URLSearchParams();
    if (f.top !== undefined) q.set('$top', String(f.top));
    if (f.skip !== undefined) q.set('$skip', String(f.skip));
    q.set('$maxpagesize', String(f.maxPageSize ?? MAX_PAGE_SIZE));
    if (ids?.length) q.set('ids', ids.join(','));
    if (statuses?.length) q.set('statuses', statuses.join(','));
    if (f.createdAfter) q.set('createdDateTimeUtcStart', f.createdAfter);
    if (f.createdBefore) q.set('createdDateTimeUtcEnd', f.createdBefore);
    if (f.orderBy) q.set('$orderBy', f.orderBy);
    return q;
  }

  /** Every page of one query, following @nextLink / nextLink. */
  private async list(query: URLSearchParams, ctx: RoundContext): Promise<Json[]> {
    const out: Json[] = [];
    const visited = new Set<string>();
    let url: URL | undefined = this.client.url(this.batchId, { query });
    while (url) {
      if (visited.has(url.href)) throw new ServiceError('PageLoop', 'the nextLink points back to a page already read; listing stopped', { askAgain: false });
      visited.add(url.href);
      const body = await this.client.get(url, ctx);
      if (!isObject(body) || !Array.isArray(body.value)) throw new ServiceError(MALFORMED, 'a page of the document list has no "value" array', { askAgain: true });
      for (const item of body.value) if (isObject(item)) out.push(item);
      const next = body['@nextLink'] ?? body.nextLink;
      url = typeof next === 'string' && next !== '' ? this.client.follow(next) : undefined;
    }
    return out;
  }

  /** The user's query, in chunks of 10 IDs when --ids is given. */
  private async listAll(ctx: RoundContext, filters: ListFilters, statuses?: readonly string[]): Promise<Json[]> {
    if (!filters.ids?.length) return this.list(this.query(filters, statuses), ctx);
    const pages = await ctx.scheduler.map(chunk(filters.ids, IDS_PER_REQUEST), (ids) => this.list(this.query(filters, statuses, ids), ctx));
    const failed = pages.find((p) => p?.ok === false);
    if (failed) throw failed.error;
    return pages.flatMap((p) => (p?.ok ? p.value : []));
  }

  async round(ctx: RoundContext): Promise<void> {
    try {
      if (!this.listed) await this.firstRound(ctx);
      else await this.pendingRound(ctx);
    } catch (err) {
      if (ctx.signal.aborted) return;
      if (!this.listed) this.failure = toServiceError(err);
      else for (const id of ctx.pending) ctx.fail(id, err);
    }
  }

  private async firstRound(ctx: RoundContext): Promise<void> {
    const docs = await this.listAll(ctx, this.filters, this.filters.statuses);
    this.listed = true;
    this.failure = undefined;
    for (const d of docs) {
      if (typeof d.id !== 'string') continue;
      if (ctx.isKnown(d.id)) continue;
      ctx.report(azureReport(d, d.id));
    }
    this.total = docs.length;
  }

  private async pendingRound(ctx: RoundContext): Promise<void> {
    const pending = new Set(ctx.pending);
    const userStatuses = this.filters.statuses;
    const statuses = AZURE_PENDING_STATUSES.filter((s) => !userStatuses || userStatuses.includes(s));
    const answered = new Set<string>();
    const take = (docs: Json[]) => {
      for (const d of docs) {
        if (typeof d.id !== 'string' || !pending.has(d.id) || answered.has(d.id)) continue;
        answered.add(d.id);
        ctx.report(azureReport(d, d.id));
      }
    };
    // With --ids the set is small and named: read the pending ones by ID.
    if (this.filters.ids?.length) {
      take(await this.listAll(ctx, { ...this.filters, ids: [...pending], top: undefined, skip: undefined }));
    } else {
      if (statuses.length > 0) take(await this.listAll(ctx, { ...this.filters, top: undefined, skip: undefined }, statuses));
      const left = [...pending].filter((id) => !answered.has(id));
      if (left.length > 0) {
        const byIds = Math.ceil(left.length / IDS_PER_REQUEST);
        const relist = Math.ceil(this.total / (this.filters.maxPageSize ?? MAX_PAGE_SIZE));
        // One more full listing shows every leaver only when no --status, --top or --skip narrows it: a document that
        // finished may no longer match --status, and --top / --skip count over a set that has changed.
        const canRelist = !this.filters.statuses && this.filters.top === undefined && this.filters.skip === undefined;
        const relisting = canRelist && relist < byIds;
        this.log.verbose(`${left.length} document(s) left the pending list: reading them ${relisting ? `with a full listing (${relist} pages)` : `by ID (${byIds} requests)`}`);
        take(await this.listAll(ctx, relisting ? this.filters : { ...this.filters, ids: left, top: undefined, skip: undefined }));
      }
    }
    for (const id of pending) {
      if (!answered.has(id)) ctx.report({ id, state: 'error', errorCode: 'MissingFromResponse', errorMessage: 'the service did not list this document' });
    }
  }
}
