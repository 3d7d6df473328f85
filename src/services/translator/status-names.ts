// The Azure status names and their states, as data only: translate-docs' --status help lists them, so cli.cjs loads
// this file at start-up; states.ts builds the StatusTable from it when a command runs.

/** Azure document and batch statuses and their states (CONTRACT.md "States"), both spellings of the cancelled ones. */
export const AZURE_STATUS_STATES = [
  ['NotStarted', 'pending'],
  ['Running', 'pending'],
  ['Succeeded', 'succeeded'],
  ['Failed', 'failed'],
  ['Cancelled', 'failed'],
  ['Canceled', 'failed'],
  ['Cancelling', 'pending'],
  ['Canceling', 'pending'],
  ['ValidationFailed', 'failed'],
] as const;

/** The other spelling the service may use, to the one it documents (and the `statuses` filter takes). */
export const SPELLINGS: ReadonlyMap<string, string> = new Map([
  ['Canceled', 'Cancelled'],
  ['Canceling', 'Cancelling'],
]);

/** The documented spellings: what `--status` offers and the `statuses` filter sends. */
export const DOCUMENTED_STATUSES: string[] = AZURE_STATUS_STATES.map(([s]) => s as string).filter((s) => !SPELLINGS.has(s));
