import { UsageError } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** The longest duration a flag takes: the longest a Node timer can wait. */
const MAX_DURATION_MS = 2 ** 31 - 1;

/** Parses `250ms`, `5s`, `2m`, `1h` or a bare number of seconds into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) {
    throw new UsageError(`${flag}: '${text}' is not a duration (use 250ms, 5s, 2m, 1h or a number of seconds)`);
  }
  const ms = Number(m[1]) * UNITS[m[2] ?? 's']!;
  // Node's timers hold at most 2^31-1 ms (24.8 days): a longer one fires after 1 ms.
  if (!Number.isFinite(ms) || ms > MAX_DURATION_MS) {
    throw new UsageError(`${flag}: '${text}' is too long (at most ${MAX_DURATION_MS / 3_600_000 | 0}h)`);
  }
  if (ms === 0) return 0;
  // Only an exact 0 means none (--timeout 0); anything else rounds up, so 0.4ms (or 0.0001ms) is 1 ms, never "no
  // deadline". (Rounded to a microsecond first: 1.1 * 1000 is 1100.0000000000002 in floating point, which is 1100 ms.)
  return Math.max(1, Math.ceil(Math.round(ms * 1000) / 1000));
}

/** Human form of a duration in ms, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)}m`;
  return `${+(ms / 3_600_000).toFixed(1)}h`;
}
