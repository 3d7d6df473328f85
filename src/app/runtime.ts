import { setFlagsFromString } from 'node:v8';
import { systemClock } from '../core/clock.js';
import { describeError, UsageError } from '../core/errors.js';
import { Secrets } from '../core/secrets.js';
import { proxySecrets } from '../core/proxy.js';
import { EXIT } from '../core/exit-codes.js';
import { InputInterrupted, readStream } from '../core/input.js';
import { withConsole } from './console.js';
import { colorLevel, type Io, sinkIo } from './io.js';
import { Logger } from './logger.js';

/** What bin/ or a test hands to main(): any part of Io it wants to set; the rest is the process's own. */
export type PartialIo = Partial<Io> & { signal: AbortSignal };

/** The Io of this process, with the given parts put in its place. */
export function completeIo(io: PartialIo): Io {
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    stdin: io.stdin ?? { isTTY: process.stdin.isTTY, read: () => readStream(process.stdin, io.signal) },
    env: io.env ?? process.env,
    clock: io.clock ?? systemClock,
    signal: io.signal,
  };
}

/**
 * Runs one subcommand's action and maps what it throws to an exit code: UsageError is 2, anything unexpected 70.
 * Loaded only when a subcommand runs, so `--version` and `--help` load nothing but the CLI itself.
 */
export async function execute(
  action: (io: Io, log: Logger) => Promise<number>,
  opts: { verbose?: boolean; quiet?: boolean; color?: boolean; secretFlags?: ReadonlyArray<readonly [string, string]>; secretEnv?: readonly string[] },
  partial: PartialIo,
): Promise<number> {
  // Every AWS SDK request leaves a lot of short-lived garbage; by default V8 lets the old generation grow to three
  // times the live data before collecting it, so a pass over 100,000 IDs peaked at 235 MB with 40 MB live. Growing by
  // 20% keeps it near 150 MB at no measurable cost in speed (bench/, "memory"). A V8 heuristic, read at every
  // collection, so setting it here (before a subcommand allocates anything) takes effect; --version never pays for it.
  setFlagsFromString('--heap-growing-percent=20');
  // The run's secrets, and its Io with stdout and stderr through the sink that scrubs them (app/io.ts): whatever a
  // service echoes back, they never reach an output. Nothing is shared with another run in this process.
  const secrets = new Secrets();
  const io = sinkIo(completeIo(partial), secrets);
  const log = new Logger(io.stderr, { verbose: opts.verbose, quiet: opts.quiet, color: colorLevel(io.stderr, io.env, opts.color) > 0, env: io.env, secrets });
  for (const [flag, value] of opts.secretFlags ?? []) log.keepSecret(flag, [value]);
  for (const name of opts.secretEnv ?? []) log.keepSecret(name, [io.env[name]]);
  for (const [what, values] of proxySecrets(io.env)) log.keepSecret(what, values);
  try {
    const code = await withConsole(log, () => action(io, log));
    log.noteShortSecrets();
    return code;
  } catch (err) {
    if (err instanceof UsageError) {
      log.error(err.message);
      return err.exitCode;
    }
    // Only an interrupt of the input read is "nothing was sent": any other error, even one thrown after an abort, is
    // what it is (an internal error), never an interrupt.
    if (err instanceof InputInterrupted) {
      const reason: unknown = io.signal.reason;
      if (reason === 'SIGINT' || reason === 'SIGTERM') {
        log.warn(`interrupted by ${reason} while reading the input: nothing was sent`);
        return reason === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
      }
      // Standard output failed or went away (bin/ aborts with STDOUT_GONE or STDOUT_FAILED) while the input was read.
      log.error('standard output went away while reading the input: nothing was sent');
      return EXIT.output;
    }
    // An abort error that the user's own interrupt caused is that interrupt (no result was reached to print).
    const reason: unknown = io.signal.reason;
    if ((reason === 'SIGINT' || reason === 'SIGTERM') && (err as Error | undefined)?.name === 'AbortError') {
      log.warn(`interrupted by ${reason}`);
      return reason === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    }
    log.error(`internal error: ${describeError(err)}`);
    return EXIT.internal;
  }
}
