import { EXIT } from './exit-codes.js';
import { formatDuration } from './duration.js';
import { sanitize } from './sanitize.js';

export { EXIT } from './exit-codes.js';

/** Every document ends in exactly one of these. */
export type State = 'succeeded' | 'failed' | 'pending' | 'error';
export type Outcome = State;

/** A status as a table knows it: the table's own copy of the string (shared by every document) and its state. */
export interface KnownStatus {
  status: string;
  state: State;
}

/**
 * One service's statuses and the state each stands for. A Map, so a status from the wire ("constructor",
 * "__proto__") never finds an Object.prototype key; it hands out its own copy of each status string, so a million
 * documents need not carry a million copies of "INDEXED".
 */
export class StatusTable {
  private readonly map: Map<string, KnownStatus>;

  constructor(entries: Iterable<readonly [string, State]>) {
    this.map = new Map([...entries].map(([status, state]) => [status, { status, state }]));
  }

  /** The status and its state; undefined for a status this table does not know. */
  get(status: string): KnownStatus | undefined {
    return this.map.get(status);
  }

  /** Every status the table knows, in the order given. */
  statuses(): string[] {
    return [...this.map.keys()];
  }

  /** The same statuses with other states (Kendra and Bedrock --until deleted: every known status is pending but these). */
  withStates(stateOf: (k: KnownStatus) => State): StatusTable {
    return new StatusTable([...this.map.values()].map((k) => [k.status, stateOf(k)] as const));
  }
}

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

/**
 * --not-found-grace (Kendra, Bedrock): waiting for a document to be indexed, one still NOT_FOUND this long after the
 * first round is given up (a mistyped ID must not hold a CI job for the whole timeout). The reason it fails with, or
 * undefined while the grace lasts or does not apply.
 */
export function notFoundGivenUp(status: string | undefined, rule: { wait: boolean; goal: 'indexed' | 'deleted'; graceMs: number }, elapsedMs: number): string | undefined {
  if (!rule.wait || rule.goal !== 'indexed' || status !== 'NOT_FOUND' || elapsedMs < rule.graceMs) return undefined;
  return `still NOT_FOUND ${formatDuration(rule.graceMs)} after the first round (--not-found-grace)`;
}

/** Reads a status field of a response through one service's table: missing is malformed, unlisted is unknown. */
export function readStatus(value: unknown, table: StatusTable, field: string): ReadStatus {
  if (typeof value !== 'string') {
    const errorMessage = value === undefined || value === null ? `the answer has no ${field}` : `the ${field} of the answer is not a string`;
    return { state: 'error', errorCode: MALFORMED, errorMessage };
  }
  if (value === '') return { state: 'error', errorCode: MALFORMED, errorMessage: `the ${field} of the answer is empty` };
  // Looked up exactly as sent: "INDEXED" with an escape sequence or a zero-width character in it is not INDEXED.
  const known = table.get(value);
  if (known) return { status: known.status, state: known.state };
  // Shown escaped, never cleaned: cleaning "INDEXED\u200b" would show (and count in summary.byStatus) "INDEXED".
  const shown = escapeStatus(value);
  return { status: shown, state: 'error', errorCode: UNKNOWN_STATUS, errorMessage: `unknown status ${shown}` };
}

/** The most characters of an unknown status that a result shows (escaped). */
export const MAX_STATUS = 200;

/**
 * An unknown status as shown: every character but printable ASCII escaped as `\uXXXX` (astral ones as their two
 * halves) and the backslash as `\\`, cut to MAX_STATUS characters with `…`. Every known status of every table is
 * printable ASCII without a backslash, so this form of an unknown status can never equal a known one (README
 * "Unknown statuses"); a secret of the run in it is still redacted (sanitize).
 */
export function escapeStatus(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const piece = c === 0x5c ? '\\\\' : c >= 0x20 && c <= 0x7e ? value[i]! : `\\u${c.toString(16).padStart(4, '0')}`;
    if (out.length + piece.length > MAX_STATUS) return `${sanitize(out)}…`;
    out += piece;
  }
  return sanitize(out);
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
