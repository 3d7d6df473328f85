import type { Clock } from './clock.js';
import { formatDuration } from './duration.js';
import { ServiceError } from './errors.js';
import { Pacer } from './pacer.js';

export interface SchedulerOptions {
  concurrency: number;
  clock: Clock;
  /** aborted when the run stops (an interrupt, the --timeout deadline, a permanent fault, stdout gone) */
  signal?: AbortSignal;
  /** attempts per request, the first included; throttling answers do not count (they are asked again until the deadline) */
  maxAttempts?: number;
  /** at most this many requests a second (--max-rps, or 90 % of the service's published quota); none: learnt */
  maxRps?: number;
  /** called when the deadline is reached while requests wait for their turn or a Retry-After (the run ends then) */
  onDeadline?: () => void;
  /** a change of pace, for --verbose */
  onPace?: (message: string) => void;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** the longest Retry-After obeyed; a longer one gives up on the request (no run sleeps for minutes) */
  maxRetryAfterMs?: number;
  /** no retry is scheduled past this instant (the --timeout deadline) */
  deadline?: number;
  /** one attempt, body included, is cut off after this long (--request-timeout) */
  requestTimeoutMs?: number;
  random?: () => number;
  onRetry?: (err: ServiceError, delayMs: number, attempt: number) => void;
}

/** What one item of Scheduler.map came to: its value, its error, or nothing when the run stopped before it began. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown } | undefined;

/**
 * The faults a request got as answers (not a cut-off at the end of the run): when the deadline ends a request whose every
 * try failed, the scheduler throws its last fault, and poll() tells it from a request merely cut off by this mark.
 */
export const TRIED_AND_FAILED = new WeakSet<ServiceError>();

/**
 * The faults the deadline made final (the next retry or the Retry-After pause would have gone past it): the request was
 * given up for want of time, not because the service refused it, so poll() keeps an earlier answer of its documents.
 */
export const GAVE_UP_AT_DEADLINE = new WeakSet<ServiceError>();

/** The longest Retry-After a run obeys by default: 200 s (README, "Retries"). */
export const MAX_RETRY_AFTER_MS = 200_000;

/**
 * Every request of a run goes through one Scheduler: it caps requests in flight, retries transient faults with
 * exponential backoff and jitter, and paces every request by one rate estimate (Pacer): a throttling answer lowers the
 * rate for the whole run, holds every request until its Retry-After has passed, and is asked again until the deadline
 * however many times that takes (attempt limits are for faults, not for the quota). The concurrency starts at 1 and
 * grows by one per success up to --concurrency (a first burst at a small quota is a few requests, not 16).
 * Neither the AWS SDK's nor undici's retry can do that across requests, so both clients run with their own retries off
 * and use this one.
 */
export class Scheduler {
  private sentCount = 0;
  private active = 0;
  private limit: number;
  private pauseUntil = 0;
  private quiet = 0;
  private readonly pacer: Pacer;
  private readonly waiters: Array<() => void> = [];
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly random: () => number;

  constructor(private readonly opts: SchedulerOptions) {
    this.pacer = new Pacer({ clock: opts.clock, maxRps: opts.maxRps, signal: opts.signal, deadline: opts.deadline, onDeadline: opts.onDeadline, onChange: opts.onPace });
    // Slow start: the concurrency doubles every round trip until a throttle or --concurrency (a few round trips: the
    // pace, not this, keeps a run under a quota; this keeps the first burst at an unknown quota small).
    this.limit = 1;
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.baseDelayMs = opts.baseDelayMs ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 20_000;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;
    this.random = opts.random ?? Math.random;
  }

  /** HTTP requests that reached the wire, retries included (the clients call sent() as each one goes out). */
  get requests(): number {
    return this.sentCount;
  }

  /** A client calls this when a request is really sent (after credentials and signing, never for one that failed before). */
  sent(): void {
    this.sentCount++;
  }

  /** The concurrency in force now (lower than asked for only during the slow start). */
  get concurrency(): number {
    return this.limit;
  }

  /** Throttling answers received (stats.throttled). */
  get throttled(): number {
    return this.pacer.throttled;
  }

  /**
   * Before this instant no later round of --wait should start: a Retry-After past the cap gives its request up at once
   * (no run sleeps for minutes in a round), but the service asked for quiet, so the next round waits for it, up to the
   * cap (it asked again every --interval, each time told to wait minutes). 0: nothing asked.
   */
  get quietUntil(): number {
    return this.quiet;
  }

  /** The pace now in requests a second; undefined while unpaced (stats.maxRps). */
  get pace(): number | undefined {
    const rate = this.pacer.rate();
    return rate === Number.POSITIVE_INFINITY ? undefined : rate;
  }

  /**
   * Runs fn over items with at most `concurrency` in progress. Each item's outcome is its own: one that throws does
   * not stop the others, and the call returns only when every started item has ended, so no request of a round goes
   * out after the round. No new item starts once the run's signal is aborted (those are left undefined). Only that many
   * requests (and their SDK command objects) exist at once, so memory stays flat however many items a round has.
   */
  async map<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<Settled<R>[]> {
    const results = new Array<Settled<R>>(items.length);
    const signal = this.opts.signal;
    let next = 0;
    const worker = async () => {
      while (next < items.length && !signal?.aborted) {
        const i = next++;
        try {
          results[i] = { ok: true, value: await fn(items[i]!) };
        } catch (error) {
          results[i] = { ok: false, error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, items.length) }, worker));
    return results;
  }

  /**
   * Runs one request, retrying transient ServiceErrors; throws the last error when it gives up. `attempt` gets a
   * signal that aborts when the run stops or when --request-timeout passes (body included: a server that trickles
   * its answer is cut off too); a cut-off attempt is a transient RequestTimeout.
   */
  async run<T>(attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { clock, deadline } = this.opts;
    const signal = this.opts.signal ?? new AbortController().signal;
    let failure: ServiceError | undefined;
    let giveUp = false;
    // What ends a request without an answer: its last fault when it had one (every try failed), else Stopped.
    const stopped = () => {
      giveUp = true;
      return failure ?? new ServiceError('Stopped', 'the run stopped before this request was sent');
    };
    for (let faults = 0, tries = 1; ; tries++) {
      await this.acquire();
      let delay: number;
      let sentAt = clock.now();
      try {
        while (this.pauseUntil > clock.now() && !signal.aborted) {
          if (deadline !== undefined && this.pauseUntil >= deadline) {
            // The service's Retry-After outlasts the run: it ends at the deadline, not later.
            await clock.sleep(deadline - clock.now(), signal);
            if (!signal.aborted) this.opts.onDeadline?.();
            if (failure) GAVE_UP_AT_DEADLINE.add(failure);
            throw stopped();
          }
          await clock.sleep(this.pauseUntil - clock.now(), signal);
        }
        if (signal.aborted || !(await this.pacer.take())) throw stopped();
        sentAt = clock.now();
        const value = await this.once(attempt, signal);
        this.pacer.success(sentAt);
        this.onSuccess();
        return value;
      } catch (err) {
        if (signal.aborted && failure) throw failure;
        if (!(err instanceof ServiceError) || !err.opts.transient || signal.aborted || giveUp) throw err;
        failure = err;
        TRIED_AND_FAILED.add(err);
        if (!err.opts.throttled) faults++;
        delay = this.delayFor(err, faults);
        // Applied before the slot is released, so whatever the release wakes sees the pause and the lower rate.
        // A Retry-After past the cap gives this request up (below) and holds no other request: the run would otherwise
        // sleep for minutes after all, one pause per request.
        if (err.opts.throttled) this.onThrottle(sentAt, delay > this.maxRetryAfterMs ? 0 : delay);
        if (delay > this.maxRetryAfterMs) this.quiet = Math.max(this.quiet, clock.now() + this.maxRetryAfterMs);
      } finally {
        this.release();
      }
      if (faults >= this.maxAttempts || delay > this.maxRetryAfterMs) throw failure;
      if (deadline !== undefined && clock.now() + delay >= deadline) {
        GAVE_UP_AT_DEADLINE.add(failure);
        throw failure;
      }
      this.opts.onRetry?.(failure, delay, tries);
      await clock.sleep(delay, signal);
      if (signal.aborted) throw failure;
    }
  }

  /** One attempt under --request-timeout (a real timer: a request takes real time, whatever the clock says). */
  private async once<T>(attempt: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    const limit = this.opts.requestTimeoutMs;
    if (limit === undefined) return cutOff(attempt, signal);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), limit);
    timer.unref?.();
    try {
      return await cutOff(attempt, AbortSignal.any([signal, timeout.signal]));
    } catch (err) {
      if (timeout.signal.aborted && !signal.aborted) {
        throw new ServiceError('RequestTimeout', `no complete answer within ${formatDuration(limit)} (--request-timeout)`, { transient: true, askAgain: true });
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The wait before the next attempt: the service's Retry-After as given (a longer one than the cap gives up); else,
   * for a throttle, none (the pacer spaces the retry out), for a fault, backoff.
   */
  private delayFor(err: ServiceError, attempt: number): number {
    if (err.opts.retryAfterMs !== undefined) return err.opts.retryAfterMs;
    if (err.opts.throttled) return 0;
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private onThrottle(sentAt: number, delay: number): void {
    this.pacer.throttle(sentAt);
    // The slow start ends: from now on the pace, not the concurrency, keeps the run under the limit.
    this.limit = this.opts.concurrency;
    this.pauseUntil = Math.max(this.pauseUntil, this.opts.clock.now() + delay);
    this.wake();
  }

  private onSuccess(): void {
    if (this.limit >= this.opts.concurrency) return;
    this.limit++;
    this.wake();
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(() => resolve()));
  }

  private release(): void {
    this.active--;
    this.wake();
  }

  private wake(): void {
    while (this.active < this.limit && this.waiters.length > 0) {
      this.active++;
      this.waiters.shift()!();
    }
  }
}

/**
 * An attempt that ends when its signal aborts, whether or not the attempt itself heeds the signal: undici's ProxyAgent
 * waits for the proxy's answer to CONNECT with no regard for the request's signal (a proxy that never answers held a
 * request, the run and SIGTERM for ever). The attempt's own error, if it comes at once (by the next macrotask), wins.
 */
function cutOff<T>(attempt: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => setTimeout(() => reject(new ServiceError('RequestAborted', 'the request was cut off', { transient: true, askAgain: true })), 0);
  });
  signal.addEventListener('abort', onAbort, { once: true });
  const run = attempt(signal);
  if (signal.aborted) onAbort();
  return Promise.race([run, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
