import {
  BedrockAgentClient,
  type DocumentIdentifier,
  GetKnowledgeBaseDocumentsCommand,
  ListKnowledgeBaseDocumentsCommand,
} from '@aws-sdk/client-bedrock-agent';
import { Answers } from '../../core/answers.js';
import { type AwsClientOptions, AwsWire, awsClientConfig, verboseLog } from '../../core/aws.js';
import { ServiceError, toServiceError } from '../../core/errors.js';
import { faultOpts } from '../../core/faults.js';
import { chunk } from '../../core/input.js';
import { check, checkAnswer, listingLimit, type ListingLimit, malformed } from '../../core/boundary.js';
import type * as z from 'zod/mini';
import { MALFORMED, MISSING, notFoundGivenUp, readStatus } from '../../core/outcome.js';
import type { RoundContext, RunError, Source } from '../../core/poll.js';
import type { DocumentReport } from '../../core/result.js';
import { cleanText, sanitize } from '../../core/sanitize.js';
import { cutText } from '../../core/wrap.js';
import type { DataSourceType } from './input.js';
import { type KbGoal, kbStatuses } from './states.js';
import { DetailKey, GetKnowledgeBaseDocumentsResponse, KnowledgeBaseDocumentDetail, ListKnowledgeBaseDocumentsResponse } from './model.js';

/** GetKnowledgeBaseDocuments takes at most this many identifiers (the model's DocumentIdentifiers: 1 to 10). */
export const KB_BATCH = 10;
/** The largest page ListKnowledgeBaseDocuments gives (the model's MaxResults: 1 to 1000); always asked for. */
export const KB_PAGE = 1000;
/** A listing never reads more pages than this: a service whose list does not end is stopped (PageLimit). */
const MAX_PAGES = 10_000;
/** Pages in a row with no document that still carry a nextToken: a list that has ended but does not say so. */
const MAX_EMPTY_PAGES = 20;

export interface KbSourceOptions extends AwsClientOptions {
  knowledgeBaseId: string;
  dataSourceId: string;
  /** the documents asked about, in input order; undefined with --all (the listing names them) */
  ids?: string[];
  /** their data source type (named IDs) */
  type: DataSourceType;
  goal: KbGoal;
  acceptPartial: boolean;
  wait: boolean;
  notFoundGraceMs: number;
  /** what one listing may hold (core/boundary.ts LISTING_LIMIT; smaller in tests) */
  limit?: ListingLimit;
}

/** One document a listing or answer named: its key, and its detail checked against the model, or why it is not. */
type Entry = { key: string; type: DataSourceType } & ({ detail: KnowledgeBaseDocumentDetail; malformed?: undefined } | { detail?: undefined; malformed: string });

/** The key of an identifier as the service gives it back: its custom ID or its S3 URI (undefined: unreadable). */
function keyOf(identifier: z.infer<typeof DetailKey>['identifier']): { key: string; type: DataSourceType } | undefined {
  const uri = identifier.s3?.uri;
  const custom = identifier.custom?.id;
  if (identifier.dataSourceType === 'S3' && typeof uri === 'string' && uri !== '') return { key: uri, type: 'S3' };
  if (identifier.dataSourceType === 'CUSTOM' && typeof custom === 'string' && custom !== '') return { key: custom, type: 'CUSTOM' };
  return undefined;
}

const identifier = (key: string, type: DataSourceType): DocumentIdentifier =>
  type === 'S3' ? { dataSourceType: 'S3', s3: { uri: key } } : { dataSourceType: 'CUSTOM', custom: { id: key } };

/**
 * Amazon Bedrock Knowledge Bases through the real `@aws-sdk/client-bedrock-agent`: named documents by
 * GetKnowledgeBaseDocuments (10 a request); with --all, every page of ListKnowledgeBaseDocuments first, then the
 * documents not yet final by ID, or with one more full listing when that takes fewer requests.
 */
export class KbSource implements Source {
  readonly ids?: readonly string[];
  private readonly client: BedrockAgentClient;
  private readonly getWire: AwsWire;
  private readonly listWire: AwsWire;
  /** each document's data source type (a listing may name either) */
  private readonly types = new Map<string, DataSourceType>();
  private listed = false;
  private empty = false;
  private saidEmpty = false;
  private total = 0;
  private failure?: ServiceError;
  /** entries with no usable identifier: the most that one complete listing held (never summed over listings) */
  private unreadable = 0;

  constructor(private readonly opts: KbSourceOptions) {
    this.ids = opts.ids;
    this.client = new BedrockAgentClient(awsClientConfig(opts));
    this.getWire = new AwsWire('GetKnowledgeBaseDocuments', opts.network?.proxies);
    this.listWire = new AwsWire('ListKnowledgeBaseDocuments', opts.network?.proxies);
    if (opts.log.isVerbose) this.client.middlewareStack.add(verboseLog(opts.log, opts.network?.proxies), { step: 'deserialize', name: 'docstatusVerboseLog' });
  }

  /** The region the SDK resolved from flags, environment and profile; throws when there is none. */
  async region(): Promise<string> {
    return this.client.config.region();
  }

  needsAnotherRound(): boolean {
    return this.ids === undefined && !this.listed && (this.empty || (this.failure?.opts.askAgain ?? false));
  }

  finished(): boolean {
    return this.ids !== undefined || this.listed;
  }

  errors(): RunError[] {
    const out: RunError[] = this.failure ? [{ code: this.failure.code, message: this.failure.message }] : [];
    const n = this.unreadable;
    if (n > 0) out.push({ code: MALFORMED, message: `${n} ${n === 1 ? 'entry' : 'entries'} of the document list had no usable identifier: the documents they stand for are unknown` });
    return out;
  }

  async round(ctx: RoundContext): Promise<void> {
    if (this.ids !== undefined) return this.byId(ctx.pending, ctx);
    if (this.listed) return this.pendingRound(ctx);
    try {
      const { docs: listing, unusable, foreign } = await this.list(ctx);
      this.unreadable = Math.max(this.unreadable, unusable);
      this.failure = undefined;
      // A list that named only documents of another knowledge base or data source (a proxy or cache that mixed answers
      // up) is not this data source's list: nothing can be concluded from it, "none left" least of all.
      if (listing.length === 0 && foreign > 0) {
        const n = `${foreign} ${foreign === 1 ? 'entry' : 'entries'}`;
        throw malformed(`the document list named only documents of another knowledge base or data source (${n}): it is not the list of this data source`);
      }
      // A data source with no document is nothing to succeed on: pending (exit 3); --wait lists again. Except with
      // --until deleted: nothing left is exactly what it waits for, so the listing is complete and the run a success.
      if (listing.length === 0 && this.opts.goal === 'deleted') {
        this.opts.log.verbose('the data source lists no document: none is left, as --until deleted waits for');
        this.listed = true;
        return;
      }
      this.empty = listing.length === 0;
      if (this.empty) {
        if (!this.saidEmpty) this.opts.log.warn(`the data source lists no document: not a success${this.opts.wait ? '; listing again until documents appear or --timeout passes' : ''}`);
        this.saidEmpty = true;
        return;
      }
      this.listed = true;
      this.total = listing.length;
      const answers = new Answers();
      for (const d of listing) answers.add(this.toReport(d, ctx));
      answers.reportTo(ctx.report);
    } catch (err) {
      if (ctx.signal.aborted) return;
      const e = toServiceError(err);
      if (e.opts.permanent) ctx.fatal(e);
      else this.failure = e;
    }
  }

  /** --all after the first listing: the documents not yet final, by ID or with one full listing, whichever costs less. */
  private async pendingRound(ctx: RoundContext): Promise<void> {
    const pending = ctx.pending;
    if (pending.length === 0) return;
    const byIds = Math.ceil(pending.length / KB_BATCH);
    const relist = Math.max(1, Math.ceil(this.total / KB_PAGE));
    if (relist >= byIds) return this.byId(pending, ctx);
    this.opts.log.verbose(`${pending.length} document(s) not final: reading them with a full listing (${relist} pages)`);
    let listing: Entry[];
    try {
      const l = await this.list(ctx);
      listing = l.docs;
      this.unreadable = Math.max(this.unreadable, l.unusable);
    } catch (err) {
      for (const id of pending) ctx.fail(id, err);
      return;
    }
    const wanted = new Set(pending);
    const answers = new Answers();
    for (const d of listing) if (wanted.has(d.key)) answers.add(this.toReport(d, ctx));
    answers.reportTo(ctx.report);
    // A listing shows no NOT_FOUND document: one that left it (deleted, say) is read by ID.
    const gone = pending.filter((id) => !answers.has(id));
    if (gone.length > 0) await this.byId(gone, ctx);
  }

  /**
   * Every page of the data source's document list, within bounds (no token twice, MAX_PAGES, MAX_EMPTY_PAGES, and at
   * most the listing limit's documents and ID characters: a list that does not end must not fill the memory). Each
   * page is checked against the model; an entry of another knowledge base or data source is ignored (as the by-ID
   * path does), one with no usable identifier counted as unusable.
   */
  private async list(ctx: RoundContext): Promise<{ docs: Entry[]; unusable: number; foreign: number }> {
    const out: Entry[] = [];
    const limit = listingLimit(this.opts.limit);
    const tokens = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    let empty = 0;
    let unusable = 0;
    let foreign = 0;
    do {
      if (++pages > MAX_PAGES) throw new ServiceError('PageLimit', `the document list did not end after ${MAX_PAGES} pages; listing stopped`, faultOpts('document'));
      const input = { knowledgeBaseId: this.opts.knowledgeBaseId, dataSourceId: this.opts.dataSourceId, maxResults: KB_PAGE, ...(token !== undefined && { nextToken: token }) };
      const answer = await ctx.scheduler.run((signal) => this.listWire.send<unknown>(this.client, new ListKnowledgeBaseDocumentsCommand(input), signal, ctx.scheduler));
      const page = checkAnswer(ListKnowledgeBaseDocumentsResponse, answer, 'a page of the document list');
      let usable = 0;
      for (const item of page.documentDetails) {
        const entry = this.entryOf(item);
        if (entry === 'foreign') {
          foreign++;
          continue;
        }
        if (entry === undefined) {
          unusable++;
          continue;
        }
        usable++;
        this.types.set(entry.key, entry.type);
        limit.add(entry.key);
        out.push(entry);
      }
      // Absent, null or "" is the end of the list (as AWS paginators read it).
      const next = page.nextToken || undefined;
      if (next !== undefined) {
        if (tokens.has(next)) throw new ServiceError('PageLoop', 'the nextToken points back to a page already read; listing stopped', faultOpts('document'));
        tokens.add(next);
        empty = usable === 0 ? empty + 1 : 0;
        if (empty >= MAX_EMPTY_PAGES) {
          throw new ServiceError('PageLimit', `the document list did not end: ${empty} pages in a row held no document and still carried a nextToken; listing stopped`, faultOpts('document'));
        }
      }
      token = next;
    } while (token !== undefined);
    return { docs: out, unusable, foreign };
  }

  /**
   * One entry of an answer: the document it names with its detail checked against the model (or why it does not fit),
   * 'foreign' for one that names another knowledge base or data source (logged with --verbose, ignored), or undefined
   * when it names no document the tool can use.
   */
  private entryOf(item: unknown): Entry | 'foreign' | undefined {
    const head = check(DetailKey, item);
    if (!head.ok) return undefined;
    const id = keyOf(head.value.identifier);
    if (!id) return undefined;
    const { knowledgeBaseId: kb, dataSourceId: ds } = head.value;
    // Another knowledge base or data source named by its ID; one of the wrong type is the entry's malformation, below.
    if ((typeof kb === 'string' && kb !== this.opts.knowledgeBaseId) || (typeof ds === 'string' && ds !== this.opts.dataSourceId)) {
      const where = (v: unknown) => (typeof v === 'string' ? cutText(sanitize(v), 100) : '-');
      this.opts.log.verbose(`ignored an entry of another knowledge base or data source (${where(kb)}/${where(ds)}): ${cutText(sanitize(id.key), 200)}`);
      return 'foreign';
    }
    const full = check(KnowledgeBaseDocumentDetail, item);
    return full.ok ? { ...id, detail: full.value } : { ...id, malformed: full.reason };
  }

  /** GetKnowledgeBaseDocuments for these documents, 10 a request; each chunk's outcome is its own. */
  private async byId(ids: readonly string[], ctx: RoundContext): Promise<void> {
    await ctx.scheduler.map(chunk(ids, KB_BATCH), (keys) => this.ask(keys, ctx));
  }

  private async ask(keys: string[], ctx: RoundContext): Promise<void> {
    const input = {
      knowledgeBaseId: this.opts.knowledgeBaseId,
      dataSourceId: this.opts.dataSourceId,
      documentIdentifiers: keys.map((k) => identifier(k, this.types.get(k) ?? this.opts.type)),
    };
    let output: unknown;
    try {
      output = await ctx.scheduler.run((signal) => this.getWire.send(this.client, new GetKnowledgeBaseDocumentsCommand(input), signal, ctx.scheduler));
    } catch (err) {
      for (const k of keys) ctx.fail(k, err);
      return;
    }
    const answer = check(GetKnowledgeBaseDocumentsResponse, output);
    if (!answer.ok) {
      for (const k of keys) ctx.report({ id: k, state: 'error', errorCode: MALFORMED, errorMessage: answer.reason });
      return;
    }
    const asked = new Set(keys);
    const answers = new Answers();
    for (const item of answer.value.documentDetails ?? []) {
      const entry = this.entryOf(item);
      if (entry === 'foreign') continue;
      // The same key of the other type (an S3 URI "doc-1" for the custom ID doc-1) is another document.
      if (!entry || !asked.has(entry.key) || entry.type !== (this.types.get(entry.key) ?? this.opts.type)) {
        this.opts.log.verbose(`ignored an answer for a document that was not asked${entry ? `: ${cutText(sanitize(entry.key), 200)}` : ''}`);
        continue;
      }
      answers.add(this.toReport(entry, ctx));
    }
    answers.reportTo(ctx.report);
    for (const k of keys) if (!answers.has(k)) ctx.report({ id: k, state: 'error', errorCode: MISSING, errorMessage: 'the service did not report this document' });
  }

  private toReport(entry: Entry, ctx: RoundContext): DocumentReport {
    const id = entry.key;
    if (!entry.detail) return { id, state: 'error', errorCode: MALFORMED, errorMessage: entry.malformed };
    const d = entry.detail;
    const read = readStatus(d.status, kbStatuses(this.opts.goal, this.opts.acceptPartial), 'status');
    if (read.state === 'error') return { id, ...read };
    const statusReason = cleanText(d.statusReason);
    const updatedAt = d.updatedAt && !Number.isNaN(d.updatedAt.getTime()) ? d.updatedAt.toISOString() : undefined;
    const doc: DocumentReport = { id, ...read, ...(statusReason && { statusReason }), ...(updatedAt && { updatedAt }) };
    const givenUp = notFoundGivenUp(read.status, { wait: this.opts.wait, goal: this.opts.goal, graceMs: this.opts.notFoundGraceMs }, ctx.clock.now() - ctx.startedAt);
    if (givenUp) Object.assign(doc, { state: 'failed', statusReason: givenUp });
    return doc;
  }
}
