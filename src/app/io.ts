import type { Clock } from '../core/clock.js';
import type { Stdin } from '../core/input.js';
import type { Secrets } from '../core/secrets.js';

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

/**
 * The sink: `out` with every write scrubbed of the run's secrets (core/secrets.ts) before it leaves the process. Any
 * other property (isTTY, columns, the cursor methods ora calls on a terminal) is the stream's own.
 *
 * `write` may be replaced on the sink, as ora hooks a stream's write while it spins (to clear its line before another
 * write, then put back what it found): the replacement is the sink's own, and what it calls as the write it found is
 * the scrubbing one, so every write still goes through the scrub, and the stream itself is never changed.
 */
export function sinkOut<T extends Out>(out: T, secrets: Secrets): T {
  const streamWrite = out.write as (this: T, text: string, ...rest: unknown[]) => unknown;
  const scrubbing = (text: string | Uint8Array, ...rest: unknown[]) =>
    streamWrite.call(out, secrets.scrub(typeof text === 'string' ? text : Buffer.from(text).toString('utf8')), ...rest);
  let write: unknown = scrubbing;
  return new Proxy(out, {
    get(target, key) {
      if (key === 'write') return write;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    set(target, key, value: unknown) {
      if (key === 'write') write = value;
      else Reflect.set(target, key, value, target);
      return true;
    },
  });
}

/** The Io of one run: its stdout and stderr through the sink. */
export function sinkIo(io: Io, secrets: Secrets): Io {
  return { ...io, stdout: sinkOut(io.stdout, secrets), stderr: sinkOut(io.stderr, secrets) };
}
