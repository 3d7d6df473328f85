import type { Clock } from '../core/clock.js';
import type { ServiceName } from '../services/index.js';
import type { Fault, RateLimit } from './scenario.js';

/**
 * A service's request quota as a token bucket (scenario `rateLimit`): `rps` tokens a second up to `burst` (default one
 * second's worth), full at the start; a request that finds no token is throttled, and a throttled request takes none.
 * Decided as a request arrives, before any latency, as a real service decides.
 */
export class RateLimits {
  private readonly buckets = new Map<ServiceName, { limit: RateLimit; tokens: number; at: number; passed: number; refused: number; firstAt?: number; secondAt?: number; lastAt?: number }>();

  constructor(
    limits: Partial<Record<ServiceName, RateLimit>> | undefined,
    private readonly clock: Clock,
  ) {
    for (const [service, limit] of Object.entries(limits ?? {}) as Array<[ServiceName, RateLimit]>) {
      this.buckets.set(service, { limit, tokens: burstOf(limit), at: clock.now(), passed: 0, refused: 0 });
    }
  }

  /** The throttle fault for a request of this service that finds the bucket empty; undefined when it may pass. */
  take(service: ServiceName): Fault | undefined {
    const bucket = this.buckets.get(service);
    if (!bucket) return undefined;
    const now = this.clock.now();
    bucket.tokens = Math.min(burstOf(bucket.limit), bucket.tokens + ((now - bucket.at) * bucket.limit.rps) / 1000);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.passed++;
      if (bucket.passed === 2) bucket.secondAt = now;
      bucket.firstAt ??= now;
      bucket.lastAt = now;
      return undefined;
    }
    bucket.refused++;
    return { service, type: 'throttle', ...(bucket.limit.answer === 'quota' && { quota: true }) };
  }

  /** Per service with a rate limit: requests let through and refused, and when the first, second and last got through (ms). */
  toJSON(): Record<string, { passed: number; refused: number; firstAt?: number; secondAt?: number; lastAt?: number }> {
    return Object.fromEntries([...this.buckets].map(([service, { passed, refused, firstAt, secondAt, lastAt }]) => [service, { passed, refused, firstAt, secondAt, lastAt }]));
  }
}

const burstOf = (limit: RateLimit) => limit.burst ?? Math.max(1, limit.rps);
