import { BatchGetDocumentStatusCommand, type DocumentAttribute, type DocumentInfo, KendraClient } from '@aws-sdk/client-kendra';
import { chunk } from '../../core/input.js';
import { type AwsClientOptions, AwsWire, awsClientConfig, verboseLog } from '../../core/aws.js';
import { Answers } from '../../core/answers.js';
import type { RoundContext, Source } from '../../core/poll.js';
import { cleanText, sanitize } from '../../core/sanitize.js';
import { cutText } from '../../core/wrap.js';
import { MALFORMED, MISSING, notFoundGivenUp, readStatus } from '../../core/outcome.js';
import { type KendraGoal, kendraStatuses } from './states.js';
import type { DocumentReport } from '../../core/result.js';
import { check } from '../../core/boundary.js';
import type * as z from 'zod/mini';
import { BatchGetDocumentStatusResponse, KendraStatus, KendraStatusError } from './model.js';

/** BatchGetDocumentStatus takes at most this many DocumentInfo items (the Kendra model). */
export const KENDRA_BATCH = 10;

export interface KendraSourceOptions extends AwsClientOptions {
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
}

/** Asks Kendra BatchGetDocumentStatus about documents, at most 10 a request, through the real AWS SDK client. */
export class KendraSource implements Source {
  readonly ids: string[];
  private readonly client: KendraClient;
  private readonly wire: AwsWire;

  constructor(private readonly opts: KendraSourceOptions) {
    this.ids = opts.ids;
    this.client = new KendraClient(awsClientConfig(opts));
    this.wire = new AwsWire('BatchGetDocumentStatus', opts.network?.proxies);
    if (opts.log.isVerbose) this.client.middlewareStack.add(verboseLog(opts.log, opts.network?.proxies), { step: 'deserialize', name: 'docstatusVerboseLog' });
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
    let output: unknown;
    try {
      output = await ctx.scheduler.run((signal) => this.wire.send(this.client, new BatchGetDocumentStatusCommand(input), signal, ctx.scheduler));
    } catch (err) {
      for (const id of ids) ctx.fail(id, err);
      return;
    }
    this.apply(ids, output, ctx);
  }

  /**
   * Maps one response onto the documents asked; an ID nobody asked for is ignored, an ID left out becomes an error.
   * The answer is checked against the model first (model.ts): an envelope that does not fit is the error of every
   * document asked, an entry that does not fit the error of the document it names.
   */
  private apply(ids: string[], output: unknown, ctx: RoundContext): void {
    const envelope = check(BatchGetDocumentStatusResponse, output);
    if (!envelope.ok) {
      for (const id of ids) ctx.report({ id, state: 'error', errorCode: MALFORMED, errorMessage: envelope.reason });
      return;
    }
    const answers = new Answers();
    // The asked ID itself (ours, not the response's copy of it), or undefined for one nobody asked.
    const asked = (entry: unknown): string | undefined => {
      const value = typeof entry === 'object' && entry !== null && Object.hasOwn(entry, 'DocumentId') ? (entry as { DocumentId: unknown }).DocumentId : undefined;
      const id = ids.find((x) => x === value);
      if (id === undefined) {
        this.opts.log.verbose(`ignored an answer for a document that was not asked: ${typeof value === 'string' ? cutText(sanitize(value), 200) : `(a ${value === null ? 'null' : typeof value} DocumentId)`}`);
      }
      return id;
    };
    for (const entry of envelope.value.DocumentStatusList ?? []) {
      const id = asked(entry);
      if (id === undefined) continue;
      const s = check(KendraStatus, entry);
      answers.add(s.ok ? this.toReport(id, s.value, ctx) : { id, state: 'error', errorCode: MALFORMED, errorMessage: s.reason });
    }
    for (const entry of envelope.value.Errors ?? []) {
      const id = asked(entry);
      if (id === undefined) continue;
      const e = check(KendraStatusError, entry);
      if (!e.ok) {
        answers.add({ id, state: 'error', errorCode: MALFORMED, errorMessage: e.reason });
        continue;
      }
      const code = cleanText(e.value.ErrorCode) ?? 'Error';
      answers.add({ id, state: 'error', errorCode: code, errorMessage: cleanText(e.value.ErrorMessage) ?? code }, code !== 'InvalidRequest');
    }
    answers.reportTo(ctx.report);
    for (const id of ids) {
      if (!answers.has(id)) ctx.report({ id, state: 'error', errorCode: MISSING, errorMessage: 'the service did not report this document' });
    }
  }

  private toReport(id: string, s: z.infer<typeof KendraStatus>, ctx: RoundContext): DocumentReport {
    const read = readStatus(s.DocumentStatus, kendraStatuses(this.opts.goal), 'DocumentStatus');
    if (read.state === 'error') return { id, ...read };
    const { status } = read;
    const failureCode = cleanText(s.FailureCode);
    const failureReason = cleanText(s.FailureReason);
    const doc: DocumentReport = { id, ...read, ...(failureCode && { failureCode }), ...(failureReason && { failureReason }) };
    const givenUp = notFoundGivenUp(status, { wait: this.opts.wait, goal: this.opts.goal, graceMs: this.opts.notFoundGraceMs }, ctx.clock.now() - ctx.startedAt);
    if (givenUp) Object.assign(doc, { state: 'failed', failureReason: givenUp });
    return doc;
  }
}
