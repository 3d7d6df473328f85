import type { Clock } from './clock.js';
import { formatDuration } from './duration.js';
import type { Progress } from './poll.js';

// The heartbeat: during --wait with no spinner on stderr (a CI log, a pipe), one plain progress line every
// --progress-interval, so a job that works and a job that hangs do not look the same.

/** Elapsed time as every other line of docstatus says a duration (core/duration.ts), in whole milliseconds. */
const elapsed = (ms: number): string => formatDuration(Math.max(0, Math.round(ms)));

/** One heartbeat line (the Logger adds `docstatus: `), e.g. `waiting 2.5m: 7/10 final, 3 pending, last change 45s ago`. */
export function heartbeatLine(elapsedMs: number, progress: Progress | undefined, now: number): string {
  const head = `waiting ${elapsed(elapsedMs)}`;
  if (!progress) return `${head}: no answer yet`;
  const { total, final, failed, error } = progress;
  const parts = [
    `${final}/${total} final${failed > 0 ? ` (${failed} failed)` : ''}`,
    `${total - final - error} pending`,
    ...(error > 0 ? [`${error} in error`] : []),
    `last change ${elapsed(now - progress.lastChangeAt)} ago`,
  ];
  return `${head}: ${parts.join(', ')}`;
}

export interface Heartbeat {
  /** the run's latest progress (poll's onProgress) */
  update(progress: Progress): void;
  /** stops the timer; safe to call more than once */
  stop(): void;
}

/**
 * Writes a heartbeat line every intervalMs on the injected clock, until stop() or the signal aborts (an interrupt): the
 * timer never keeps the process alive and never outlives the run.
 */
export function startHeartbeat(opts: { clock: Clock; intervalMs: number; signal: AbortSignal; write: (line: string) => void }): Heartbeat {
  const { clock, signal } = opts;
  const startedAt = clock.now();
  let progress: Progress | undefined;
  let cancel: (() => void) | undefined;
  const stop = () => {
    cancel?.();
    cancel = undefined;
    signal.removeEventListener('abort', stop);
  };
  if (!signal.aborted) {
    cancel = clock.every(opts.intervalMs, () => {
      const now = clock.now();
      opts.write(heartbeatLine(now - startedAt, progress, now));
    });
    signal.addEventListener('abort', stop, { once: true });
  }
  return {
    update: (p) => {
      progress = p;
    },
    stop,
  };
}
