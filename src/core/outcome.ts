import { EXIT } from './exit-codes.js';
import { sanitize } from './sanitize.js';

export { EXIT } from './exit-codes.js';

/** Every document ends in exactly one of these. */
export type State = 'succeeded' | 'failed' | 'pending' | 'error';
export type Outcome = State;
export type KendraGoal = 'indexed' | 'deleted';

// Status tables are Maps: a status from the wire ("constructor", "__proto__") must never find an Object.prototype key.
const KENDRA_INDEXED = new Map<string, State>([
  ['INDEXED', 'succeeded'],
  ['UPDATED', 'succeeded'],
  ['FAILED', 'failed'],
  ['UPDATE_FAILED', 'failed'],
  ['PROCESSING', 'pending'],
  ['NOT_FOUND', 'pending'],
]);

const AZURE = new Map<string, State>([
  ['Succeeded', 'succeeded'],
  ['Failed', 'failed'],
  ['ValidationFailed', 'failed'],
  ['Cancelled', 'failed'],
  ['Canceled', 'failed'],
  ['NotStarted', 'pending'],
  ['Running', 'pending'],
  ['Cancelling', 'pending'],
  ['Canceling', 'pending'],
]);

/** Azure statuses that are not final: what a pending-only re-listing asks for. */
export const AZURE_PENDING_STATUSES = ['NotStarted', 'Running', 'Cancelling'] as const;

// One shared copy of each known status string: a million documents need not carry a million copies of "INDEXED".
const KNOWN_STATUSES = new Map([...KENDRA_INDEXED.keys(), ...AZURE.keys()].map((k) => [k, k]));

/** errorCode of a status this tool does not know: final, since asking again cannot change what the tool knows. */
export const UNKNOWN_STATUS = 'UnknownStatus';
/** errorCode of an answer missing what it must hold: asked again with --wait. */
export const MALFORMED = 'MalformedResponse';
/** errorCode of a document an answer left out: asked again with --wait, until MISSES_TO_GIVE_UP answers in a row have. */
export const MISSING = 'MissingFromResponse';
/** A document left out of this many answers in a row is given up (error, not asked again), so --wait ends. */
export const MISSES_TO_GIVE_UP = 3;

/** A status as a response gave it (sanitised, shared), with its state, or the error that stands for it. */
export type ReadStatus =
  | { status: string; state: State }
  | { status?: string; state: 'error'; errorCode: string; errorMessage: string };

/** Reads a status field of a response through one service's table: missing is malformed, unlisted is unknown. */
export function readStatus(value: unknown, stateOf: (status: string) => State | undefined, field: string): ReadStatus {
  if (typeof value !== 'string') {
    const errorMessage = value === undefined || value === null ? `the answer has no ${field}` : `the ${field} of the answer is not a string`;
    return { state: 'error', errorCode: MALFORMED, errorMessage };
  }
  const raw = sanitize(value);
  if (raw === '') return { state: 'error', errorCode: MALFORMED, errorMessage: `the ${field} of the answer is empty` };
  const status = KNOWN_STATUSES.get(raw) ?? raw;
  const state = stateOf(status);
  return state === undefined ? { status, state: 'error', errorCode: UNKNOWN_STATUS, errorMessage: `unknown status ${status}` } : { status, state };
}

/** State of a Kendra DocumentStatus; undefined for a status this table does not know. */
export function kendraState(status: string, goal: KendraGoal): State | undefined {
  if (goal === 'deleted') return status === 'NOT_FOUND' ? 'succeeded' : KENDRA_INDEXED.has(status) ? 'pending' : undefined;
  return KENDRA_INDEXED.get(status);
}

/** State of an Azure document or batch status (both spellings); undefined when unknown. */
export function azureState(status: string): State | undefined {
  return AZURE.get(status);
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
