import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/core/errors.js';
import { poll, type RoundContext, type Source } from '../../src/core/poll.js';
import { buildResult } from '../../src/core/result.js';
import { Scheduler } from '../../src/core/scheduler.js';
import type { DocumentReport } from '../../src/core/result.js';
import { fakeClock } from '../helpers.js';

/** A source whose documents become final after a set number of rounds; records what each round asked. */
function scripted(finishAfter: Record<string, { rounds: number; state?: 'succeeded' | 'failed' }>) {
  const asked: string[][] = [];
  const source: Source = {
    ids: Object.keys(finishAfter),
    async round(ctx: RoundContext) {
      asked.push([...ctx.pending]);
      for (const id of ctx.pending) {
        const plan = finishAfter[id]!;
        const done = asked.length >= plan.rounds;
        const doc: DocumentReport = done
          ? { id, status: plan.state === 'failed' ? 'FAILED' : 'INDEXED', state: plan.state ?? 'succeeded' }
          : { id, status: 'PROCESSING', state: 'pending' };
        await ctx.scheduler.run(async () => undefined);
        ctx.report(doc);
      }
    },
  };
  return { source, asked };
}

const options = (clock = fakeClock(), extra: Partial<Parameters<typeof poll>[1]> = {}) => ({
  wait: true,
  intervalMs: 5000,
  timeoutMs: 30 * 60_000,
  failFast: false,
  clock,
  signal: new AbortController().signal,
  stop: new AbortController(),
  scheduler: new Scheduler({ concurrency: 4, clock }),
  ...extra,
});

describe('poll', () => {
  it('asks each round only for documents that are not final', async () => {
    const { source, asked } = scripted({ a: { rounds: 1 }, b: { rounds: 3 }, c: { rounds: 2, state: 'failed' } });
    const clock = fakeClock();
    const run = await poll(source, options(clock));
    expect(asked).toEqual([['a', 'b', 'c'], ['b', 'c'], ['b']]);
    expect(run.rounds).toBe(3);
    expect(run.documents.map((d) => [d.id, d.state])).toEqual([
      ['a', 'succeeded'],
      ['b', 'succeeded'],
      ['c', 'failed'],
    ]);
    expect(clock.sleeps).toEqual([5000, 5000]);
    expect(run.elapsedMs).toBe(10_000);
    expect(run.timedOut).toBe(false);
  });

  it('asks once without --wait', async () => {
    const { source, asked } = scripted({ a: { rounds: 5 } });
    const run = await poll(source, options(fakeClock(), { wait: false }));
    expect(asked).toEqual([['a']]);
    expect(run.documents).toEqual([{ id: 'a', status: 'PROCESSING', state: 'pending' }]);
  });

  it('gives up at the deadline: a 30-minute timeout in microseconds', async () => {
    const { source, asked } = scripted({ a: { rounds: 1_000_000 } });
    const clock = fakeClock();
    const run = await poll(source, options(clock));
    expect(run.timedOut).toBe(true);
    expect(run.elapsedMs).toBe(30 * 60_000);
    // rounds at 0, 5s, ..., 29m55s: the last sleep ends exactly at the deadline, and no round starts there (the
    // deadline timer would cut it off at once)
    expect(asked.length).toBe(360);
  });

  it('a request given up because its Retry-After runs past the deadline keeps an earlier answer; a document never answered is in error', async () => {
    // `throttledIn` is the round whose request is throttled with Retry-After: 5 s (round 3 starts 0.5 s before the deadline)
    const runWith = async (throttledIn: number) => {
      const clock = fakeClock(0);
      const stop = new AbortController();
      let round = 0;
      const source: Source = {
        ids: ['p'],
        async round(ctx) {
          round++;
          try {
            await ctx.scheduler.run(async () => {
              if (round === throttledIn) throw new ServiceError('ThrottlingException', 'Rate exceeded', { transient: true, throttled: true, askAgain: true, retryAfterMs: 5000 });
            });
            ctx.report({ id: 'p', status: 'PROCESSING', state: 'pending' });
          } catch (err) {
            ctx.fail('p', err);
          }
        },
      };
      const scheduler = new Scheduler({ concurrency: 1, clock, deadline: 2500, onDeadline: () => stop.abort('timeout') });
      return { run: await poll(source, options(clock, { intervalMs: 1000, timeoutMs: 2500, stop, scheduler })), clock };
    };
    const answered = await runWith(3);
    expect(answered.run.documents).toEqual([{ id: 'p', status: 'PROCESSING', state: 'pending' }]);
    expect(answered.run).toMatchObject({ rounds: 3, timedOut: true, elapsedMs: 2500 });
    expect(answered.clock.sleeps).toEqual([1000, 1000, 500]);
    const never = await runWith(1);
    expect(never.run.documents).toEqual([{ id: 'p', state: 'error', errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' }]);
    expect(never.run).toMatchObject({ timedOut: true, elapsedMs: 2500 });
  });

  it('stops at the first failure with --fail-fast', async () => {
    const { source, asked } = scripted({ a: { rounds: 2, state: 'failed' }, b: { rounds: 10 } });
    const run = await poll(source, options(fakeClock(), { failFast: true }));
    expect(asked.length).toBe(2);
    expect(run.documents.find((d) => d.id === 'b')!.state).toBe('pending');
    expect(run).toMatchObject({ failedFast: true, timedOut: false });
    // without the flag the same failure stops nothing, and the run says so
    const all = await poll(scripted({ a: { rounds: 2, state: 'failed' }, b: { rounds: 3 } }).source, options(fakeClock(), { failFast: false }));
    expect(all).toMatchObject({ failedFast: false, timedOut: false });
  });

  it('reports first sightings and status changes only', async () => {
    const { source } = scripted({ a: { rounds: 3 }, b: { rounds: 1 } });
    const changes: string[] = [];
    await poll(source, options(fakeClock(), { onChange: (d) => changes.push(`${d.id}:${d.status}`) }));
    expect(changes).toEqual(['a:PROCESSING', 'b:INDEXED', 'a:INDEXED']);
  });

  it('reports progress after every report: final, failed and error counts, and the time of the last change', async () => {
    const clock = fakeClock(0);
    const answers: Record<string, DocumentReport[]> = {
      a: [{ id: 'a', state: 'error', errorCode: 'InternalError', errorMessage: 'x' }, { id: 'a', status: 'INDEXED', state: 'succeeded' }],
      b: [{ id: 'b', status: 'PROCESSING', state: 'pending' }, { id: 'b', status: 'PROCESSING', state: 'pending' }, { id: 'b', status: 'FAILED', state: 'failed' }],
    };
    let round = 0;
    const source: Source = {
      ids: ['a', 'b'],
      async round(ctx) {
        for (const id of ctx.pending) ctx.report(answers[id]![round]!);
        round++;
      },
    };
    const seen: string[] = [];
    await poll(source, options(clock, { onProgress: (p) => seen.push(`${p.final}/${p.total} f${p.failed} e${p.error} @${p.lastChangeAt}`) }));
    expect(seen).toEqual([
      // at 0: a in error, b pending
      '0/2 f0 e1 @0',
      '0/2 f0 e1 @0',
      // at 5s: a succeeded; b as it was (no change)
      '1/2 f0 e0 @5000',
      '1/2 f0 e0 @5000',
      // at 10s: b failed
      '2/2 f1 e0 @10000',
    ]);
  });

  it('stops after the current round when the signal aborts', async () => {
    const controller = new AbortController();
    const { source, asked } = scripted({ a: { rounds: 100 } });
    const run = await poll(source, {
      ...options(),
      signal: controller.signal,
      onChange: () => controller.abort('SIGINT'),
    });
    expect(asked.length).toBe(1);
    expect(run.documents[0]!.state).toBe('pending');
  });

  it('re-asks errors only when they are worth asking again', async () => {
    let round = 0;
    const asked: string[][] = [];
    const source: Source = {
      ids: ['transient', 'permanent'],
      async round(ctx) {
        round++;
        asked.push([...ctx.pending]);
        if (ctx.pending.includes('permanent')) ctx.report({ id: 'permanent', state: 'error', errorCode: 'InvalidRequest' }, false);
        ctx.report(round < 3 ? { id: 'transient', state: 'error', errorCode: 'InternalError' } : { id: 'transient', status: 'INDEXED', state: 'succeeded' }, true);
      },
    };
    const run = await poll(source, options());
    expect(asked).toEqual([['transient', 'permanent'], ['transient'], ['transient']]);
    const clock = fakeClock();
    const result = buildResult('kendra', { indexId: 'x' }, run, new Scheduler({ concurrency: 1, clock }), false);
    expect(result.outcome).toBe('error');
    expect(result.complete).toBe(false);
    expect(result.summary).toEqual({ total: 2, succeeded: 1, failed: 0, pending: 0, error: 1, byStatus: { INDEXED: 1 } });
  });
});

describe('poll: how a run ends', () => {
  it('a permanent fault ends the run at once: one run-level error, no further round, unasked documents carry it', async () => {
    const stop = new AbortController();
    const clock = fakeClock();
    const asked: string[][] = [];
    const denied = new ServiceError('AccessDeniedException', 'not authorized', { permanent: true });
    const source: Source = {
      ids: ['a', 'b', 'c'],
      async round(ctx) {
        asked.push([...ctx.pending]);
        ctx.report({ id: 'a', status: 'PROCESSING', state: 'pending' });
        ctx.fail('b', denied);
        ctx.fail('c', denied);
      },
    };
    const run = await poll(source, options(clock, { stop, signal: stop.signal }));
    expect(asked).toEqual([['a', 'b', 'c']]);
    expect(stop.signal.reason).toBe('fatal');
    expect(run.errors).toEqual([{ code: 'AccessDeniedException', message: 'not authorized' }]);
    expect(run.documents).toEqual([
      { id: 'a', status: 'PROCESSING', state: 'pending' },
      { id: 'b', state: 'error', errorCode: 'AccessDeniedException', errorMessage: 'not authorized' },
      { id: 'c', state: 'error', errorCode: 'AccessDeniedException', errorMessage: 'not authorized' },
    ]);
    expect(clock.sleeps).toEqual([]);
  });

  it('ctx.fatal from a source with no document to blame (a listing) is a run error and ends the run', async () => {
    const stop = new AbortController();
    const source: Source = {
      async round(ctx) {
        ctx.fatal(new ServiceError('ResourceNotFound', 'Batch id not found.', { permanent: true }));
      },
      finished: () => false,
    };
    const run = await poll(source, options(fakeClock(), { stop, signal: stop.signal }));
    expect(run).toMatchObject({ rounds: 1, errors: [{ code: 'ResourceNotFound', message: 'Batch id not found.' }], finished: false, documents: [] });
  });

  it('the --timeout deadline cuts off a round that never ends (real time), as a timeout', async () => {
    const stop = new AbortController();
    const source: Source = {
      ids: ['a'],
      round: (ctx) => new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve())),
    };
    const started = Date.now();
    const run = await poll(source, options(fakeClock(), { stop, signal: stop.signal, timeoutMs: 50 }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run).toMatchObject({ timedOut: true, documents: [{ id: 'a', state: 'pending' }] });
  });

  it('a result whose source never learnt its documents is never a success', () => {
    const run = { documents: [], rounds: 1, elapsedMs: 0, timedOut: false, failedFast: false, errors: [], finished: false };
    const result = buildResult('translation-documents', { batchId: 'b' }, run, new Scheduler({ concurrency: 1, clock: fakeClock() }), true);
    expect(result).toMatchObject({ outcome: 'pending', complete: false, summary: { total: 0 } });
  });
});

/** Runs one request through the scheduler that always fails with `err`; resolves with how often it was attempted. */
async function attemptsUntilGivenUp(s: Scheduler, err: ServiceError): Promise<number> {
  let calls = 0;
  await expect(
    s.run(async () => {
      calls++;
      s.sent();
      throw err;
    }),
  ).rejects.toBe(err);
  return calls;
}

describe('Scheduler', () => {
  it('retries transient errors with backoff, and gives up after maxAttempts', async () => {
    const clock = fakeClock();
    const s = new Scheduler({ concurrency: 2, clock, maxAttempts: 3, baseDelayMs: 100, random: () => 1 });
    expect(await attemptsUntilGivenUp(s, new ServiceError('InternalServerException', 'boom', { transient: true }))).toBe(3);
    expect(s.requests).toBe(3);
    expect(clock.sleeps).toEqual([100, 200]);
  });

  it('does not retry permanent errors', async () => {
    const s = new Scheduler({ concurrency: 2, clock: fakeClock() });
    expect(await attemptsUntilGivenUp(s, new ServiceError('AccessDeniedException', 'no', { askAgain: false }))).toBe(1);
  });

  it('holds every request until Retry-After, and a throttle paces the whole run (the concurrency stays a cap)', async () => {
    const clock = fakeClock(0);
    const s = new Scheduler({ concurrency: 8, clock });
    const starts: number[] = [];
    let first = true;
    const task = () =>
      s.run(async () => {
        starts.push(clock.now());
        if (first) {
          first = false;
          throw new ServiceError('ThrottlingException', 'slow down', { transient: true, throttled: true, retryAfterMs: 2000 });
        }
      });
    await task();
    await Promise.all([task(), task()]);
    // unpaced until the throttle (no success yet: a guess of 1/s, now 0.75/s and doubling every second): the retry at
    // 2000, then the next request at its turn, not at once
    expect(starts.slice(0, 2)).toEqual([0, 2000]);
    expect(starts[2]! - starts[1]!).toBeGreaterThan(0);
    expect(starts[2]! - starts[1]!).toBeLessThanOrEqual(1000 / 0.75);
    expect(s.concurrency).toBe(8);
    expect(s.throttled).toBe(1);
  });

  it('schedules no retry past the deadline', async () => {
    const clock = fakeClock(0);
    const s = new Scheduler({ concurrency: 1, clock, deadline: 1000 });
    expect(await attemptsUntilGivenUp(s, new ServiceError('ThrottlingException', 'x', { transient: true, throttled: true, retryAfterMs: 5000 }))).toBe(1);
    expect(clock.now()).toBe(0);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const s = new Scheduler({ concurrency: 3, clock: fakeClock() });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        s.run(async () => {
          s.sent();
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, 1));
          inFlight--;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(s.requests).toBe(20);
  });
});

describe('Scheduler.map', () => {
  it('keeps at most `concurrency` items in progress and returns results in order', async () => {
    let active = 0;
    let peak = 0;
    const s = new Scheduler({ concurrency: 4, clock: fakeClock() });
    const out = await s.map(Array.from({ length: 50 }, (_, i) => i), async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, n % 3));
      active--;
      return n * 2;
    });
    expect(peak).toBe(4);
    expect(out).toEqual(Array.from({ length: 50 }, (_, i) => ({ ok: true, value: i * 2 })));
    expect(await s.map([], async () => 1)).toEqual([]);
  });

  it('keeps each item\'s outcome its own: one that fails does not stop or erase the others, and all end before map returns', async () => {
    const s = new Scheduler({ concurrency: 2, clock: fakeClock() });
    const ended: number[] = [];
    const boom = new Error('chunk 1 refused');
    const out = await s.map([0, 1, 2, 3], async (n) => {
      await new Promise((r) => setTimeout(r, n === 1 ? 0 : 5));
      if (n === 1) throw boom;
      ended.push(n);
      return n;
    });
    expect(out).toEqual([{ ok: true, value: 0 }, { ok: false, error: boom }, { ok: true, value: 2 }, { ok: true, value: 3 }]);
    expect(ended.sort()).toEqual([0, 2, 3]);
  });

  it('starts no item once the run\'s signal is aborted (SIGINT at a million IDs ends at once)', async () => {
    const stop = new AbortController();
    const s = new Scheduler({ concurrency: 4, clock: fakeClock(), signal: stop.signal });
    let started = 0;
    const out = await s.map(Array.from({ length: 100_000 }, (_, i) => i), async (n) => {
      started++;
      if (n === 9) stop.abort('SIGINT');
      await new Promise((r) => setTimeout(r, 1));
      return n;
    });
    expect(started).toBe(10);
    expect(out.filter((r) => r !== undefined)).toHaveLength(10);
  });
});

describe('Scheduler limits', () => {
  const throttled = (retryAfterMs: number) => new ServiceError('ThrottlingException', 'slow down', { transient: true, throttled: true, retryAfterMs });

  it('a Retry-After longer than the cap gives the request up at once instead of sleeping (no deadline: one pass)', async () => {
    const clock = fakeClock(0);
    const s = new Scheduler({ concurrency: 1, clock, maxRetryAfterMs: 200_000 });
    expect(await attemptsUntilGivenUp(s, throttled(1_000_000_000_000))).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(clock.now()).toBe(0);
  });

  it('a Retry-After past the cap holds no other request (the next one goes out at the pace, not 200 s later)', async () => {
    const clock = fakeClock(0);
    const s = new Scheduler({ concurrency: 1, clock, maxRetryAfterMs: 200_000 });
    expect(await attemptsUntilGivenUp(s, throttled(4_102_444_800_000))).toBe(1);
    let sentAt = -1;
    await s.run(async () => {
      sentAt = clock.now();
    });
    // the throttle still counts: the pace is 0.75/s (doubling every second: no success yet), and the next request goes
    // at its turn
    expect(sentAt).toBeGreaterThan(0);
    expect(sentAt).toBeLessThanOrEqual(1000 / 0.75);
    expect(s.throttled).toBe(1);
  });

  it('a Retry-After within the cap is obeyed exactly, until the deadline (throttles use up no attempts)', async () => {
    const clock = fakeClock(0);
    const s = new Scheduler({ concurrency: 1, clock, maxAttempts: 2, deadline: 500_000 });
    expect(await attemptsUntilGivenUp(s, throttled(200_000))).toBe(3);
    expect(clock.sleeps).toEqual([200_000, 200_000]);
  });

  it('--request-timeout cuts off an attempt whose answer never completes, as a transient RequestTimeout, then retries', async () => {
    const s = new Scheduler({ concurrency: 1, clock: fakeClock(), requestTimeoutMs: 30, maxAttempts: 2, baseDelayMs: 1 });
    let attempts = 0;
    const started = Date.now();
    const err = await s
      .run(
        (signal) =>
          new Promise((_, reject) => {
            attempts++;
            signal.addEventListener('abort', () => reject(new Error('aborted by the signal')));
          }),
      )
      .catch((e: unknown) => e);
    expect(attempts).toBe(2);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).code).toBe('RequestTimeout');
    expect((err as ServiceError).opts.transient).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('sends nothing once the run has stopped, and counts only what clients report as sent', async () => {
    const stop = new AbortController();
    stop.abort('fatal');
    const s = new Scheduler({ concurrency: 1, clock: fakeClock(), signal: stop.signal });
    let calls = 0;
    await expect(s.run(async () => calls++)).rejects.toMatchObject({ code: 'Stopped' });
    expect(calls).toBe(0);
    expect(s.requests).toBe(0);
  });
});
