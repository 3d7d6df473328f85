import { StatusTable } from '../../core/outcome.js';

/** What success means (--until): indexed after IngestKnowledgeBaseDocuments, deleted after DeleteKnowledgeBaseDocuments. */
export type KbGoal = 'indexed' | 'deleted';

/** The model's DocumentStatus values (bedrock-agent.json), --until indexed (CONTRACT.md "States"). */
const entries = (acceptPartial: boolean) =>
  [
    ['INDEXED', 'succeeded'],
    // Part of the document or its metadata did not make it into the index: a CI gate should not pass that silently.
    ['PARTIALLY_INDEXED', acceptPartial ? 'succeeded' : 'failed'],
    ['METADATA_PARTIALLY_INDEXED', acceptPartial ? 'succeeded' : 'failed'],
    ['FAILED', 'failed'],
    ['METADATA_UPDATE_FAILED', 'failed'],
    // The service skipped the document (statusReason says why, e.g. an unsupported file type): it is not in the index.
    ['IGNORED', 'failed'],
    ['STARTING', 'pending'],
    ['PENDING', 'pending'],
    ['IN_PROGRESS', 'pending'],
    // Not (yet) known to the knowledge base; failed once --not-found-grace has passed.
    ['NOT_FOUND', 'pending'],
    // Being deleted: it may be ingested again, and if not it becomes NOT_FOUND, which the grace then fails.
    ['DELETING', 'pending'],
    ['DELETE_IN_PROGRESS', 'pending'],
  ] as const;

const INDEXED = new StatusTable(entries(false));
const INDEXED_OR_PARTIAL = new StatusTable(entries(true));
/** --until deleted: NOT_FOUND is success, every other known status is still pending. */
const DELETED = INDEXED.withStates((k) => (k.status === 'NOT_FOUND' ? 'succeeded' : 'pending'));

/** The status table for a goal; --accept-partial counts the partial statuses as indexed. */
export function kbStatuses(goal: KbGoal, acceptPartial: boolean): StatusTable {
  if (goal === 'deleted') return DELETED;
  return acceptPartial ? INDEXED_OR_PARTIAL : INDEXED;
}
