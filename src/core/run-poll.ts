import { setMaxListeners } from 'node:events';
import { Writable } from 'node:stream';
import { hostname } from 'node:os';
import { formatDuration } from './duration.js';
import { colorLevel, type Io, type Out } from '../app/io.js';
import type { Logger } from '../app/logger.js';
import { startHeartbeat } from './heartbeat.js';
import { poll, type Source } from './poll.js';
import type { Format } from '../render/index.js';
import { buildResult } from './result.js';
import { QUOTA_SHARE, type Quota } from './pacer.js';
import { Scheduler } from './scheduler.js';
import { EXIT, STDOUT_FAILED, STDOUT_GONE } from './exit-codes.js';
import { exitCodeOf } from './outcome.js';
import type { DocumentReport, Result, ResultService } from './result.js';
import type { ColumnsFor } from '../render/columns.js';

/** Poll flags shared by every subcommand. */
export interface PollFlags {
  wait: boolean;
  intervalMs: number;
  timeoutMs: number;
  failFast: boolean;
  concurrency: number;
  requestTimeoutMs: number;
  /** --max-rps: undefined = the service's published quota's default, or learnt */
  maxRps?: number;
}

/** Output flags shared by every subcommand. */
export interface OutputFlags {
  output: Format;
  quiet: boolean;
  verbose: boolean;
  color?: boolean;
  wide: boolean;
  /** the heartbeat's period with --wait (0 = none) */
  progressIntervalMs: number;
  /** GitHub Actions annotations, step summary and outputs (core/github.ts) */
  github: boolean;
}

/** The scheduler every request of one run goes through; its deadline is --timeout's, one pass included. */
function schedulerFor(flags: PollFlags, quota: Quota | undefined, signal: AbortSignal, stop: AbortController, io: Io, log: Logger): Scheduler {
  const retried = new Set<string>();
  const maxRps = flags.maxRps ?? (quota ? quota.rps * QUOTA_SHARE : undefined);
  return new Scheduler({
    concurrency: flags.concurrency,
    clock: io.clock,
    signal,
    requestTimeoutMs: flags.requestTimeoutMs,
    deadline: flags.timeoutMs > 0 ? io.clock.now() + flags.timeoutMs : undefined,
    onDeadline: () => stop.abort('timeout'),
    maxRps,
    onPace: (message) => log.verbose(message),
    onRetry: (err, delay, attempt) => {
      const what = `${err.code}${err.opts.httpStatus && !err.code.startsWith('HTTP') ? ` (HTTP ${err.opts.httpStatus})` : ''}`;
      // a throttle without Retry-After waits for its turn of the pace, not for a delay of its own
      log.verbose(`retry ${attempt} ${delay === 0 && err.opts.throttled ? 'at its turn of the pace' : `in ${formatDuration(delay)}`}: ${what}`);
      // Once per fault: a job that retries a refused connection for 30 minutes must not look like one that works.
      if (flags.wait && !retried.has(err.code)) {
        retried.add(err.code);
        log.warn(`${what}: ${err.message}; retrying until --timeout`);
      }
    },
  });
}

/** At most this many stderr lines name the error codes of documents in error (one line a code). */
const ERROR_LINES = 5;

/**
 * Why the run ends in error, once (never once per document), on stderr even with --quiet: every run-level error,
 * then one line per error code of the documents in error, with how many and which one first.
 */
function explainErrors(result: Result, log: Logger): void {
  const said = new Set<string>();
  for (const e of result.errors ?? []) {
    log.error(`${e.code}: ${e.message}`);
    said.add(e.code);
  }
  const byCode = new Map<string, { count: number; first: DocumentReport }>();
  for (const doc of result.documents) {
    if (doc.state !== 'error') continue;
    const code = doc.errorCode ?? 'Error';
    if (said.has(code)) continue;
    const seen = byCode.get(code);
    if (seen) seen.count++;
    else byCode.set(code, { count: 1, first: doc });
  }
  let lines = 0;
  for (const [code, { count, first }] of byCode) {
    if (++lines > ERROR_LINES) {
      log.error(`and ${byCode.size - ERROR_LINES} more error code(s); see the result`);
      break;
    }
    const which = count === 1 ? `document ${first.id}` : `${count} documents (the first: ${first.id})`;
    log.error(`${which} could not be read: ${code}: ${first.errorMessage ?? code}`);
  }
}

/**
 * Resolves once a stream has taken or refused everything written to it so far (its 'error', if any, emitted), or
 * when the signal is aborted. An in-memory writer (tests) takes everything at once.
 */
function settled(out: Out, signal: AbortSignal): Promise<void> {
  if (!(out instanceof Writable) || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    // setImmediate: the stream emits a write's 'error' after calling its callback.
    out.write('', () => setImmediate(done));
  });
}

/** Polls a source, prints the result in the chosen format, and returns the exit code. Shared by every subcommand. */
export async function runPoll(
  source: Source,
  /** title: the service and target as a person names them (the GitHub step summary's heading) */
  meta: { service: ResultService; target: Record<string, string>; title: string; columns: ColumnsFor; quota?: Quota },
  flags: PollFlags & OutputFlags,
  io: Io,
  log: Logger,
): Promise<number> {
  // The run's signal: the user's interrupt or stdout going away (io.signal), or the loop's own stop (deadline, fatal).
  const stop = new AbortController();
  const signal = AbortSignal.any([io.signal, stop.signal]);
  // Every request in flight (and every pause) listens for the end of the run on this one signal.
  setMaxListeners(flags.concurrency * 4 + 16, signal);
  setMaxListeners(flags.concurrency * 4 + 16, io.signal);
  const scheduler = schedulerFor(flags, meta.quota, signal, stop, io, log);
  // Once stdout has failed (EPIPE: its reader went away) nothing more is written to it.
  const stdoutGone = () => io.signal.aborted && (io.signal.reason === STDOUT_GONE || io.signal.reason === STDOUT_FAILED);
  const out = { write: (text: string) => (flags.quiet || stdoutGone() ? true : io.stdout.write(text)) };
  const spinner = await log.spinner(flags.wait ? 'waiting for documents' : 'asking');
  const { ndjsonDocument, render, tableWidth } = await import('../render/index.js');
  // With --wait and no spinner (a CI log): a progress line every --progress-interval; never in a one-pass run.
  const heartbeat =
    flags.wait && flags.progressIntervalMs > 0 && log.wantsHeartbeat
      ? startHeartbeat({ clock: io.clock, intervalMs: flags.progressIntervalMs, signal, write: (line) => log.info(line) })
      : undefined;
  const run = await poll(source, {
    wait: flags.wait,
    intervalMs: flags.intervalMs,
    timeoutMs: flags.timeoutMs,
    failFast: flags.failFast,
    clock: io.clock,
    signal,
    stop,
    scheduler,
    onChange: flags.output === 'ndjson' ? (doc, at) => out.write(ndjsonDocument(doc, at)) : undefined,
    onProgress: (progress) => {
      spinner.update(`${progress.final}/${progress.total} documents final`);
      heartbeat?.update(progress);
    },
  }).finally(() => {
    // Whatever poll() ends with, a throw included: a spinner left running would draw on stderr after the run.
    heartbeat?.stop();
    spinner.stop();
  });
  const reason = io.signal.aborted ? io.signal.reason : undefined;
  const interruptedBy = reason === 'SIGTERM' || reason === 'SIGINT' ? reason : undefined;
  const result = buildResult(meta.service, meta.target, run, scheduler, interruptedBy !== undefined);
  if (run.timedOut) {
    const pending = result.summary.pending;
    log.warn(`--timeout ${formatDuration(flags.timeoutMs)} passed${pending > 0 ? ` with ${pending} document(s) pending` : ''}`);
  }
  explainErrors(result, log);
  if (interruptedBy) log.warn(`interrupted by ${interruptedBy}: the result so far`);
  const resultCode = exitCodeOf(result.outcome, interruptedBy);
  // --fail-fast ended the run (poll() says so) while some documents were not final
  const failFastStopped = run.failedFast && result.summary.pending + result.summary.error > 0;
  // How the poll ended, before the result is written (stdoutGone: stdout went away during the poll and stopped it).
  const end = { wait: flags.wait, timeoutMs: flags.timeoutMs, timedOut: run.timedOut, interruptedBy, failFastStopped, stdoutGone: stdoutGone() };
  if (!stdoutGone()) {
    const opts = { colorLevel: colorLevel(io.stdout, io.env, flags.color), columns: meta.columns(flags.wide), width: tableWidth(io.stdout, flags.wide), finishedAt: io.clock.now(), hostname: hostname() };
    for (const chunk of await render(result, flags.output, opts)) {
      if (stdoutGone()) break;
      out.write(chunk);
    }
  }
  // The GitHub outputs and summary say the exit code the process ends with: so they are written once stdout has taken
  // or refused the result (a full disk is exit 74, bin/), or at once when a signal comes while it is still taking it.
  await settled(io.stdout, io.signal);
  const exitCode = io.signal.aborted && io.signal.reason === STDOUT_FAILED ? EXIT.output : resultCode;
  if (flags.github) {
    const { reasonOf, writeGitHub } = await import('./github.js');
    writeGitHub({ result, title: meta.title, columns: meta.columns(flags.wide), reason: reasonOf(meta.columns(false)), exitCode, end }, io, log);
  }
  return exitCode;
}
