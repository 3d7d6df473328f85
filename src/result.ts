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
  return {
    service,
    target,
    outcome: outcomeOf(summary),
    complete: !interrupted && summary.pending === 0 && summary.error === 0,
    summary,
    documents: run.documents,
    stats: { rounds: run.rounds, requests: scheduler.requests, elapsedMs: run.elapsedMs },
  };
}
