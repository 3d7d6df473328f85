import { StatusTable } from '../../core/outcome.js';
import { AZURE_STATUS_STATES, DOCUMENTED_STATUSES, SPELLINGS } from './status-names.js';

export { DOCUMENTED_STATUSES } from './status-names.js';

/** Azure document and batch statuses (CONTRACT.md "States"), both spellings of the cancelled ones. */
export const AZURE_STATUSES = new StatusTable(AZURE_STATUS_STATES);

/** A status in the service's documented spelling (`Canceled` is `Cancelled`); unknown ones unchanged. */
export function canonicalStatus(status: string): string {
  return SPELLINGS.get(status) ?? status;
}

/** Azure statuses that are not final, documented spellings: what a pending-only re-listing asks for. */
export const AZURE_PENDING_STATUSES = DOCUMENTED_STATUSES.filter((s) => AZURE_STATUSES.get(s)!.state === 'pending');
