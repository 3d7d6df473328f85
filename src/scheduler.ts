import type { Clock } from './clock.js';
import { ServiceError } from './errors.js';

export interface SchedulerOptions {
  concurrency: number;
  clock: Clock;
  signal?: AbortSignal;
  /** attempts per request, the first included */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** no retry is scheduled past this instant (the --timeout deadline) */
  deadline?: number;
  random?: () => number;
  onRetry?: (err: ServiceError, delayMs: number, attempt: number) => void;
}

/**
 * Every request of a run goes through one Scheduler: it caps requests in flight, retries transient
 * faults with exponential backoff and jitter, and makes throttling slow the whole poller down:
 * a throttled answer halves the concurrency and holds every request until its Retry-After has passed;
 * successes win the concurrency back one step at a time. Neither the AWS SDK's nor undici's retry
 * can do that across requests, so both clients run with their own retries off and use this one.
 */
export class Scheduler {
  /** HTTP requests sent, retries included */
  requests = 0;
  private active = 0;
  private limit: number;
  private streak = 0;
  private pauseUntil = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;

  constructor(private readonly opts: SchedulerOptions) {
    this.limit = opts.concurrency;
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.baseDelayMs = opts.baseDelayMs ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 20_000;
    this.random = opts.random ?? Math.random;
  }

  /** The concurrency in force now (lower than asked for after throttling). */
  get concurrency(): number {
    return this.limit;
  }

  /**
   * Runs fn over items with at most `concurrency` in progress, results in order. Only that many requests (and their
   * SDK command objects) exist at once, so memory stays flat however many items a round has; run() still decides how
   * many of them are on the wire.
   */
  async map<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, items.length) }, worker));
    return results;
  }

  /** Runs one request, retrying transient ServiceErrors; throws the last error when it gives up. */
  async run<T>(attempt: () => Promise<T>): Promise<T> {
    const { clock, signal } = this.opts;
    for (let n = 1; ; n++) {
      await this.acquire();
      let failure: ServiceError;
      let delay: number;
      try {
        while (this.pauseUntil > clock.now() && !signal?.aborted) {
          await clock.sleep(this.pauseUntil - clock.now(), signal);
        }
        this.requests++;
        const value = await attempt();
        this.onSuccess();
        return value;
      } catch (err) {
        if (!(err instanceof ServiceError) || !err.opts.transient || signal?.aborted) throw err;
        failure = err;
        delay = this.delayFor(err, n);
        // Applied before the slot is released, so whatever the release wakes sees the pause and the lower limit.
        if (err.opts.throttled) this.onThrottle(delay);
      } finally {
        this.release();
      }
      const deadline = this.opts.deadline;
      if (n >= this.maxAttempts || (deadline !== undefined && clock.now() + delay > deadline)) throw failure;
      this.opts.onRetry?.(failure, delay, n);
      await clock.sleep(delay, signal);
      if (signal?.aborted) throw failure;
    }
  }

  private delayFor(err: ServiceError, attempt: number): number {
    if (err.opts.retryAfterMs !== undefined) return Math.min(err.opts.retryAfterMs, 10 * this.maxDelayMs);
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private onThrottle(delay: number): void {
    this.limit = Math.max(1, Math.ceil(this.limit / 2));
    this.streak = 0;
    this.pauseUntil = Math.max(this.pauseUntil, this.opts.clock.now() + delay);
  }

  private onSuccess(): void {
    if (this.limit >= this.opts.concurrency) return;
    if (++this.streak >= this.limit * 2) {
      this.limit++;
      this.streak = 0;
      this.wake();
    }
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

/** Splits a list into chunks of at most size items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
