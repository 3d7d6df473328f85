import type { Clock } from './clock.js';
import { toServiceError } from './errors.js';
import { GAVE_UP_AT_DEADLINE, type Scheduler, TRIED_AND_FAILED } from './scheduler.js';
import { MISSES_TO_GIVE_UP, MISSING, type State, UNKNOWN_STATUS } from './outcome.js';
import type { DocumentReport } from './result.js';

/** What a service client sees of the loop during one round. */
export interface RoundContext {
  /** IDs to ask about this round, in input order: every known document that is not final and that asking again may
   * change (not one with an unknown status, nor one whose error a source marked final) */
  readonly pending: readonly string[];
  /** when the first round started (for the Kendra NOT_FOUND grace) */
  readonly startedAt: number;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly signal: AbortSignal;
  /** Records what the service said of one document. askAgain (default: pending, or an error other than an unknown
   * status): ask about it next round with --wait. */
  report(doc: DocumentReport, askAgain?: boolean): void;
  /** Records that asking about one document failed: state error with the fault's code and message. Nothing is
   * recorded for a request cut short by the run stopping: it says nothing about the document. A permanent fault
   * (ServiceError opts.permanent) also ends the run, as fatal() does. */
  fail(id: string, err: unknown): void;
  /** A fault no request of this run can get past (credentials, an unknown index or batch): recorded once as a
   * run-level error, and the run ends at once (requests in flight are aborted, no new one starts). */
  fatal(err: unknown): void;
  isKnown(id: string): boolean;
}

/** One service's way of asking. The loop owns rounds, deadline, fail-fast and bookkeeping. */
export interface Source {
  /** the IDs asked about, when the user named them (Kendra, translate-status); absent for listings */
  readonly ids?: readonly string[];
  round(ctx: RoundContext): Promise<void>;
  /** true while the source has not yet learnt its documents and asking again may help (a listing's first page failed) */
  needsAnotherRound?(): boolean;
  /** faults that belong to no document (a listing that could not be read) */
  errors?(): RunError[];
  /** true when one of errors() is a failure of the whole job rather than a fault in asking (a translation batch that
   * failed with no document to show it): the outcome is then `failed` (exit 1), not `error` */
  failed?(): boolean;
  /** false when the source never learnt all of its documents (a listing cut short by an interrupt or the deadline):
   * such a result is never a success */
  finished?(): boolean;
}

/** A fault of the whole run rather than of one document. */
export interface RunError {
  code: string;
  message: string;
}

export interface PollOptions {
  wait: boolean;
  intervalMs: number;
  /** 0 = no deadline */
  timeoutMs: number;
  failFast: boolean;
  clock: Clock;
  /** the run's signal: aborted by an interrupt, stdout going away, or `stop` */
  signal: AbortSignal;
  /** the loop aborts this at the --timeout deadline ('timeout') and at a permanent fault ('fatal') */
  stop: AbortController;
  scheduler: Scheduler;
  /** a document seen for the first time, or its status or state changed */
  onChange?: (doc: DocumentReport, at: number) => void;
  /** after every report: how far the run has come */
  onProgress?: (progress: Progress) => void;
}

/** How far a run has come, after a report: counts over the documents known so far. */
export interface Progress {
  /** documents known (the IDs asked about, or those a listing has shown) */
  total: number;
  /** succeeded or failed */
  final: number;
  /** of the final ones, failed */
  failed: number;
  /** in error for now (asked again with --wait, unless asking cannot help) */
  error: number;
  /** clock time of the last change: a document seen for the first time, or its status or state changed */
  lastChangeAt: number;
}

export interface PollRun {
  documents: DocumentReport[];
  rounds: number;
  elapsedMs: number;
  timedOut: boolean;
  /** --fail-fast ended the rounds: a document had failed */
  failedFast: boolean;
  errors: RunError[];
  /** false when the source never learnt all of its documents (see Source.finished) */
  finished: boolean;
  /** the job itself failed (Source.failed): the outcome is `failed` */
  failed?: boolean;
}

interface Entry {
  /** what the service last said; undefined until it has said anything (no placeholder kept per ID) */
  doc?: DocumentReport;
  askAgain: boolean;
  /** answers in a row that left this document out (MissingFromResponse) */
  misses?: number;
}

const isFinal = (state: State) => state === 'succeeded' || state === 'failed';

/** The one poll loop of every subcommand: asks until every document is final, the deadline passes or a signal stops it. */
export async function poll(source: Source, opts: PollOptions): Promise<PollRun> {
  const { clock, signal, stop } = opts;
  const startedAt = clock.now();
  // --timeout bounds every run, one pass included (README "Polling"): no request, retry or Retry-After pause goes past it.
  const deadline = opts.timeoutMs > 0 ? startedAt + opts.timeoutMs : undefined;
  // The deadline also cuts off a round in progress (a slow answer, a listing that never ends): a real timer, since
  // requests take real time whatever the clock says.
  const deadlineTimer = deadline === undefined ? undefined : setTimeout(() => stop.abort('timeout'), opts.timeoutMs);
  deadlineTimer?.unref?.();
  const entries = new Map<string, Entry>();
  for (const id of source.ids ?? []) entries.set(id, { askAgain: true });
  const fatalErrors: RunError[] = [];
  let done = 0;
  let failed = 0;
  let errors = 0;
  let lastChangeAt = startedAt;
  let rounds = 0;
  let timedOut = false;
  let failedFast = false;

  // Pending documents and errors are asked again with --wait; a status this tool does not know is not (asking cannot
  // teach it), and a source may say so of other errors (a 404, an InvalidRequest).
  // A document that answers keep leaving out is given up after MISSES_TO_GIVE_UP of them in a row, so that a service
  // that lost it (or a listing that showed it once) cannot hold --wait until the timeout.
  const report = (doc: DocumentReport, askAgain = doc.state === 'pending' || (doc.state === 'error' && doc.errorCode !== UNKNOWN_STATUS)) => {
    const entry = entries.get(doc.id);
    const prev = entry?.doc;
    if (prev && isFinal(prev.state)) done--;
    if (isFinal(doc.state)) done++;
    if (prev?.state === 'failed') failed--;
    if (doc.state === 'failed') failed++;
    if (prev?.state === 'error') errors--;
    if (doc.state === 'error') errors++;
    const misses = doc.errorCode === MISSING ? (entry?.misses ?? 0) + 1 : 0;
    if (misses >= MISSES_TO_GIVE_UP) {
      askAgain = false;
      doc = { ...doc, errorMessage: `the service left this document out of ${misses} answers in a row: given up` };
    }
    entries.set(doc.id, { doc, askAgain: isFinal(doc.state) ? false : askAgain, ...(misses > 0 && { misses }) });
    if (!prev || prev.status !== doc.status || prev.state !== doc.state) {
      lastChangeAt = clock.now();
      opts.onChange?.(doc, lastChangeAt);
    } else if (prev.errorCode !== doc.errorCode || prev.errorMessage !== doc.errorMessage) {
      // Still in error, for another reason (or given up above): -o ndjson's last line of a document is its result entry.
      opts.onChange?.(doc, clock.now());
    }
    opts.onProgress?.({ total: entries.size, final: done, failed, error: errors, lastChangeAt });
  };

  const fatal = (err: unknown) => {
    const e = toServiceError(err);
    if (!fatalErrors.some((f) => f.code === e.code && f.message === e.message)) fatalErrors.push({ code: e.code, message: e.message });
    stop.abort('fatal');
  };
  const stopped = () => signal.aborted || stop.signal.aborted;
  const fail = (id: string, err: unknown) => {
    const e = toServiceError(err);
    // At the deadline, a document the service never answered for whose every try failed (throttled until the end) is
    // in error with that fault; one never asked, or cut off in flight, stays pending; one answered before keeps it.
    // A request given up because its next retry or Retry-After pause would go past the deadline ends the same way, even
    // when it comes before the deadline (a Retry-After: 5 two seconds before it): that says nothing new of the document.
    const atDeadline = stop.signal.reason === 'timeout' || GAVE_UP_AT_DEADLINE.has(e);
    const prev = entries.get(id)?.doc;
    if (atDeadline && prev && prev.state !== 'error') return;
    const failedAtDeadline = stop.signal.reason === 'timeout' && !prev && TRIED_AND_FAILED.has(e);
    if (stopped() && !failedAtDeadline) return;
    if (e.opts.permanent) fatal(e);
    report({ id, state: 'error', errorCode: e.code, errorMessage: e.message }, e.opts.askAgain && !e.opts.permanent);
  };
  const stillAsked = () => {
    const ids: string[] = [];
    for (const [id, e] of entries) if (e.askAgain) ids.push(id);
    return ids;
  };
  try {
    // The first round always runs (a listing learns its documents in it); later ones only while something is asked.
    for (let pending = stillAsked(); ; ) {
      rounds++;
      await source.round({ pending, startedAt, clock, scheduler: opts.scheduler, signal, report, fail, fatal, isKnown: (id) => entries.has(id) });
      if (stopped() || !opts.wait) break;
      if (opts.failFast && [...entries.values()].some((e) => e.doc?.state === 'failed')) {
        failedFast = true;
        break;
      }
      pending = stillAsked();
      if (pending.length === 0 && !source.needsAnotherRound?.()) break;
      const now = clock.now();
      if (deadline !== undefined && now >= deadline) {
        timedOut = true;
        break;
      }
      // A sleep cut to the deadline ends at it (whatever a timer that fires a millisecond early says): no round starts
      // only to be cut off by the deadline timer. A Retry-After past the cap holds the next round (Scheduler.quietUntil).
      const toDeadline = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - now;
      const pause = Math.max(opts.intervalMs, (opts.scheduler.quietUntil ?? 0) - now);
      await clock.sleep(Math.min(pause, toDeadline), signal);
      if (stopped()) break;
      if (toDeadline <= pause) {
        timedOut = true;
        break;
      }
    }
  } finally {
    clearTimeout(deadlineTimer);
  }
  if (stop.signal.reason === 'timeout') timedOut = true;

  // A document the run never heard of: still pending, or, when a permanent fault ended the run, in error with it.
  const first = fatalErrors[0];
  const unheard = (id: string): DocumentReport => (first ? { id, state: 'error', errorCode: first.code, errorMessage: first.message } : { id, state: 'pending' });
  // onChange (-o ndjson) hears of these too, before the result: every document of the result has a line of its own.
  const endedAt = clock.now();
  const documents = Array.from(entries, ([id, e]) => {
    if (e.doc) return e.doc;
    const doc = unheard(id);
    opts.onChange?.(doc, endedAt);
    return doc;
  });
  return {
    documents,
    rounds,
    elapsedMs: endedAt - startedAt,
    timedOut,
    failedFast,
    errors: [...fatalErrors, ...(source.errors?.() ?? [])],
    finished: source.finished?.() ?? true,
    ...(source.failed?.() && { failed: true }),
  };
}
