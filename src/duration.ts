import { UsageError } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `250ms`, `5s`, `2m`, `1h` or a bare number of seconds into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) {
    throw new UsageError(`${flag}: '${text}' is not a duration (use 250ms, 5s, 2m, 1h or a number of seconds)`);
  }
  const ms = Number(m[1]) * UNITS[m[2] ?? 's']!;
  if (!Number.isFinite(ms) || ms > 365 * 24 * 3_600_000) {
    throw new UsageError(`${flag}: '${text}' is too long`);
  }
  return Math.round(ms);
}

/** Human form of a duration in ms, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)}m`;
  return `${+(ms / 3_600_000).toFixed(1)}h`;
}
