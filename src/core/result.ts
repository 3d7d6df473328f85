import type { PollRun } from './poll.js';
import type { Scheduler } from './scheduler.js';
import { roundRps } from './pacer.js';
import { type Outcome, outcomeOf, type State } from './outcome.js';


/** One document as the result reports it (CONTRACT.md "JSON"). Service fields are added in camelCase. */
export interface DocumentReport {
  id: string;
  status?: string;
  state: State;
  failureCode?: string;
  failureReason?: string;
  errorCode?: string;
  errorMessage?: string;
  [field: string]: unknown;
}

/** The `service` field of a result (CONTRACT.md "JSON"): which kind of result it is. */
export type ResultService = 'kendra' | 'translation-document' | 'translation-batch' | 'translation-documents' | 'bedrock-kb';

export interface Summary {
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  error: number;
  byStatus: Record<string, number>;
}

export interface Stats {
  rounds: number;
  requests: number;
  elapsedMs: number;
  /** throttling answers received (always set by buildResult) */
  throttled?: number;
  /** the pace at the end, in requests a second (2 decimals); absent while unpaced */
  maxRps?: number;
}

/** What every command collects and every renderer prints. */
export interface Result {
  service: ResultService;
  target: Record<string, string>;
  outcome: Outcome;
  complete: boolean;
  summary: Summary;
  documents: DocumentReport[];
  /** faults of the whole run that belong to no document (translate-docs: a listing that could not be read) */
  errors?: Array<{ code: string; message: string }>;
  stats: Stats;
}

/** Counts states and statuses of a document list. byStatus is built in a Map: a status named "__proto__" or
 * "constructor" is an ordinary own key of the JSON, never a lookup into Object.prototype. */
export function summarize(documents: readonly DocumentReport[]): Summary {
  const counts = { succeeded: 0, failed: 0, pending: 0, error: 0 };
  const byStatus = new Map<string, number>();
  for (const doc of documents) {
    // A state that is not one of the four (a bug upstream) counts as error, never as a success.
    if (Object.hasOwn(counts, doc.state)) counts[doc.state]++;
    else counts.error++;
    if (typeof doc.status === 'string') byStatus.set(doc.status, (byStatus.get(doc.status) ?? 0) + 1);
  }
  return { total: documents.length, ...counts, byStatus: Object.fromEntries(byStatus) };
}

/** stats.maxRps: the pace at the end, when the run was paced. */
function paceOf(scheduler: Scheduler): { maxRps?: number } {
  const pace = scheduler.pace;
  return pace === undefined ? {} : { maxRps: roundRps(pace) };
}

/** The result object of CONTRACT.md, from one poll run. */
export function buildResult(
  service: ResultService,
  target: Record<string, string>,
  run: PollRun,
  scheduler: Scheduler,
  interrupted: boolean,
): Result {
  const summary = summarize(run.documents);
  // A run-level error (a listing that could not be read) counts like a document in error; a source that never learnt
  // all of its documents (a listing cut short) like a pending one: nothing unread is a success.
  // A job that failed as a whole (a translation batch that failed with no document) counts like a failed document.
  const outcome = outcomeOf({ ...summary, failed: summary.failed + (run.failed ? 1 : 0), error: summary.error + run.errors.length, pending: summary.pending + (run.finished ? 0 : 1) });
  return {
    service,
    target,
    outcome,
    complete: !interrupted && run.finished && summary.pending === 0 && summary.error === 0 && run.errors.length === 0,
    summary,
    documents: run.documents,
    ...(run.errors.length > 0 && { errors: run.errors }),
    stats: { rounds: run.rounds, requests: scheduler.requests, elapsedMs: run.elapsedMs, throttled: scheduler.throttled, ...paceOf(scheduler) },
  };
}
