import type { Clock } from '../core/clock.js';
import type { Stdin } from '../core/input.js';

/** A stream the tool writes to. */
export interface Out {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything a command touches of the outside world; bin/ passes the process's, tests their own. */
export interface Io {
  stdout: Out;
  stderr: Out;
  stdin: Stdin;
  env: Record<string, string | undefined>;
  clock: Clock;
  /** aborted with reason 'SIGINT' or 'SIGTERM' when the user interrupts */
  signal: AbortSignal;
}

/** 0 (no colour) to 3, decided once: --no-color and NO_COLOR off, FORCE_COLOR on, else a terminal. */
export function colorLevel(stream: Out, env: Io['env'], flag: boolean | undefined): 0 | 1 | 2 | 3 {
  if (flag === false) return 0;
  if (env.NO_COLOR) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === 'false' || force === '0') return 0;
    const n = Number(force);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  return stream.isTTY && env.TERM !== 'dumb' ? 1 : 0;
}
