import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ServiceError } from '../../src/core/errors.js';
import { BACK_OFF, DOUBLING_MS, formatRps, HALF_LIFE_MS, MIN_RPS, Pacer, PROBE_AFTER_MS, PROBE_GAIN, roundRps } from '../../src/core/pacer.js';
import { parseRate } from '../../src/core/options.js';
import { systemClock } from '../../src/core/clock.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { parseScenario } from '../../src/emulator/scenario.js';
import { DS, fakeClock, INDEX, KB, memoryIo, testAwsProcessEnv } from '../helpers.js';

// The pace (issue 16) and the one deadline (issue 15, section 3) with the fake clock: exact request and throttle counts
// against a deterministic token bucket, no timed assertions.

const throttling = () => new ServiceError('ThrottlingException', 'Rate exceeded', { transient: true, throttled: true, askAgain: true });

/** A service's quota as a token bucket on the fake clock: rps tokens a second up to burst, full at the start. */
function bucket(clock: { now(): number }, rps: number, burst = rps) {
  let tokens = burst;
  let at = clock.now();
  const passedAt: number[] = [];
  let refused = 0;
  return {
    passedAt,
    get refused() {
      return refused;
    },
    /** One request arrives now: through (true) or throttled. */
    take(): boolean {
      const now = clock.now();
      tokens = Math.min(burst, tokens + ((now - at) * rps) / 1000);
      at = now;
      if (tokens >= 1) {
        tokens -= 1;
        passedAt.push(now);
        return true;
      }
      refused++;
      return false;
    },
  };
}

/**
 * n requests through one Scheduler against a bucket, each answered after latencyMs of fake time (default none: on the
 * fake clock every sleep moves time for all, so requests in flight would stretch each other's latency).
 */
async function against(opts: { rps: number; burst?: number; n: number; concurrency: number; maxRps?: number; latencyMs?: number }) {
  const clock = fakeClock(0);
  const b = bucket(clock, opts.rps, opts.burst);
  const s = new Scheduler({ concurrency: opts.concurrency, clock, maxRps: opts.maxRps, maxAttempts: 5 });
  const results = await s.map(
    Array.from({ length: opts.n }, (_, i) => i),
    (i) =>
      s.run(async () => {
        s.sent();
        const through = b.take();
        await clock.sleep(opts.latencyMs ?? 0);
        if (!through) throw throttling();
        return i;
      }),
  );
  const span = (b.passedAt.at(-1)! - b.passedAt[0]!) / 1000;
  return { s, b, results, rate: (b.passedAt.length - 1) / span, clock };
}

describe('Pacer', () => {
  it('starts at the cap, backs off once per congestion, climbs back slower as it nears the rate throttled, probes past it only later and slowly', () => {
    const clock = fakeClock(0);
    const p = new Pacer({ clock, maxRps: 100 });
    expect(p.rate()).toBe(100);
    p.success(0);
    for (let i = 0; i < 3; i++) p.success(900);
    clock.sleep(1500);
    // the successes sent in the second before the throttled request (3) are fewer than the pace (100): that is the rate
    // that was throttled
    p.throttle(1400);
    expect(p.rate()).toBe(3 * BACK_OFF);
    // 15 more answers to requests sent before the back-off: counted, but the same congestion
    for (let i = 0; i < 15; i++) p.throttle(1450);
    expect(p.throttled).toBe(16);
    expect(p.rate()).toBe(3 * BACK_OFF);
    const at = (ms: number) => p.rate(1500 + ms);
    expect(at(HALF_LIFE_MS)).toBeCloseTo(3 - 0.75 / 2, 10);
    expect(at(2 * HALF_LIFE_MS)).toBeCloseTo(3 - 0.75 / 4, 10);
    // never past the rate throttled before PROBE_AFTER_MS ...
    for (let ms = 0; ms <= PROBE_AFTER_MS; ms += 100) expect(at(ms)).toBeLessThan(3);
    // ... then by PROBE_GAIN x seconds² of it
    expect(at(PROBE_AFTER_MS + 10_000)).toBeCloseTo(3 - 0.75 * 2 ** (-(PROBE_AFTER_MS + 10_000) / HALF_LIFE_MS) + 3 * PROBE_GAIN * 100, 10);
    // never more than twice the rate throttled, never past the cap
    expect(at(10 * 60_000)).toBe(6);
  });

  it('a throttle in the first second is a guess: from the back-off the rate doubles every second until the next throttle', () => {
    const clock = fakeClock(0);
    const p = new Pacer({ clock });
    expect(p.rate()).toBe(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 5; i++) p.success(i * 10);
    clock.sleep(60);
    p.throttle(50);
    expect(p.rate()).toBe(5 * BACK_OFF);
    // an answer still coming in, to a request sent before the throttled one, raises the guess
    p.success(45);
    expect(p.rate()).toBe(6 * BACK_OFF);
    expect(p.rate(60 + DOUBLING_MS)).toBe(12 * BACK_OFF);
    expect(p.rate(60 + 3 * DOUBLING_MS)).toBe(48 * BACK_OFF);
    // the next throttle, a second after the first success, measures: 2 successes sent in the second before it
    p.success(1100);
    p.success(1150);
    clock.sleep(1200 - 60);
    p.throttle(1190);
    expect(p.rate()).toBe(2 * BACK_OFF);
    expect(p.rate(1200 + PROBE_AFTER_MS)).toBeLessThan(2);
  });

  it('never goes past --max-rps, whatever it learns', () => {
    const clock = fakeClock(0);
    const p = new Pacer({ clock, maxRps: 2 });
    p.throttle(0);
    expect(p.rate()).toBe(1 * BACK_OFF); // no success yet: the rate throttled counts as 1/s
    expect(p.rate(60 * 60_000)).toBe(2);
  });

  it('backs off to no less than MIN_RPS', () => {
    const clock = fakeClock(0);
    const p = new Pacer({ clock });
    for (let i = 0; i < 100; i++) {
      p.throttle(clock.now());
      clock.sleep(1);
    }
    expect(p.rate()).toBeGreaterThanOrEqual(MIN_RPS);
    expect(p.rate()).toBeLessThan(MIN_RPS * 1.01);
  });
});

describe('pacing against a token bucket (fake clock)', () => {
  it('a known quota (4.5/s of 5/s): no request throttled, 0.9 of the quota used, from the first request', async () => {
    const { s, b, results, rate } = await against({ rps: 5, n: 90, concurrency: 16, maxRps: 4.5 });
    expect(results.every((r) => r?.ok)).toBe(true);
    expect(b.refused).toBe(0);
    expect(s.throttled).toBe(0);
    expect(s.requests).toBe(90);
    expect(rate).toBeCloseTo(4.5, 6);
  });

  it('--max-rps 2 against 5/s: 0 throttled, 2 requests a second', async () => {
    const { s, rate } = await against({ rps: 5, n: 40, concurrency: 4, maxRps: 2 });
    expect(s.throttled).toBe(0);
    expect(s.requests).toBe(40);
    expect(rate).toBeCloseTo(2, 6);
  });

  it.each([
    [5, 1, 400, 6],
    [5, 16, 400, 8],
    [20, 4, 1600, 11],
    [50, 4, 2000, 6],
  ])('no quota known, a bucket of %d/s, --concurrency %d, %d requests: learnt with %d throttled (at most 5 %), at least 0.9 of it used, nothing lost', async (rps, concurrency, n, throttled) => {
    const { s, b, results, rate } = await against({ rps, n, concurrency });
    expect(results.every((r) => r?.ok)).toBe(true);
    expect(s.throttled).toBe(throttled);
    expect(b.refused).toBe(throttled);
    expect(s.requests).toBe(n + throttled);
    expect(throttled / s.requests).toBeLessThanOrEqual(0.05);
    expect(rate / rps).toBeGreaterThanOrEqual(0.9);
  });

  it('a throttled request is asked again however many times it takes (attempt limits are for faults): 1,000 IDs at 5/s, --concurrency 16, none lost', async () => {
    // a bucket with no burst at all: the harshest first second
    const { s, results, b } = await against({ rps: 5, burst: 1, n: 100, concurrency: 16 });
    expect(results.filter((r) => !r?.ok)).toEqual([]);
    expect(b.passedAt).toHaveLength(100);
    expect(s.requests).toBe(100 + s.throttled);
  });

  it('a request throttled 10 times in a row still succeeds with maxAttempts 2; a fault does not', async () => {
    const clock = fakeClock(0);
    const s = new Scheduler({ concurrency: 1, clock, maxAttempts: 2, baseDelayMs: 1 });
    let n = 0;
    await expect(
      s.run(async () => {
        if (++n <= 10) throw throttling();
        return 'ok';
      }),
    ).resolves.toBe('ok');
    expect(n).toBe(11);
    expect(s.throttled).toBe(10);
    let m = 0;
    await expect(
      s.run(async () => {
        m++;
        throw new ServiceError('InternalServerException', 'boom', { transient: true });
      }),
    ).rejects.toMatchObject({ code: 'InternalServerException' });
    expect(m).toBe(2);
  });
});

describe('one deadline (fake clock)', () => {
  it('throttled until the deadline: the request ends at the deadline, with its fault', async () => {
    const clock = fakeClock(0);
    let ended = false;
    const s = new Scheduler({ concurrency: 1, clock, deadline: 5000, onDeadline: () => (ended = true) });
    let n = 0;
    const err = await s
      .run(async () => {
        n++;
        throw throttling();
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ThrottlingException' });
    expect(clock.now()).toBe(5000);
    expect(ended).toBe(true);
    expect(s.throttled).toBe(n);
  });

  it('a Retry-After past the deadline: that request gives up at once; one waiting behind the pause ends at the deadline, unsent', async () => {
    const clock = fakeClock(0);
    const s = new Scheduler({ concurrency: 1, clock, deadline: 5000 });
    const retryAfter = new ServiceError('ThrottlingException', 'slow', { transient: true, throttled: true, retryAfterMs: 30_000 });
    await expect(s.run(async () => Promise.reject(retryAfter))).rejects.toBe(retryAfter);
    expect(clock.now()).toBe(0);
    let sent = 0;
    await expect(s.run(async () => sent++)).rejects.toMatchObject({ code: 'Stopped' });
    expect(sent).toBe(0);
    expect(clock.now()).toBe(5000);
  });
});

describe('--timeout bounds a one pass (issue 15, 3)', () => {
  let emulator: Emulator | undefined;
  testAwsProcessEnv();
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  const kendra = (retryAfter: number, ids: string[]) =>
    startEmulator({
      kendra: { indexes: { [INDEX]: { documents: Object.fromEntries(ids.map((id) => [id, [{ status: 'INDEXED' }]])) } } },
      faults: [{ service: 'kendra', type: 'throttle', retryAfter }],
    });

  it('429-style throttling with Retry-After: 30 and --timeout 5s: one request, ends at once (it ran 120 s of retries)', async () => {
    emulator = await kendra(30, ['a']);
    const clock = fakeClock(0);
    const { io, stdout, stderr } = memoryIo({ clock });
    const code = await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', 'a', '--timeout', '5s'], io);
    expect(code).toBe(4);
    expect(JSON.parse(stdout())).toEqual({
      service: 'kendra',
      target: { indexId: INDEX },
      outcome: 'error',
      complete: false,
      summary: { total: 1, succeeded: 0, failed: 0, pending: 0, error: 1, byStatus: {} },
      documents: [{ id: 'a', state: 'error', errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' }],
      stats: { rounds: 1, requests: 1, elapsedMs: 0, throttled: 1, maxRps: 0.75 },
    });
    expect(stderr()).toBe('docstatus: document a could not be read: ThrottlingException: Rate exceeded\n');
    expect(emulator.requests).toHaveLength(1);
  });

  it('Retry-After: 3 and --timeout 5s, two chunks at --concurrency 1: the first in error after 2 tries, the second never asked (pending), at exactly 5 s', async () => {
    const ids = Array.from({ length: 11 }, (_, i) => `d${i}`);
    emulator = await kendra(3, ids);
    const clock = fakeClock(0);
    const { io, stdout, stderr } = memoryIo({ clock });
    const code = await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', ...ids, '--timeout', '5s', '--concurrency', '1'], io);
    expect(code).toBe(4);
    const out = JSON.parse(stdout());
    expect(out.summary).toEqual({ total: 11, succeeded: 0, failed: 0, pending: 1, error: 10, byStatus: {} });
    expect(out.documents.at(-1)).toEqual({ id: 'd10', state: 'pending' });
    // no success yet, so each throttle is a guess (1/s): back to 0.75/s at 3 s, doubling every second to 3/s at 5 s
    expect(out.stats).toEqual({ rounds: 1, requests: 2, elapsedMs: 5000, throttled: 2, maxRps: 3 });
    expect(stderr()).toBe('docstatus: warning: --timeout 5s passed with 1 document(s) pending\ndocstatus: 10 documents (the first: d0) could not be read: ThrottlingException: Rate exceeded\n');
    expect(emulator.requests).toHaveLength(2);
  });

  it('--verbose: a throttle without Retry-After is retried at its turn of the pace', async () => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } }, faults: [{ service: 'kendra', type: 'throttle', requests: [1] }] });
    const { io, stderr } = memoryIo({ clock: fakeClock(0) });
    expect(await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', 'a', '--verbose'], io)).toBe(0);
    expect(stderr()).toContain('retry 1 at its turn of the pace: ThrottlingException (HTTP 400)\n');
  });

  it('--verbose says when the pace changes', async () => {
    emulator = await kendra(3, ['a']);
    const clock = fakeClock(0);
    const { io, stderr } = memoryIo({ clock });
    expect(await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', 'a', '--timeout', '5s', '--verbose'], io)).toBe(4);
    const pace = stderr()
      .split('\n')
      .filter((l) => l.includes('pace:'));
    // (no success yet, so both are guesses: no "back at" line while the rate doubles from one)
    expect(pace).toEqual(['pace: throttled at 1/s (unpaced): now 0.75/s', 'pace: throttled at 1/s: now 0.75/s']);
  });

  it('the default --timeout (30m) bounds a one pass too: throttled for ever, its last try is the last one that fits in 30 minutes', async () => {
    emulator = await kendra(60, ['a']);
    const clock = fakeClock(0);
    const { io, stdout } = memoryIo({ clock });
    const code = await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', 'a', 'b', '--concurrency', '1'], io);
    expect(code).toBe(4);
    const out = JSON.parse(stdout());
    expect(out.stats.elapsedMs).toBe(29 * 60_000);
    expect(out.stats.requests).toBe(30);
    expect(out.documents).toEqual([
      { id: 'a', state: 'error', errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' },
      { id: 'b', state: 'error', errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' },
    ]);
  });
});

// Real time here (a few seconds): on one fake clock shared with the emulator, a pace's sleep moves the emulator's time
// while a request is still on its way, so the bucket would see requests arrive later than they were sent.
describe('the whole run against the emulator\'s rate limit', () => {
  let emulator: Emulator | undefined;
  testAwsProcessEnv();
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('Kendra: 1,000 IDs at 25/s with --concurrency 16, no quota known: no document lost, every throttle counted on both sides', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `doc-${i}`);
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { generate: { count: 1000, prefix: 'doc-', timeline: [{ status: 'INDEXED' }] } } } }, rateLimit: { kendra: { rps: 25, burst: 5 } } });
    const { io, stdout, stderr } = memoryIo({ clock: systemClock, stdin: ids.join('\n') });
    const code = await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', '--concurrency', '16'], io);
    expect(stderr()).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout());
    expect(out.summary).toEqual({ total: 1000, succeeded: 1000, failed: 0, pending: 0, error: 0, byStatus: { INDEXED: 1000 } });
    const refused = emulator.requests.filter((r) => r.status === 400).length;
    expect(refused).toBeGreaterThan(0);
    expect(out.stats.throttled).toBe(refused);
    expect(out.stats.requests).toBe(100 + refused);
    expect(emulator.requests).toHaveLength(100 + refused);
  }, 30_000);

  it('Bedrock: 402 ServiceQuotaExceededException is throttling, asked again (the SDK does not): none lost, both sides count the same', async () => {
    const documents = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`d${i}`, [{ status: 'INDEXED' }]]));
    emulator = await startEmulator({
      'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents } } } } },
      rateLimit: { 'bedrock-kb': { rps: 2, burst: 1, answer: 'quota' } },
    });
    const { io, stdout, stderr } = memoryIo({ clock: systemClock, stdin: Object.keys(documents).join('\n') });
    const code = await main(['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--region', 'eu-west-1', '--concurrency', '16', '--endpoint-url', emulator.url], io);
    expect(stderr()).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout());
    expect(out.summary.succeeded).toBe(50);
    const refused = emulator.requests.filter((r) => r.status === 402).length;
    expect(refused).toBeGreaterThan(0);
    expect(out.stats.throttled).toBe(refused);
    expect(out.stats.requests).toBe(5 + refused);
  }, 30_000);

  it('Bedrock: the default pace (4.5/s) is never refused by a fresh 5/s bucket', async () => {
    const documents = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`d${i}`, [{ status: 'INDEXED' }]]));
    emulator = await startEmulator({
      'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents } } } } },
      // a burst of 2: unpaced, 16 at once would be refused; paced, a turn taken a little late is not
      rateLimit: { 'bedrock-kb': { rps: 5, burst: 2, answer: 'quota' } },
    });
    const { io, stdout } = memoryIo({ clock: systemClock, stdin: Object.keys(documents).join('\n') });
    expect(await main(['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--region', 'eu-west-1', '--concurrency', '16', '--endpoint-url', emulator.url], io)).toBe(0);
    expect(JSON.parse(stdout()).stats).toMatchObject({ requests: 10, throttled: 0, maxRps: 4.5 });
    expect(emulator.requests.map((r) => r.status)).toEqual(Array(10).fill(200));
  }, 30_000);
});

describe('--max-rps is checked before any request', () => {
  testAwsProcessEnv();
  it.each(['0', '-1', 'abc', '', 'Infinity', '-Infinity', 'NaN', '5/s', '0.0', '0e5', '.', 'e5', '1e', '0x10', '1e400', '-.5', '1_000', ' '])('--max-rps %j: exit 2, one line', async (value) => {
    const { io, stdout, stderr } = memoryIo();
    const code = await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', 'http://127.0.0.1:9', '--region', 'eu-west-1', 'a', '--max-rps', value], io);
    expect(code).toBe(2);
    expect(stdout()).toBe('');
    expect(stderr()).toBe(`docstatus: --max-rps: '${value}' is not a positive number\n`);
  });

  it.each([
    ['.5', 0.5],
    ['5.', 5],
    ['1e9', 1e9],
    ['1.5e2', 150],
    ['2E-1', 0.2],
    ['+3', 3],
    [' 4.5 ', 4.5],
  ])('--max-rps %j is taken as %d', async (value, rps) => {
    expect(parseRate(value, '--max-rps')).toBe(rps);
  });

  it('a pace below 1 is reported with two significant digits, never as 0 (stats.maxRps and --verbose)', () => {
    expect(roundRps(0.0001)).toBe(0.0001);
    expect(roundRps(0.00456)).toBe(0.0046);
    expect(roundRps(0.784)).toBe(0.78);
    expect(roundRps(4.5)).toBe(4.5);
    expect(roundRps(12.345)).toBe(12.35);
    expect(formatRps(0.0001)).toBe('0.0001/s');
  });

  it('--max-rps 0.0001: stats.maxRps is 0.0001, not 0', async () => {
    const clock = fakeClock(0);
    const e = await startEmulator({ kendra: { indexes: { [INDEX]: {} } } });
    try {
      const { io, stdout, stderr } = memoryIo({ clock });
      expect(await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, '--region', 'eu-west-1', 'x', '--max-rps', '0.0001'], io)).toBe(3);
      expect(stderr()).toBe('');
      expect(JSON.parse(stdout()).stats).toEqual({ rounds: 1, requests: 1, elapsedMs: 0, throttled: 0, maxRps: 0.0001 });
    } finally {
      await e.close();
    }
  });

  it('takes a fraction: 0.5 is one request every 2 s', async () => {
    const clock = fakeClock(0);
    const e = await startEmulator({ kendra: { indexes: { [INDEX]: {} } } });
    try {
      const ids = Array.from({ length: 30 }, (_, i) => `x${i}`);
      const { io, stdout, stderr } = memoryIo({ clock });
      expect(await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, '--region', 'eu-west-1', ...ids, '--max-rps', '0.5'], io)).toBe(3);
      expect(stderr()).toBe('');
      expect(JSON.parse(stdout()).stats).toEqual({ rounds: 1, requests: 3, elapsedMs: 4000, throttled: 0, maxRps: 0.5 });
    } finally {
      await e.close();
    }
  });
});

describe('the emulator\'s rateLimit is checked at load', () => {
  it.each([
    ['{"rateLimit": []}', 's.json: rateLimit: [] is not an object'],
    ['{"rateLimit": {"kendr": {"rps": 5}}}', 's.json: rateLimit: unknown key "kendr" (rateLimit has kendra, translator, bedrock-kb)'],
    ['{"rateLimit": {"kendra": 5}}', 's.json: rateLimit.kendra: 5 is not an object'],
    ['{"rateLimit": {"kendra": {"rps": 0}}}', 's.json: rateLimit.kendra.rps: 0 is not a number from 0.001 to 1000000'],
    ['{"rateLimit": {"kendra": {"rps": "5"}}}', 's.json: rateLimit.kendra.rps: "5" is not a number from 0.001 to 1000000'],
    ['{"rateLimit": {"kendra": {"rps": 5, "burst": 0.5}}}', 's.json: rateLimit.kendra.burst: 0.5 is not a number from 1 to 1000000'],
    ['{"rateLimit": {"kendra": {"rps": 5, "rate": 1}}}', 's.json: rateLimit.kendra: unknown key "rate" (a rate limit has rps, burst, answer)'],
    ['{"rateLimit": {"kendra": {"burst": 5}}}', 's.json: rateLimit.kendra.rps: missing'],
    ['{"rateLimit": {"kendra": {"rps": 5, "answer": "quota"}}}', 's.json: rateLimit.kendra.answer: "quota" is Bedrock\'s (402 ServiceQuotaExceededException)'],
    ['{"rateLimit": {"bedrock-kb": {"rps": 5, "answer": "402"}}}', 's.json: rateLimit.bedrock-kb.answer: "402" is not one of throttle, quota'],
  ])('%s', (text, message) => {
    expect(() => parseScenario(text, 's.json')).toThrow(message);
  });

  it('a good one loads', () => {
    expect(parseScenario('{"rateLimit": {"kendra": {"rps": 5}, "bedrock-kb": {"rps": 0.5, "burst": 2, "answer": "quota"}}}', 's.json').rateLimit).toEqual({
      kendra: { rps: 5 },
      'bedrock-kb': { rps: 0.5, burst: 2, answer: 'quota' },
    });
  });
});
