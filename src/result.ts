import type { PollRun } from './poll.js';
import type { Scheduler } from './scheduler.js';
import { outcomeOf } from './states.js';
import type { DocumentReport, Result, ServiceName, Summary } from './types.js';

/** Counts states and statuses of a document list. */
export function summarize(documents: readonly DocumentReport[]): Summary {
  const summary: Summary = { total: documents.length, succeeded: 0, failed: 0, pending: 0, error: 0, byStatus: {} };
  for (const doc of documents) {
    summary[doc.state]++;
    if (doc.status !== undefined) summary.byStatus[doc.status] = (summary.byStatus[doc.status] ?? 0) + 1;
  }
  return summary;
}

/** The result object of CONTRACT.md, from one poll run. */
export function buildResult(
  service: ServiceName,
  target: Record<string, string>,
  run: PollRun,
  scheduler: Scheduler,
  interrupted: boolean,
): Result {
  const summary = summarize(run.documents);
  // A run-level error (a listing that could not be read) counts like a document in error; a source that never learnt
  // all of its documents (a listing cut short) like a pending one: nothing unread is a success.
  const outcome = outcomeOf({ ...summary, error: summary.error + run.errors.length, pending: summary.pending + (run.finished ? 0 : 1) });
  return {
    service,
    target,
    outcome,
    complete: !interrupted && run.finished && summary.pending === 0 && summary.error === 0 && run.errors.length === 0,
    summary,
    documents: run.documents,
    ...(run.errors.length > 0 && { errors: run.errors }),
    stats: { rounds: run.rounds, requests: scheduler.requests, elapsedMs: run.elapsedMs },
  };
}
