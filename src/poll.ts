import type { Clock } from './clock.js';
import { toServiceError } from './errors.js';
import type { Scheduler } from './scheduler.js';
import { type State, UNKNOWN_STATUS } from './states.js';
import type { DocumentReport } from './types.js';

/** What a service client sees of the loop during one round. */
export interface RoundContext {
  /** IDs to ask about this round: every known document that is not final, in input order */
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
   * recorded for a request cut short by an interrupt: it says nothing about the document. */
  fail(id: string, err: unknown): void;
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
  signal: AbortSignal;
  scheduler: Scheduler;
  /** a document seen for the first time, or its status or state changed */
  onChange?: (doc: DocumentReport, at: number) => void;
  /** after every report: how many documents are final, of how many known */
  onProgress?: (done: number, total: number) => void;
}

export interface PollRun {
  documents: DocumentReport[];
  rounds: number;
  elapsedMs: number;
  timedOut: boolean;
  errors: RunError[];
}

interface Entry {
  /** what the service last said; undefined until it has said anything (no placeholder kept per ID) */
  doc?: DocumentReport;
  askAgain: boolean;
}

const isFinal = (state: State) => state === 'succeeded' || state === 'failed';

/** The one poll loop of every subcommand: asks until every document is final, the deadline passes or a signal stops it. */
export async function poll(source: Source, opts: PollOptions): Promise<PollRun> {
  const { clock, signal } = opts;
  const startedAt = clock.now();
  const deadline = opts.wait && opts.timeoutMs > 0 ? startedAt + opts.timeoutMs : undefined;
  const entries = new Map<string, Entry>();
  for (const id of source.ids ?? []) entries.set(id, { askAgain: true });
  let done = 0;
  let rounds = 0;
  let timedOut = false;

  // Pending documents and errors are asked again with --wait; a status this tool does not know is not (asking cannot
  // teach it), and a source may say so of other errors (a 404, an InvalidRequest).
  const report = (doc: DocumentReport, askAgain = doc.state === 'pending' || (doc.state === 'error' && doc.errorCode !== UNKNOWN_STATUS)) => {
    const prev = entries.get(doc.id)?.doc;
    if (prev && isFinal(prev.state)) done--;
    if (isFinal(doc.state)) done++;
    entries.set(doc.id, { doc, askAgain: isFinal(doc.state) ? false : askAgain });
    if (!prev || prev.status !== doc.status || prev.state !== doc.state) opts.onChange?.(doc, clock.now());
    opts.onProgress?.(done, entries.size);
  };

  const fail = (id: string, err: unknown) => {
    if (signal.aborted) return;
    const e = toServiceError(err);
    report({ id, state: 'error', errorCode: e.code, errorMessage: e.message }, e.opts.askAgain);
  };
  const stillAsked = () => {
    const ids: string[] = [];
    for (const [id, e] of entries) if (e.askAgain) ids.push(id);
    return ids;
  };
  // The first round always runs (a listing learns its documents in it); later ones only while something is asked.
  for (let pending = stillAsked(); ; ) {
    rounds++;
    await source.round({ pending, startedAt, clock, scheduler: opts.scheduler, signal, report, fail, isKnown: (id) => entries.has(id) });
    if (signal.aborted || !opts.wait) break;
    if (opts.failFast && [...entries.values()].some((e) => e.doc?.state === 'failed')) break;
    pending = stillAsked();
    if (pending.length === 0 && !source.needsAnotherRound?.()) break;
    const now = clock.now();
    if (deadline !== undefined && now >= deadline) {
      timedOut = true;
      break;
    }
    await clock.sleep(deadline === undefined ? opts.intervalMs : Math.min(opts.intervalMs, deadline - now), signal);
    if (signal.aborted) break;
  }

  return {
    documents: Array.from(entries, ([id, e]) => e.doc ?? { id, state: 'pending' }),
    rounds,
    elapsedMs: clock.now() - startedAt,
    timedOut,
    errors: source.errors?.() ?? [],
  };
}
