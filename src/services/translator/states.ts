import { StatusTable } from '../../core/outcome.js';

/** Azure document and batch statuses (CONTRACT.md "States"), both spellings of the cancelled ones. */
export const AZURE_STATUSES = new StatusTable([
  ['NotStarted', 'pending'],
  ['Running', 'pending'],
  ['Succeeded', 'succeeded'],
  ['Failed', 'failed'],
  ['Cancelled', 'failed'],
  ['Canceled', 'failed'],
  ['Cancelling', 'pending'],
  ['Canceling', 'pending'],
  ['ValidationFailed', 'failed'],
]);

/** The other spelling the service may use, to the one it documents (and the `statuses` filter takes). */
const SPELLINGS = new Map([
  ['Canceled', 'Cancelled'],
  ['Canceling', 'Cancelling'],
]);

/** A status in the service's documented spelling (`Canceled` is `Cancelled`); unknown ones unchanged. */
export function canonicalStatus(status: string): string {
  return SPELLINGS.get(status) ?? status;
}

/** The documented spellings: what `--status` offers and the `statuses` filter sends. */
export const DOCUMENTED_STATUSES = AZURE_STATUSES.statuses().filter((s) => !SPELLINGS.has(s));

/** Azure statuses that are not final, documented spellings: what a pending-only re-listing asks for. */
export const AZURE_PENDING_STATUSES = DOCUMENTED_STATUSES.filter((s) => AZURE_STATUSES.get(s)!.state === 'pending');
