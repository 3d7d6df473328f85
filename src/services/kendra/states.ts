import { StatusTable } from '../../core/outcome.js';

/** What success means for Kendra (--until): indexed after BatchPutDocument, deleted after BatchDeleteDocument. */
export type KendraGoal = 'indexed' | 'deleted';

/** Kendra DocumentStatus values (CONTRACT.md "States"), --until indexed. */
const INDEXED = new StatusTable([
  ['INDEXED', 'succeeded'],
  ['UPDATED', 'succeeded'],
  ['FAILED', 'failed'],
  ['UPDATE_FAILED', 'failed'],
  ['PROCESSING', 'pending'],
  ['NOT_FOUND', 'pending'],
]);

/** --until deleted: NOT_FOUND is success, every other known status is still pending. */
const DELETED = INDEXED.withStates((k) => (k.status === 'NOT_FOUND' ? 'succeeded' : 'pending'));

/** The status table for a goal. */
export function kendraStatuses(goal: KendraGoal): StatusTable {
  return goal === 'deleted' ? DELETED : INDEXED;
}
