import { createHash } from 'node:crypto';
import { Answers } from '../../core/answers.js';
import { Agent, type Dispatcher, ProxyAgent, request } from 'undici';
import { chunk } from '../../core/input.js';
import { ServiceError, toServiceError } from '../../core/errors.js';
import { type FaultKind, faultOpts, httpFault, networkFault, proxyRefusal, statusKind } from '../../core/faults.js';
import { type Proxy, proxyAuthorization } from '../../core/proxy.js';
import { readBody } from '../../core/http.js';
import { retryAfterMs } from '../../core/retry-after.js';
import type { Logger } from '../../app/logger.js';
import type { RoundContext, Source } from '../../core/poll.js';
import { cleanText, sanitize } from '../../core/sanitize.js';
import { MALFORMED, MISSING, readStatus } from '../../core/outcome.js';
import { AZURE_PENDING_STATUSES, AZURE_STATUSES } from './states.js';
import type { DocumentReport } from '../../core/result.js';
import { type ApiVersion, isDateVersion } from './flags.js';
import { isObject, type Json } from '../../core/json.js';
import { check, checkAnswer, listingLimit, type ListingLimit } from '../../core/boundary.js';
import { type AzureModel, azureModel } from './model.js';
import { cutText } from '../../core/wrap.js';

/** A nextLink longer than this is no link (Azure's are a few hundred characters). */
const MAX_LINK_LENGTH = 16 * 1024;
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
  /** the proxy every request goes through (the endpoint is the only host a run asks), from core/proxy.ts */
  proxy?: Proxy;
}

/** The request-scoped parts of a round a request needs. */
type Ctx = Pick<RoundContext, 'scheduler' | 'signal' | 'clock'>;


/** Copies a value from a response with every string sanitised (depth-limited). */
function cleanDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return sanitize(value);
  if (value === null || typeof value !== 'object') return value;
  // Deeper than any field of the API: dropped, rather than kept unsanitised.
  if (depth > 6) return undefined;
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
export function azureFaultKind(status: number, body: unknown, route: 'batch' | 'document' | 'list'): FaultKind {
  // A 400 about one document (an ID the service will not take) is that document's answer, not the whole run's.
  if (status === 400 && route === 'document') return 'document';
  const kind = statusKind(status);
  if (kind) return kind;
  if (status === 404) {
    const inner = isObject(body) && isObject(body.error) ? innerErrorOf(body.error) : undefined;
    return route === 'batch' || inner?.code === 'BatchNotFound' ? 'permanent' : 'document';
  }
  // Any other answer stands: asking the same again would get the same.
  return 'document';
}

/**
 * The status a proxy answered instead of passing the request on, as undici reports it: a refused CONNECT
 * (`Proxy response (407) !== 200 when HTTP Tunneling`), or a 407 to a forwarded plain-http request.
 */
function proxyStatus(err: unknown): number | undefined {
  const message = err instanceof Error ? err.message : '';
  const tunnel = /^Proxy response \((\d{3})\) !== 200/.exec(message);
  if (tunnel) return Number(tunnel[1]);
  return /^Proxy Authentication Required \(407\)/.test(message) ? 407 : undefined;
}

/** Azure AI Document Translation's batch API over undici: routes per API version, auth headers, error shapes, limits. */
export class TranslatorClient {
  private readonly agent: Dispatcher;
  private readonly base: string;
  /** appended to --verbose lines: the proxy by host and port (its URL may hold a password) */
  private readonly via: string;
  /** the schemas of this API version's answers (model.ts) */
  readonly model: AzureModel;

  constructor(private readonly opts: TranslatorOptions) {
    this.model = azureModel(opts.apiVersion);
    const timeouts = { headersTimeout: opts.requestTimeoutMs, bodyTimeout: opts.requestTimeoutMs };
    const connectTimeout = Math.min(opts.requestTimeoutMs, 10_000);
    // Through a proxy: https by a CONNECT tunnel (TLS end to end), plain http in absolute form as curl sends it
    // (proxyTunnel: false). undici's EnvHttpProxyAgent is not used: it reads process.env, and decides by rules of its
    // own (core/proxy.ts), where this run has decided once for its one host.
    // The credentials go as the Proxy-Authorization token, not in the URL the agent keeps (core/proxy.ts).
    const auth = opts.proxy && proxyAuthorization(opts.proxy.url);
    this.agent = auth
      ? new ProxyAgent({ uri: auth.url.href, token: auth.authorization, proxyTunnel: false, ...timeouts, proxyTls: { timeout: connectTimeout }, requestTls: { timeout: connectTimeout } })
      : new Agent({ ...timeouts, connectTimeout });
    this.via = opts.proxy ? ` (proxy ${opts.proxy.host})` : '';
    const root = opts.endpoint.href.replace(/\/+$/, '');
    this.base = isDateVersion(opts.apiVersion) ? `${root}/translator/document` : `${root}/translator/text/batch/${opts.apiVersion}`;
  }

  /**
   * The list's paging parameters as the version names them: `$top`, `$skip`, `$maxpagesize`, `$orderBy` on v1.x (its
   * REST reference); `top`, `skip`, `maxpagesize`, `orderby` on the date-versioned API (its TypeSpec and the 2026-03-01
   * OpenAPI, and what every official client sends).
   */
  get paging(): { top: string; skip: string; maxpagesize: string; orderby: string } {
    return isDateVersion(this.opts.apiVersion)
      ? { top: 'top', skip: 'skip', maxpagesize: 'maxpagesize', orderby: 'orderby' }
      : { top: '$top', skip: '$skip', maxpagesize: '$maxpagesize', orderby: '$orderBy' };
  }

  /** The URL of a batch route: `batches/{id}`, `.../documents`, `.../documents/{documentId}`. */
  url(batchId: string, documents?: { documentId?: string; query?: URLSearchParams }): URL {
    let path = `${this.base}/batches/${encodeURIComponent(batchId)}`;
    if (documents) path += `/documents${documents.documentId === undefined ? '' : `/${encodeURIComponent(documents.documentId)}`}`;
    const url = new URL(path);
    for (const [k, v] of documents?.query ?? []) url.searchParams.append(k, v);
    if (isDateVersion(this.opts.apiVersion)) url.searchParams.set('api-version', this.opts.apiVersion);
    return url;
  }

  /** A nextLink to follow: only on the endpoint's own origin, so the key never goes elsewhere. */
  follow(link: string, from: URL): URL {
    if (link.length > MAX_LINK_LENGTH) throw new ServiceError(MALFORMED, `the nextLink is over ${MAX_LINK_LENGTH} characters long`, { askAgain: true });
    let url: URL;
    try {
      // A relative link is relative to the page it came on, as URLs are.
      url = new URL(link, from);
    } catch {
      throw new ServiceError(MALFORMED, 'the nextLink is not a URL', { askAgain: true });
    }
    if (url.origin !== this.opts.endpoint.origin) {
      throw new ServiceError('ForeignNextLink', `refused to follow a nextLink to another host (${sanitize(url.host)}): the key is only sent to ${this.opts.endpoint.host}`, {
        askAgain: false,
      });
    }
    if (isDateVersion(this.opts.apiVersion) && !url.searchParams.has('api-version')) url.searchParams.set('api-version', this.opts.apiVersion);
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

  /** Which route a URL is: the batch itself (`.../batches/{id}`, where a 404 means the batch does not exist), one
   * document (`.../documents/{documentId}`), or the document list. */
  private routeOf(url: URL): 'batch' | 'document' | 'list' {
    const prefix = `${new URL(this.base).pathname}/batches/`;
    const rest = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    if (rest !== '' && !rest.includes('/')) return 'batch';
    return /\/documents\/[^/]+$/.test(rest) ? 'document' : 'list';
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
      log.verbose(`GET ${url.href} ERR ${Date.now() - started}ms${this.via}`);
      if (err instanceof ServiceError || signal.aborted) throw err;
      const proxy = this.opts.proxy;
      const refused = proxy && proxyStatus(err);
      if (proxy && refused) throw proxyRefusal(refused, proxy);
      throw networkFault(err, url.host, proxy) ?? toServiceError(err);
    }
    let text: string;
    try {
      text = (await readBody(res.body, { signal, contentLength: res.headers['content-length'] })).toString('utf8');
    } catch (err) {
      log.verbose(`GET ${url.href} ${res.statusCode} ${Date.now() - started}ms (body failed)${this.via}`);
      if (err instanceof ServiceError || signal.aborted) throw err;
      throw networkFault(err, url.host) ?? toServiceError(err);
    }
    log.verbose(`GET ${url.href} ${res.statusCode} ${Date.now() - started}ms${this.via}`);
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
    const kind = azureFaultKind(status, body, this.routeOf(url));
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

  /** The run is over: connections go at once. close() would wait for a request still pending, such as a CONNECT a
   * proxy never answers (undici's ProxyAgent gives it no timeout and no abort reaches it). */
  close(): Promise<void> {
    return this.agent.destroy();
  }
}

/** DocumentStatus fields kept as the service names them; the last five are new in 2026-03-01 (image scans, the model). */
const AZURE_DOC_FIELDS = [
  'path',
  'sourcePath',
  'to',
  'progress',
  'characterCharged',
  'createdDateTimeUtc',
  'lastActionDateTimeUtc',
  'error',
  'totalImageScansSucceeded',
  'totalImageScansFailed',
  'imageCharged',
  'imageCharacterDetected',
  'deploymentName',
] as const;

/**
 * A DocumentStatus (or, with `schema`, a TranslationStatus) as our report: checked against the model first (a body
 * that does not fit is MalformedResponse, naming the field), then the service's fields, sanitised, with our state.
 */
export function azureReport(body: unknown, id: string, schema: AzureModel['document'] | AzureModel['batch'] = azureModel('v1.1').document, extra: (b: Json) => Json = () => ({})): DocumentReport {
  const checked = check(schema as AzureModel['document'], body);
  if (!checked.ok) return { id, state: 'error', errorCode: MALFORMED, errorMessage: checked.reason };
  const b = checked.value as unknown as Json;
  const doc: DocumentReport = { id, ...readStatus(b.status, AZURE_STATUSES, 'status') };
  for (const field of AZURE_DOC_FIELDS) if (b[field] !== undefined && b[field] !== null) doc[field] = cleanDeep(b[field]);
  return Object.assign(doc, extra(b));
}

/**
 * An answer that names another batch or document than the one asked is not about it (a proxy or cache that mixed
 * answers up): that document's error, never its status. IDs are GUIDs, which the service may spell in another case.
 */
function otherId(body: unknown, id: string, what: 'batch' | 'document'): DocumentReport | undefined {
  if (!isObject(body) || typeof body.id !== 'string' || body.id.toLowerCase() === id.toLowerCase()) return undefined;
  return { id, state: 'error', errorCode: MALFORMED, errorMessage: `the answer is about another ${what} (${cutText(sanitize(body.id), 100)})` };
}

/**
 * The batch as one document. A batch is `Succeeded` once it has run, even when some of its documents failed or were
 * cancelled; a CI gate asking about the batch must not pass then, so such a batch is `failed`, with the counts as its
 * failure reason (the service's status is kept as it is). Its summary has been checked against the model (every
 * count a non-negative integer): a summary missing, null, an array or with a count of "3" or -3 is MalformedResponse.
 */
function batchReport(body: unknown, id: string, schema: AzureModel['batch']): DocumentReport {
  const doc = azureReport(body, id, schema, (b) => ({ batchSummary: cleanDeep(b.summary) }));
  if (doc.state === 'error') return doc;
  const { summary } = body as { summary: { failed: number; cancelled: number; total: number; success: number; inProgress: number; notYetStarted: number } };
  if (doc.state === 'succeeded' && summary.failed + summary.cancelled > 0) {
    doc.state = 'failed';
    doc.failureReason = `${summary.failed} failed and ${summary.cancelled} cancelled of ${summary.total} documents`;
  } else if (doc.state === 'succeeded' && (summary.total === 0 || summary.success !== summary.total || summary.inProgress + summary.notYetStarted > 0)) {
    // A batch that says Succeeded must have translated every one of its documents, and at least one: a summary that
    // disagrees (total 0, success 3 of 5, documents still in progress) is no success the gate can believe. Its status
    // is not shown (summary.byStatus.Succeeded == summary.total must not hold), only named in the message.
    const { total, success, inProgress, notYetStarted } = summary;
    return {
      id,
      state: 'error',
      errorCode: MALFORMED,
      errorMessage: `the batch is Succeeded but its summary disagrees: ${success} succeeded of ${total} documents, ${inProgress} in progress, ${notYetStarted} not yet started`,
      batchSummary: doc.batchSummary,
    };
  }
  return doc;
}

/** The batch itself, one GET (`.../batches/{id}`): its report as translate-status gives it (batchReport). */
export async function readBatch(client: TranslatorClient, batchId: string, ctx: Ctx): Promise<DocumentReport> {
  const body = await client.get(client.url(batchId), ctx);
  return otherId(body, batchId, 'batch') ?? batchReport(body, batchId, client.model.batch);
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
          ctx.report(await readBatch(this.client, id, ctx));
        } else {
          const body = await this.client.get(this.client.url(this.batchId, { documentId: id }), ctx);
          ctx.report(otherId(body, id, 'document') ?? azureReport(body, id, this.client.model.document));
        }
      } catch (err) {
        ctx.fail(id, err);
      }
    });
  }
}

/** A failed batch as a run-level error: the batch's error code (its status when it has none) and message. */
function batchFailure(batch: DocumentReport): { code: string; message: string } {
  const error = isObject(batch.error) ? batch.error : {};
  const code = typeof error.code === 'string' && error.code ? error.code : (batch.status as string);
  const why = typeof error.message === 'string' && error.message ? `: ${error.message}` : '';
  return { code, message: `the batch is ${batch.status as string}${why} (it lists no document)` };
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

/** A listing never reads more pages than this: a service whose list does not end is stopped (PageLimit). */
export const MAX_PAGES = 10_000;
/** Pages in a row with no document that still link to another page: a list that has ended but does not say so. */
export const MAX_EMPTY_PAGES = 20;

/** The ID of a list entry the tool can use: a non-empty string of at most 2048 characters. */
function entryId(entry: unknown): string | undefined {
  if (!isObject(entry)) return undefined;
  const id = entry.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 2048 ? id : undefined;
}

/** The IDs of one --ids chunk whose listing failed, and why. */
interface ChunkFailure {
  ids: string[];
  error: unknown;
}

/** What one listing read: its entries that have a usable ID (each checked against the model: its report), in service
 * order, and how many had none. */
interface Listing {
  docs: Array<{ id: string; doc: DocumentReport }>;
  unreadable: number;
}

/**
 * translate-docs: every page of the document list. After the first full listing, a round lists only documents in a
 * pending status; a document that left that list is then read by `ids` (10 a request), or by one more full listing
 * when that is cheaper. With --ids (and no filter that narrows the list further) the named IDs are the result's rows,
 * read by ID every round; a document nobody named is ignored.
 */
export class ListingSource implements Source {
  /** the named IDs, when they are the rows (--ids with no --status, --top, --skip or date filter) */
  readonly ids?: readonly string[];
  /** --ids, whichever mode: only these documents are taken from an answer */
  private readonly named?: ReadonlySet<string>;
  private total = 0;
  private listed = false;
  /** the last first-round listing found no document */
  private empty = false;
  private saidEmpty = false;
  private failure?: ServiceError;
  /** the batch failed as a whole (Failed, ValidationFailed, Cancelled) and lists no document: the run's outcome */
  private batchFailure?: { code: string; message: string };
  /** entries with no usable ID: the most that one complete listing held (never summed over listings and retries) */
  private unreadable = 0;

  constructor(
    private readonly client: TranslatorClient,
    private readonly batchId: string,
    private readonly filters: ListFilters,
    private readonly log: Logger,
    /** what one listing may hold (core/boundary.ts LISTING_LIMIT; smaller in tests) */
    private readonly limit?: ListingLimit,
    /** --wait: an empty list is listed again (only said in the warning) */
    private readonly wait = false,
  ) {
    if (filters.ids?.length) {
      this.named = new Set(filters.ids);
      const narrowed = filters.statuses || filters.top !== undefined || filters.skip !== undefined || filters.createdAfter || filters.createdBefore;
      if (!narrowed) this.ids = filters.ids;
    }
  }

  needsAnotherRound(): boolean {
    return !this.listed && (this.empty || (this.failure?.opts.askAgain ?? false));
  }

  /** The documents are known: named by --ids, or the list was read to its end at least once (an interrupt or the
   * deadline during the first listing is no success). */
  finished(): boolean {
    return this.ids !== undefined || this.listed;
  }

  failed(): boolean {
    return this.batchFailure !== undefined;
  }

  errors(): Array<{ code: string; message: string }> {
    if (this.batchFailure) return [this.batchFailure];
    const out = this.failure ? [{ code: this.failure.code, message: this.failure.message }] : [];
    const n = this.unreadable;
    if (n > 0) out.push({ code: MALFORMED, message: `${n} ${n === 1 ? 'entry' : 'entries'} of the document list had no usable id: the documents they stand for are unknown` });
    return out;
  }

  private query(f: ListFilters, statuses?: readonly string[], ids?: readonly string[]): URLSearchParams {
    const q = new URLSearchParams();
    const name = this.client.paging;
    if (f.top !== undefined) q.set(name.top, String(f.top));
    if (f.skip !== undefined) q.set(name.skip, String(f.skip));
    q.set(name.maxpagesize, String(f.maxPageSize ?? MAX_PAGE_SIZE));
    if (ids?.length) q.set('ids', ids.join(','));
    if (statuses?.length) q.set('statuses', statuses.join(','));
    if (f.createdAfter) q.set('createdDateTimeUtcStart', f.createdAfter);
    if (f.createdBefore) q.set('createdDateTimeUtcEnd', f.createdBefore);
    if (f.orderBy) q.set(name.orderby, f.orderBy);
    return q;
  }

  /**
   * Every page of one query, following @nextLink / nextLink, within bounds: no page twice, at most MAX_PAGES pages,
   * at most MAX_EMPTY_PAGES pages in a row without a document, and with `top` no entry past the first `top` (a link
   * beyond them is not followed). A list that does not end is a PageLimit error, never a short success.
   */
  private async list(query: URLSearchParams, ctx: RoundContext, top: number | undefined, limit: { add(id: string): void }): Promise<Listing> {
    const out: Listing = { docs: [], unreadable: 0 };
    const model = this.client.model;
    // Pages read, by a hash of their URL: a server's links can be long, and this set holds up to MAX_PAGES of them.
    const visited = new Set<string>();
    let entries = 0;
    let empty = 0;
    let url: URL | undefined = this.client.url(this.batchId, { query });
    while (url) {
      const seen = createHash('sha256').update(url.href).digest('base64');
      if (visited.has(seen)) throw new ServiceError('PageLoop', 'the nextLink points back to a page already read; listing stopped', { askAgain: false });
      if (visited.size >= MAX_PAGES) throw new ServiceError('PageLimit', `the document list did not end after ${MAX_PAGES} pages; listing stopped`, { askAgain: false });
      visited.add(seen);
      const page: unknown = await this.client.get(url, ctx);
      const body = checkAnswer(model.page, page, 'a page of the document list');
      let usable = 0;
      for (const item of body.value) {
        if (top !== undefined && entries >= top) break;
        entries++;
        const id = entryId(item);
        if (id === undefined) out.unreadable++;
        else {
          limit.add(id);
          out.docs.push({ id, doc: azureReport(item, id, model.document) });
          usable++;
        }
      }
      // The next page's link: absent or null is the end of the list; "" is an answer the tool cannot read (treating it
      // as the end would drop every document after this page).
      const next: string | null | undefined = body['@nextLink'] ?? body.nextLink;
      if (next === '') throw new ServiceError(MALFORMED, 'malformed answer: the nextLink of a page of the document list is "", expected a URL', { askAgain: true });
      const more = typeof next === 'string';
      if (top !== undefined && entries >= top) {
        if (more || body.value.length > usable) this.log.verbose(`the document list went on past --top ${top}: not read further`);
        break;
      }
      empty = usable === 0 ? empty + 1 : 0;
      if (more && empty >= MAX_EMPTY_PAGES) {
        throw new ServiceError('PageLimit', `the document list did not end: ${empty} pages in a row held no document and still linked to another; listing stopped`, { askAgain: false });
      }
      url = more ? this.client.follow(next, url) : undefined;
    }
    if (out.unreadable > 0) this.log.verbose(`${out.unreadable} entr${out.unreadable === 1 ? 'y' : 'ies'} of the document list had no usable id`);
    return out;
  }

  /**
   * The user's query, in chunks of 10 IDs when --ids is given; entries with no usable ID are counted for the run. Each
   * chunk's outcome is its own: the documents of the chunks that answered are kept, and the IDs of a chunk that failed
   * come back with its error (a listing without --ids has one request chain, whose failure is thrown).
   */
  private async listAll(ctx: RoundContext, filters: ListFilters, statuses?: readonly string[]): Promise<{ docs: Listing['docs']; failed: ChunkFailure[] }> {
    // One limit for the whole listing, its --ids chunks together.
    const limit = listingLimit(this.limit);
    if (!filters.ids?.length) {
      const l = await this.list(this.query(filters, statuses), ctx, filters.top, limit);
      this.unreadable = Math.max(this.unreadable, l.unreadable);
      return { docs: l.docs, failed: [] };
    }
    const chunks = chunk(filters.ids, IDS_PER_REQUEST);
    const settled = await ctx.scheduler.map(chunks, (ids) => this.list(this.query(filters, statuses, ids), ctx, filters.top, limit));
    const docs: Listing['docs'] = [];
    const failed: ChunkFailure[] = [];
    let unreadable = 0;
    settled.forEach((r, i) => {
      if (r?.ok) {
        unreadable += r.value.unreadable;
        for (const d of r.value.docs) docs.push(d);
      } else {
        failed.push({ ids: chunks[i]!, error: r ? r.error : new ServiceError('Stopped', 'the run stopped before this request was sent') });
      }
    });
    if (failed.length === 0) this.unreadable = Math.max(this.unreadable, unreadable);
    return { docs, failed };
  }

  /** Each ID of a failed chunk gets its chunk's error; returns the IDs so handled. */
  private failChunks(failed: readonly ChunkFailure[], ctx: RoundContext): Set<string> {
    const handled = new Set<string>();
    for (const f of failed) {
      for (const id of f.ids) {
        handled.add(id);
        ctx.fail(id, f.error);
      }
    }
    return handled;

  }

  async round(ctx: RoundContext): Promise<void> {
    try {
      if (this.ids) await this.namedRound(ctx);
      else if (!this.listed) await this.firstRound(ctx);
      else await this.pendingRound(ctx);
    } catch (err) {
      if (ctx.signal.aborted) return;
      const e = toServiceError(err);
      // A permanent fault (an unknown batch, a refused key) ends the run; another failed first listing is asked again.
      if (!this.ids && !this.listed) {
        if (e.opts.permanent) ctx.fatal(e);
        else this.failure = e;
      } else for (const id of ctx.pending) ctx.fail(id, e);
    }
  }

  /** Reports what an answer shows of the documents `wanted` picks, each once an answer; a --verbose note names the
   * documents that --ids did not name (a service that ignored the filter). */
  private taker(ctx: RoundContext, wanted: (id: string) => boolean): { take: (docs: Listing['docs']) => void; answered: Set<string> } {
    const answered = new Set<string>();
    const take = (docs: Listing['docs']) => {
      const unnamed: string[] = [];
      // One listing that shows a document twice, not alike, is not trusted either way (core/answers.ts).
      const answers = new Answers();
      for (const { id, doc } of docs) {
        if (!wanted(id)) {
          if (this.named && !this.named.has(id)) unnamed.push(id);
          continue;
        }
        if (answered.has(id)) continue;
        answers.add(doc);
      }
      answers.reportTo((doc, askAgain) => {
        answered.add(doc.id);
        ctx.report(doc, askAgain);
      });
      if (unnamed.length > 0) {
        const names = unnamed.slice(0, 5).map((id) => cutText(sanitize(id), 100)).join(', ');
        this.log.verbose(`ignored ${unnamed.length} listed document(s) that --ids did not name: ${names}${unnamed.length > 5 ? ', ...' : ''}`);
      }
    };
    return { take, answered };
  }

  /** An answer left a document out: an error asked again (the poll loop gives it up after MISSES_TO_GIVE_UP in a row). */
  private miss(id: string, ctx: RoundContext): void {
    ctx.report({ id, state: 'error', errorCode: MISSING, errorMessage: 'the service did not list this document' });
  }


  /** --ids as the rows: the documents still asked, by ID. */
  private async namedRound(ctx: RoundContext): Promise<void> {
    const pending = new Set(ctx.pending);
    const { take, answered } = this.taker(ctx, (id) => pending.has(id));
    const { docs, failed } = await this.listAll(ctx, { ...this.filters, ids: [...pending] });
    take(docs);
    const handled = this.failChunks(failed, ctx);
    for (const id of pending) if (!answered.has(id) && !handled.has(id)) this.miss(id, ctx);
  }

  private async firstRound(ctx: RoundContext): Promise<void> {
    const { docs, failed } = await this.listAll(ctx, this.filters, this.filters.statuses);
    const named = this.named;
    const { take } = this.taker(ctx, (id) => (named ? named.has(id) : true));
    take(docs);
    // A chunk of --ids that failed leaves the list unread: what the others showed is kept, the listing is asked again.
    if (failed.length > 0) throw failed[0]!.error;
    // A list with no document at all (asked too early, or a filter that matches nothing) is nothing to succeed on:
    // the result stays pending (exit 3), and --wait lists again until documents appear or --timeout passes. Unless
    // the batch itself (one GET) has failed: a batch that failed validation (a bad storage SAS) never lists a
    // document, so the run ends now, failed (exit 1), with the batch's error as its `errors` entry (README
    // "translate-docs"). A batch that succeeded (every document filtered away) or still runs: pending, as before.
    this.empty = docs.length === 0;
    if (this.empty) {
      const batch = await readBatch(this.client, this.batchId, ctx);
      // The batch answered: a fault of an earlier round's listing or batch read is over.
      this.failure = undefined;
      if (batch.status !== undefined && AZURE_STATUSES.get(batch.status)?.state === 'failed') {
        this.batchFailure = batchFailure(batch);
        this.listed = true;
        return;
      }
      if (!this.saidEmpty) this.log.warn(`the document list is empty (nothing matched yet): not a success${this.wait ? '; listing again until documents appear or --timeout passes' : ''}`);
      this.saidEmpty = true;
      return;
    }
    this.listed = true;
    this.failure = undefined;
    this.total = docs.length;
  }

  private async pendingRound(ctx: RoundContext): Promise<void> {
    const pending = new Set(ctx.pending);
    const userStatuses = this.filters.statuses;
    const statuses = AZURE_PENDING_STATUSES.filter((s) => !userStatuses || userStatuses.includes(s));
    // The documents are those of the first complete listing (README "translate-docs"): one a later listing shows
    // that the first did not is ignored, never added.
    const { take, answered } = this.taker(ctx, (id) => pending.has(id));
    let handled = new Set<string>();
    if (this.named) {
      // --ids with a narrowing filter: the pending ones are few and named, read by ID.
      const { docs, failed } = await this.listAll(ctx, { ...this.filters, ids: [...pending], top: undefined, skip: undefined });
      take(docs);
      handled = this.failChunks(failed, ctx);
    } else {
      if (statuses.length > 0) take((await this.listAll(ctx, { ...this.filters, top: undefined, skip: undefined }, statuses)).docs);
      const left = [...pending].filter((id) => !answered.has(id));
      if (left.length > 0) {
        const byIds = Math.ceil(left.length / IDS_PER_REQUEST);
        const relist = Math.ceil(this.total / (this.filters.maxPageSize ?? MAX_PAGE_SIZE));
        // One more full listing shows every leaver only when no --status, --top or --skip narrows it: a document that
        // finished may no longer match --status, and --top / --skip count over a set that has changed.
        const canRelist = !this.filters.statuses && this.filters.top === undefined && this.filters.skip === undefined;
        const relisting = canRelist && relist < byIds;
        this.log.verbose(`${left.length} document(s) left the pending list: reading them ${relisting ? `with a full listing (${relist} pages)` : `by ID (${byIds} requests)`}`);
        const { docs, failed } = await this.listAll(ctx, relisting ? this.filters : { ...this.filters, ids: left, top: undefined, skip: undefined });
        take(docs);
        handled = this.failChunks(failed, ctx);
      }
    }
    for (const id of pending) if (!answered.has(id) && !handled.has(id)) this.miss(id, ctx);
  }
}
