import { setMaxListeners } from 'node:events';
import { formatDuration } from './duration.js';
import { colorLevel, type Io } from './io.js';
import type { Logger } from './logger.js';
import { poll, type Source } from './poll.js';
import type { Format } from './render/index.js';
import { buildResult } from './result.js';
import { Scheduler } from './scheduler.js';
import { exitCodeOf } from './states.js';
import type { ServiceName } from './types.js';

/** Poll flags shared by every subcommand. */
export interface PollFlags {
  wait: boolean;
  intervalMs: number;
  timeoutMs: number;
  failFast: boolean;
  concurrency: number;
  requestTimeoutMs: number;
}

/** Output flags shared by every subcommand. */
export interface OutputFlags {
  output: Format;
  quiet: boolean;
  verbose: boolean;
  color?: boolean;
  wide: boolean;
}

/** The scheduler every request of one run goes through. */
function schedulerFor(flags: PollFlags, io: Io, log: Logger): Scheduler {
  return new Scheduler({
    concurrency: flags.concurrency,
    clock: io.clock,
    signal: io.signal,
    deadline: flags.wait && flags.timeoutMs > 0 ? io.clock.now() + flags.timeoutMs : undefined,
    onRetry: (err, delay, attempt) =>
      log.verbose(`retry ${attempt} in ${formatDuration(delay)}: ${err.code}${err.opts.httpStatus ? ` (HTTP ${err.opts.httpStatus})` : ''}`),
  });
}

/** Polls a source, prints the result in the chosen format, and returns the exit code. Shared by every subcommand. */
export async function runPoll(
  source: Source,
  meta: { service: ServiceName; target: Record<string, string> },
  flags: PollFlags & OutputFlags,
  io: Io,
  log: Logger,
): Promise<number> {
  const scheduler = schedulerFor(flags, io, log);
  // Every request in flight (and every pause) listens for the interrupt on this one signal.
  setMaxListeners(flags.concurrency * 4 + 16, io.signal);
  const out = flags.quiet ? { write: () => true } : io.stdout;
  const spinner = await log.spinner(flags.wait ? 'waiting for documents' : 'asking');
  const { ndjsonDocument, render } = await import('./render/index.js');
  const run = await poll(source, {
    wait: flags.wait,
    intervalMs: flags.intervalMs,
    timeoutMs: flags.timeoutMs,
    failFast: flags.failFast,
    clock: io.clock,
    signal: io.signal,
    scheduler,
    onChange: flags.output === 'ndjson' ? (doc, at) => out.write(ndjsonDocument(doc, at)) : undefined,
    onProgress: (done, total) => spinner.update(`${done}/${total} documents final`),
  });
  spinner.stop();
  const interruptedBy = io.signal.aborted ? (io.signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT') : undefined;
  const result = buildResult(meta.service, meta.target, run, scheduler, interruptedBy !== undefined);
  if (run.timedOut) log.warn(`--timeout ${formatDuration(flags.timeoutMs)} passed with ${result.summary.pending} document(s) pending`);
  for (const e of result.errors ?? []) log.error(`${e.code}: ${e.message}`);
  if (interruptedBy) log.warn(`interrupted by ${interruptedBy}: the result so far`);
  if (!flags.quiet) {
    for (const chunk of await render(result, flags.output, { colorLevel: colorLevel(io.stdout, io.env, flags.color), wide: flags.wide })) out.write(chunk);
  }
  return exitCodeOf(result.outcome, interruptedBy);
}
