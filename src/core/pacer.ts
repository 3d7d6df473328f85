import type { Clock } from './clock.js';

/** A back-off multiplies the rate that was throttled by this. */
export const BACK_OFF = 0.75;
/** After a back-off, the rate closes half of its gap to the rate that was throttled every this long (slower as it nears it). */
export const HALF_LIFE_MS = 2_000;
/** Only this long after a back-off does the rate go past the rate that was throttled ... */
export const PROBE_AFTER_MS = 8_000;
/** ... and then slowly at first: by this share of that rate times the square of the seconds since (0.1 % after 1 s, 10 % after 10 s). */
export const PROBE_GAIN = 0.001;
/** While the rate throttled is only a guess (the run's first second), the rate doubles every this long until the next throttle. */
export const DOUBLING_MS = 1_000;
/** The slowest pace: one request every 10 s (a service that throttles everything still hears from the run). */
export const MIN_RPS = 0.1;
/** A throttle sets the rate that was throttled from the successes sent in the window before the throttled request (at most the pace). */
const WINDOW_MS = 1_000;
/** Send times of successes are kept this long (an answer may come long after its request was sent). */
const KEEP_MS = 60_000;

export interface PacerOptions {
  clock: Clock;
  /** the hard cap and the starting pace (--max-rps, or 90 % of the service's published quota); none: unpaced until throttled */
  maxRps?: number;
  /** the run's signal: every wait ends when it aborts */
  signal?: AbortSignal;
  /** no request is let go past this instant (the --timeout deadline); reaching it calls onDeadline */
  deadline?: number;
  onDeadline?: () => void;
  /** a change of pace worth a --verbose line */
  onChange?: (message: string) => void;
}

/**
 * A rate as stats.maxRps reports it: two decimals, below 1 two significant digits (4.5, 0.78, 0.0001), so that a pace
 * is never reported as 0.
 */
export const roundRps = (rps: number) => (rps < 1 ? Number(rps.toPrecision(2)) : Math.round(rps * 100) / 100);

/** A rate as people read it: 4.5, 12.3, 0.1, 0.0001. */
export const formatRps = (rps: number) => `${rps < 10 ? roundRps(rps) : Number(rps.toFixed(1))}/s`;

/**
 * The run's one estimate of the service's rate limit, shared by every request (README "Pacing"): a token bucket of one
 * token whose fill rate is learnt. A throttle multiplies the rate by BACK_OFF (once per congestion: answers to requests
 * sent before the back-off say nothing new); the rate then climbs back towards the rate that was throttled, closing
 * half the gap every HALF_LIFE_MS, and goes past it only after PROBE_AFTER_MS, slowly at first. The rate that was
 * throttled is the pace, or the successes of the last second when fewer (unpaced, or a cap far above the service's
 * limit: a run that starts at 1000/s against a 20/s quota learns 20/s at its first throttle, not 750/s).
 * Without --max-rps or a known quota it starts unpaced. A throttle in the run's first second (fewer than WINDOW_MS of
 * successes to count) gives only a guess, since the service's burst allowance may have served most of them: from that
 * back-off the rate doubles every DOUBLING_MS (a slow start) until the next throttle measures it.
 */
export class Pacer {
  private throttledCount = 0;
  /** the last rate that was throttled; undefined until a throttle */
  private ceiling: number | undefined;
  /** the rate right after the last back-off */
  private low = 0;
  private backedOffAt = Number.NEGATIVE_INFINITY;
  /** when the last token was taken (a time on the clock, or -Infinity) */
  private lastAt = Number.NEGATIVE_INFINITY;
  private readonly queue: Array<(go: boolean) => void> = [];
  private pumping = false;
  /** send times of the successes of the last KEEP_MS, from `first` on */
  private readonly accepted: number[] = [];
  private first = 0;
  /** the pace at the last back-off, the end of its window (the throttled request's send time) and the successes sent
   * in that window (answers still coming in count) */
  private paceAtBackOff = Number.POSITIVE_INFINITY;
  private windowEnd = Number.NEGATIVE_INFINITY;
  private countAtBackOff = 0;
  private climbedBack = true;
  /** the rate throttled is a guess (see above) */
  private guess = false;
  /** send time of the run's first success */
  private firstSuccessAt = Number.POSITIVE_INFINITY;

  constructor(private readonly opts: PacerOptions) {}

  /** Throttling answers received. */
  get throttled(): number {
    return this.throttledCount;
  }

  /** Requests a second allowed now; Infinity while unpaced. */
  rate(now = this.opts.clock.now()): number {
    const cap = this.opts.maxRps ?? Number.POSITIVE_INFINITY;
    const ceiling = this.ceiling;
    if (ceiling === undefined) return cap;
    const t = now - this.backedOffAt;
    if (this.guess) return Math.min(cap, this.low * 2 ** (t / DOUBLING_MS), this.low * 1024);
    const approach = ceiling - (ceiling - this.low) * 2 ** (-t / HALF_LIFE_MS);
    const s = Math.max(0, t - PROBE_AFTER_MS) / 1000;
    return Math.min(cap, approach + ceiling * PROBE_GAIN * s * s, ceiling * 2);
  }

  /**
   * Waits for this request's turn. True: send it now. False: the run stopped, or the deadline comes before its turn
   * (onDeadline has then been called, at the deadline).
   */
  take(): Promise<boolean> {
    if (this.opts.signal?.aborted) return Promise.resolve(false);
    if (this.queue.length === 0 && this.dueIn(this.opts.clock.now()) <= 0) {
      this.release(this.opts.clock.now());
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      this.queue.push(resolve);
      void this.pump();
    });
  }

  /** A request sent at sentAt was answered (not throttled). */
  success(sentAt: number): void {
    this.firstSuccessAt = Math.min(this.firstSuccessAt, sentAt);
    this.accepted.push(sentAt);
    this.forget(this.opts.clock.now());
    // An answer to a request sent before the last back-off, in its window: the rate that was throttled was higher.
    if (this.ceiling !== undefined && sentAt <= this.windowEnd && sentAt >= this.windowEnd - WINDOW_MS) {
      this.countAtBackOff++;
      const at = Math.min(this.paceAtBackOff, this.countAtBackOff);
      if (at > this.ceiling) this.setCeiling(at);
    }
  }

  private setCeiling(at: number): void {
    this.ceiling = at;
    this.low = Math.max(MIN_RPS, at * BACK_OFF);
  }

  /** Successes sent in the WINDOW_MS up to end. */
  private sentIn(end: number): number {
    let n = 0;
    for (let i = this.first; i < this.accepted.length; i++) {
      const t = this.accepted[i]!;
      if (t >= end - WINDOW_MS && t <= end) n++;
    }
    return n;
  }

  private forget(now: number): void {
    while (this.first < this.accepted.length && this.accepted[this.first]! < now - KEEP_MS) this.first++;
    if (this.first > 1024 && this.first * 2 > this.accepted.length) {
      this.accepted.splice(0, this.first);
      this.first = 0;
    }
  }

  /** A request sent at sentAt got a throttling answer. */
  throttle(sentAt: number): void {
    this.throttledCount++;
    if (sentAt <= this.backedOffAt) return;
    const now = this.opts.clock.now();
    const current = this.rate(now);
    this.forget(now);
    this.windowEnd = sentAt;
    this.countAtBackOff = this.sentIn(sentAt);
    this.paceAtBackOff = current;
    const at = Math.min(current, Math.max(1, this.countAtBackOff));
    this.guess = at < current && this.firstSuccessAt > sentAt - WINDOW_MS;
    this.setCeiling(at);
    this.backedOffAt = now;
    this.climbedBack = false;
    this.opts.onChange?.(`pace: throttled at ${current === Number.POSITIVE_INFINITY ? `${formatRps(at)} (unpaced)` : formatRps(at)}: now ${formatRps(this.low)}`);
  }

  /** Ms until the next token at the current rate (0 or less: now). */
  private dueIn(now: number): number {
    const rate = this.rate(now);
    if (rate === Number.POSITIVE_INFINITY) return 0;
    return this.lastAt + 1000 / rate - now;
  }

  private release(now: number): void {
    const rate = this.rate(now);
    const interval = rate === Number.POSITIVE_INFINITY ? 0 : 1000 / rate;
    const due = this.lastAt + interval;
    // A timer that fires a little late does not slow the pace down; an idle spell is no credit for a burst.
    this.lastAt = now - due < interval / 2 ? due : now;
    if (!this.climbedBack && !this.guess && this.ceiling !== undefined && rate >= this.ceiling * 0.99) {
      this.climbedBack = true;
      this.opts.onChange?.(`pace: back at ${formatRps(rate)}, the rate last throttled; going past it slowly`);
    }
  }

  /** Lets the queued requests go one at a time, each at its turn; one pump at a time, so one timer. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const { clock, signal, deadline } = this.opts;
    try {
      while (this.queue.length > 0) {
        if (signal?.aborted) break;
        const now = clock.now();
        const wait = this.dueIn(now);
        if (wait <= 0) {
          this.release(now);
          this.queue.shift()!(true);
          continue;
        }
        if (deadline !== undefined && now + wait > deadline) {
          // No turn before the deadline: the run ends at it, not later and not sooner.
          await clock.sleep(deadline - now, signal);
          if (!signal?.aborted) this.opts.onDeadline?.();
          break;
        }
        // The rate may change during the wait (a throttle, the climb): the next pass looks again.
        await clock.sleep(Math.min(wait, 1000), signal);
      }
    } finally {
      this.pumping = false;
      if (signal?.aborted || (deadline !== undefined && clock.now() >= deadline)) for (const go of this.queue.splice(0)) go(false);
    }
  }
}

/** A request quota a service publishes for the operations a command calls (kept in the service's folder, as data). */
export interface Quota {
  /** requests a second */
  rps: number;
  /** the quota in words, for --verbose */
  what: string;
  /** where the figure comes from */
  source: string;
}

/** The share of a published quota a run uses by default: the rest is the headroom of the account's other callers. */
export const QUOTA_SHARE = 0.9;
