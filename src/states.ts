/** Every document ends in exactly one of these. */
export type State = 'succeeded' | 'failed' | 'pending' | 'error';
export type Outcome = State;
export type KendraGoal = 'indexed' | 'deleted';

const KENDRA_INDEXED: Record<string, State> = {
  INDEXED: 'succeeded',
  UPDATED: 'succeeded',
  FAILED: 'failed',
  UPDATE_FAILED: 'failed',
  PROCESSING: 'pending',
  NOT_FOUND: 'pending',
};

const AZURE: Record<string, State> = {
  Succeeded: 'succeeded',
  Failed: 'failed',
  ValidationFailed: 'failed',
  Cancelled: 'failed',
  Canceled: 'failed',
  NotStarted: 'pending',
  Running: 'pending',
  Cancelling: 'pending',
  Canceling: 'pending',
};

/** Azure statuses that are not final: what a pending-only re-listing asks for. */
export const AZURE_PENDING_STATUSES = ['NotStarted', 'Running', 'Cancelling'] as const;

const KNOWN_STATUSES = new Map([...Object.keys(KENDRA_INDEXED), ...Object.keys(AZURE)].map((k) => [k, k]));

/** The one shared copy of a known status string: a million documents need not carry a million copies of "INDEXED". */
export function internStatus(status: string): string {
  return KNOWN_STATUSES.get(status) ?? status;
}

/** State of a Kendra DocumentStatus; undefined for a status this table does not know. */
export function kendraState(status: string, goal: KendraGoal): State | undefined {
  if (goal === 'deleted') return status === 'NOT_FOUND' ? 'succeeded' : status in KENDRA_INDEXED ? 'pending' : undefined;
  return KENDRA_INDEXED[status];
}

/** State of an Azure document or batch status (both spellings); undefined when unknown. */
export function azureState(status: string): State | undefined {
  return AZURE[status];
}

export interface StateCounts {
  succeeded: number;
  failed: number;
  pending: number;
  error: number;
}

/** failed beats error beats pending beats succeeded (CONTRACT.md "outcome"). */
export function outcomeOf(counts: StateCounts): Outcome {
  if (counts.failed > 0) return 'failed';
  if (counts.error > 0) return 'error';
  if (counts.pending > 0) return 'pending';
  return 'succeeded';
}

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  pending: 3,
  error: 4,
  sigint: 130,
  sigterm: 143,
} as const;

/** The process exit code for an outcome; an interrupt wins over everything but usage errors. */
export function exitCodeOf(outcome: Outcome, interruptedBy?: 'SIGINT' | 'SIGTERM'): number {
  if (interruptedBy) return interruptedBy === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
  switch (outcome) {
    case 'failed':
      return EXIT.failed;
    case 'error':
      return EXIT.error;
    case 'pending':
      return EXIT.pending;
    case 'succeeded':
      return EXIT.ok;
  }
}
