import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault, Step } from '../../src/emulator/scenario.js';
import { type Emulator, type LoggedRequest, startEmulator } from '../../src/emulator/server.js';
import { MISSES_TO_GIVE_UP } from '../../src/core/outcome.js';
import { INDEX, runCli, SECRETS } from '../helpers.js';
import { propertyParams } from '../property.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const KENDRA_FINAL = ['INDEXED', 'UPDATED', 'FAILED', 'UPDATE_FAILED', 'NOT_FOUND'] as const;
const kendraState = (s: string) => (s === 'INDEXED' || s === 'UPDATED' ? 'succeeded' : 'failed');
const statusCalls = (e: Emulator) => e.requests.filter((r) => r.op === 'BatchGetDocumentStatus');
const BATCH = '8d1b6a3e-0000-4000-8000-0000000000f1';
/** The document the emulator's fault 'extra' adds to a page of a listing. */
const INVENTED = 'ffffffff-0000-4000-8000-00000000dead';

/** The most requests of a list that were in flight at once, from their start and end times, after `from`. */
function peakInFlight(requests: LoggedRequest[], from = 0): number {
  const events = requests
    .filter((r) => r.at >= from)
    .flatMap((r) => [
      [r.at, 1],
      [r.end ?? r.at, -1],
    ])
    .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let now = 0;
  let peak = 0;
  for (const [, d] of events) peak = Math.max(peak, (now += d!));
  return peak;
}

describe('nothing lost, nothing invented', () => {
  // Throttling as a service does it: by rate, from a token bucket (scenario rateLimit), not drawn at random whatever the
  // rate. A pacer learns the rate from throttles (README, Pacing): 15 % of requests throttled at random drove the pace to
  // 0.6/s, and one 260-document translate-docs run past the 25 s runCli gives it (an empty stdout, seed 2).
  const throttling = (service: 'kendra' | 'translator', kinds: readonly Fault['type'][]) =>
    kinds.includes('throttle') ? { rateLimit: { [service]: { rps: 10, burst: 2 } } } : {};
  const faultKinds: Fault['type'][] = ['throttle', 'error', 'reset', 'garbage', 'truncate', 'omit', 'extra', 'missing-fields'];

  it('kendra-status --wait: every ID once, in order, with its real final status, whatever the faults', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 9, 10, 11, 99, 100, 101).chain((n) => fc.array(fc.integer({ min: 0, max: Math.max(0, n - 1) }), { minLength: n, maxLength: n + 5 })),
        fc.array(fc.constantFrom(...KENDRA_FINAL), { minLength: 101, maxLength: 101 }),
        fc.uniqueArray(fc.constantFrom(...faultKinds), { maxLength: 4 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (picks, truth, kinds, seed) => {
          const ids = picks.map((i) => `doc-${i}`);
          const documents: Record<string, Step[]> = {};
          truth.forEach((status, i) => {
            if (status !== 'NOT_FOUND') documents[`doc-${i}`] = [{ status }];
          });
          const faults: Fault[] = kinds.filter((type) => type !== 'throttle').map((type) => ({ service: 'kendra', type, rate: 0.15 }));
          emulator = await startEmulator({ seed, kendra: { indexes: { [INDEX]: { documents } } }, faults, ...throttling('kendra', kinds) });
          const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--wait', '--interval', '10ms', '--timeout', '60s', '--not-found-grace', '0'], {
            input: ids.join('\n'),
          });
          const unique = [...new Set(ids)];
          const out = JSON.parse(r.stdout);
          expect(out.documents.map((d: { id: string }) => d.id)).toEqual(unique);
          for (const doc of out.documents) {
            const status = truth[Number(doc.id.slice(4))]!;
            // The omit fault can leave one document out of MISSES_TO_GIVE_UP answers in a row: it is then given up.
            if (doc.state === 'error' && kinds.includes('omit')) {
              expect(doc).toMatchObject({ errorCode: 'MissingFromResponse', errorMessage: `the service left this document out of ${MISSES_TO_GIVE_UP} answers in a row: given up` });
              continue;
            }
            expect({ id: doc.id, status: doc.status, state: doc.state, why: doc.state === "error" ? doc : undefined }).toEqual({ id: doc.id, status, state: kendraState(status), why: undefined });
          }
          const states = new Set(out.documents.map((d: { state: string }) => d.state));
          expect(r.code).toBe(states.has('failed') ? 1 : states.has('error') ? 4 : 0);
          expect(out.stats.requests).toBeGreaterThanOrEqual(Math.ceil(unique.length / 10));
          expect(out.stats.requests).toBe(statusCalls(emulator).length);
          await emulator.close();
          emulator = undefined;
        },
      ),
      propertyParams(12),
    );
    // Each run spawns the tool against a fresh emulator; a fresh seed may draw the largest cases.
  }, 120_000);

  it('translate-docs --wait: every document once, in service order, whatever the faults', async () => {
    const statuses = ['Succeeded', 'Failed', 'Cancelled', 'ValidationFailed'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 260 }),
        fc.uniqueArray(fc.constantFrom<Fault['type']>('throttle', 'error', 'reset', 'truncate', 'missing-fields', 'omit', 'extra'), { maxLength: 3 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (n, kinds, seed) => {
          const documents = Object.fromEntries(
            Array.from({ length: n }, (_, i) => [
              `d-${String(i).padStart(3, '0')}`,
              { timeline: [{ status: 'Running' }, { afterPolls: 1 + (i % 3), status: statuses[i % 4] }] as Step[] },
            ]),
          );
          const faults: Fault[] = kinds.filter((type) => type !== 'throttle').map((type) => ({ service: 'translator', type, rate: 0.15 }));
          emulator = await startEmulator({ seed, translator: { batches: { [BATCH]: { documents } } }, faults, ...throttling('translator', kinds) });
          const r = await runCli(['translate-docs', BATCH, '--endpoint', emulator.url, '--wait', '--interval', '10ms', '--timeout', '60s']);
          const out = JSON.parse(r.stdout);
          type Doc = { id: string; status?: string; state: string; errorCode?: string };
          const expected = Array.from({ length: n }, (_, i) => `d-${String(n - 1 - i).padStart(3, '0')}`);
          const served = emulator.requests.filter((c) => c.service === 'translator');
          const query = (c: LoggedRequest) => new URL(c.url, 'http://x').searchParams;
          const omitted = (c: LoggedRequest) => c.status === 200 && c.faults.includes('omit');
          // Fault 'omit' drops the last entry of a page. No client can know of a document that the first listing
          // left out, so those may be missing, or learnt from a later listing and reported after the others.
          const round2 = served.findIndex((c) => query(c).has('statuses') || query(c).has('ids'));
          const firstPhase = round2 < 0 ? served : served.slice(0, round2);
          const mayLack = new Set(
            firstPhase.filter(omitted).map((c) => {
              const skip = Number(query(c).get('$skip') ?? 0);
              return expected[skip + Math.min(Number(query(c).get('$maxpagesize')), n - skip) - 1];
            }),
          );
          // Fault 'extra' adds a document the batch does not have to a page. A listing cannot tell it from a real
          // one, so it may be reported; but once, and when later answers leave it out it is given up
          // (MissingFromResponse): it must not hold --wait until the timeout.
          const invented = out.documents.filter((d: Doc) => d.id === INVENTED);
          const real = out.documents.filter((d: Doc) => d.id !== INVENTED);
          const ids = real.map((d: Doc) => d.id);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.filter((id: string) => !mayLack.has(id))).toEqual(expected.filter((id) => !mayLack.has(id)));
          expect(ids.filter((id: string) => !expected.includes(id))).toEqual([]);
          // A real document ends with its real final status, unless answers left it out MISSES_TO_GIVE_UP times.
          const omits = served.filter(omitted).length;
          for (const doc of real) {
            if (doc.state === 'error' && omits >= MISSES_TO_GIVE_UP) expect(doc).toMatchObject({ errorCode: 'MissingFromResponse' });
            else expect({ id: doc.id, status: doc.status }).toEqual({ id: doc.id, status: statuses[Number(doc.id.slice(2)) % 4] });
          }
          expect(invented.length).toBeLessThanOrEqual(kinds.includes('extra') ? 1 : 0);
          for (const doc of invented) if (doc.state !== 'succeeded' && doc.state !== 'failed') expect(doc).toMatchObject({ state: 'error', errorCode: 'MissingFromResponse' });
          const states = out.documents.map((d: Doc) => d.state);
          expect(r.code).toBe(states.includes('failed') ? 1 : states.includes('error') ? 4 : 0);
          await emulator.close();
          emulator = undefined;
        },
      ),
      propertyParams(10),
    );
    // Each run spawns the tool against a fresh emulator; a fresh seed may draw the largest cases.
  }, 120_000);
});

describe('throttling is survived and obeyed', () => {
  // Throttled whatever its rate, a run slows down at each throttle to about a request a second (README "Pacing"): 60
  // documents, not 1,000, keep it to seconds; the point is that none is lost and every throttled request is asked again.
  it('60 documents with 30% of requests throttled: the correct result', async () => {
    const documents = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`doc-${i}`, [{ status: i % 20 === 0 ? 'FAILED' : 'INDEXED' }] as Step[]]));
    const e = await startEmulator({ seed: 3, kendra: { indexes: { [INDEX]: { documents } } }, faults: [{ service: 'kendra', type: 'throttle', rate: 0.3 }] });
    emulator = e;
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, '--wait', '--interval', '50ms'], { input: Object.keys(documents).join('\n'), timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toEqual({ total: 60, succeeded: 57, failed: 3, pending: 0, error: 0, byStatus: { INDEXED: 57, FAILED: 3 } });
    const throttled = statusCalls(e).filter((c) => c.status === 400).length;
    expect(throttled).toBeGreaterThan(0);
    expect(out.stats.requests).toBe(6 + throttled);
    expect(out.stats.throttled).toBe(throttled);
  }, 60_000);

  it('Kendra: with Retry-After: 2, no request goes out before 2 s', async () => {
    const e = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } }, faults: [{ service: 'kendra', type: 'throttle', requests: [1], retryAfter: 2 }] });
    emulator = e;
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, 'a']);
    expect(r.code).toBe(0);
    const [first, second] = statusCalls(e);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(2000);
  });

  it('a throttled answer slows the whole poller: everyone waits out Retry-After, then fewer requests in flight', async () => {
    const documents = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`d${i}`, { timeline: [{ status: 'Succeeded' }] as Step[] }]));
    const e = await startEmulator({ latency: 60, translator: { batches: { [BATCH]: { documents } } }, faults: [{ service: 'translator', type: 'throttle', requests: [20], retryAfter: 1 }] });
    emulator = e;
    const r = await runCli(['translate-status', BATCH, ...Object.keys(documents), '--endpoint', e.url, '--concurrency', '8'], { env: { AZURE_TRANSLATOR_KEY: SECRETS.azureKey } });
    expect(r.code).toBe(0);
    const calls = e.requests.filter((c) => c.service === 'translator');
    const throttle = calls.find((c) => c.status === 429)!;
    expect(peakInFlight(calls.filter((c) => c.at < throttle.at))).toBe(8);
    // After the 429: nothing new goes out until Retry-After has passed; then half as many at once, won back step by
    // step. A request the client sent just before the 429 reached it may still arrive a moment later (200 ms allowed: on a
    // busy machine, with the suite's other files running, such a request was seen 77 ms after the 429).
    const window = calls.filter((c) => c.at > throttle.end! + 200 && c.at < throttle.end! + 990);
    expect(window.map((c) => c.at - throttle.end!)).toEqual([]);
    const resumedCalls = calls.filter((c) => c.at >= throttle.end! + 990);
    const resumed = Math.min(...resumedCalls.map((c) => c.at));
    expect(peakInFlight(resumedCalls.filter((c) => c.at < resumed + 30))).toBeLessThanOrEqual(4);
    expect(peakInFlight(resumedCalls)).toBeLessThan(8);
    expect(JSON.parse(r.stdout).summary.succeeded).toBe(64);
  });
});

describe('faults end honestly', () => {
  it('a service that stays down: exit 4 within --timeout, every document in error with the service message', async () => {
    const e = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: {} } } }, faults: [{ service: 'kendra', type: 'error' }] });
    emulator = e;
    const started = Date.now();
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, 'a', 'b', '--wait', '--interval', '100ms', '--timeout', '1500ms']);
    expect(r.code).toBe(4);
    expect(Date.now() - started).toBeLessThan(1500 + 2000);
    const out = JSON.parse(r.stdout);
    expect(out.documents).toEqual(
      ['a', 'b'].map((id) => ({ id, state: 'error', errorCode: 'InternalServerException', errorMessage: 'We encountered an internal error. Please try again.' })),
    );
    expect(out.outcome).toBe('error');
  });

  it.each([
    ['kendra', ['kendra-status', '--index-id', INDEX, 'a']],
    ['translator', ['translate-status', BATCH, 'a']],
  ] as const)('%s: a request that hangs is cut off by --request-timeout and retried', async (service, argv) => {
    const e = await startEmulator({
      kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } },
      translator: { batches: { [BATCH]: { documents: { a: { timeline: [{ status: 'Succeeded' }] } } } } },
      faults: [{ service, type: 'stall', requests: [1], ms: 20_000 }],
    });
    emulator = e;
    const started = Date.now();
    const r = await runCli([...argv, '--endpoint-url', e.url, '--endpoint', e.url, '--request-timeout', '300ms'].filter((a, i, all) => (service === 'kendra' ? a !== '--endpoint' && all[i - 1] !== '--endpoint' : a !== '--endpoint-url' && all[i - 1] !== '--endpoint-url')));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(e.requests.filter((c) => c.service === service)).toHaveLength(2);
  });

  it('refuses a response over 64 MiB', async () => {
    const e = await startEmulator({ translator: { batches: { [BATCH]: { documents: { a: { timeline: [{ status: 'Succeeded' }] } } } } }, faults: [{ service: 'translator', type: 'oversize' }] });
    emulator = e;
    const r = await runCli(['translate-docs', BATCH, '--endpoint', e.url]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('docstatus: ResponseTooLarge: the response is larger than 64 MiB; refused\n');
  });

  it.each([
    ['kendra', ['kendra-status', '--index-id', INDEX, 'a'], '--endpoint-url'],
    ['translator', ['translate-status', BATCH, 'a'], '--endpoint'],
  ] as const)('%s: an entry without its status is malformed, not unknown: asked again with --wait', async (service, argv, endpointFlag) => {
    const start = () =>
      startEmulator({
        kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } },
        translator: { batches: { [BATCH]: { documents: { a: { timeline: [{ status: 'Succeeded' }] } } } } },
        faults: [{ service, type: 'missing-fields', requests: [1] }],
      });
    emulator = await start();
    const once = await runCli([...argv, endpointFlag, emulator.url]);
    expect(once.code).toBe(4);
    expect(JSON.parse(once.stdout).documents[0]).toMatchObject({ id: 'a', state: 'error', errorCode: 'MalformedResponse' });
    await emulator.close();
    emulator = await start();
    const waited = await runCli([...argv, endpointFlag, emulator.url, '--wait', '--interval', '10ms']);
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout).stats).toMatchObject({ rounds: 2, requests: 2 });
  });

  it('an answer the tool cannot read becomes an error with --verbose noting the unasked document', async () => {
    const e = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } }, faults: [{ service: 'kendra', type: 'extra' }] });
    emulator = e;
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, 'a', '--verbose']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents).toEqual([{ id: 'a', status: 'INDEXED', state: 'succeeded' }]);
    expect(r.stderr).toContain('ignored an answer for a document that was not asked: not-asked-for');
  });
});

describe('interrupts', () => {
  it('a second SIGINT exits at once with 130', async () => {
    const e = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: {} } } }, faults: [{ service: 'kendra', type: 'stall', ms: 20_000 }] });
    emulator = e;
    const started = Date.now();
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, 'a', '--wait'], {
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (statusCalls(e).length >= 1) {
            clearInterval(timer);
            child.kill('SIGINT');
            child.kill('SIGINT');
          }
        }, 10);
      },
    });
    expect(r.code).toBe(130);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
