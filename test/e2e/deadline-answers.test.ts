import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { fakeClock, INDEX, memoryIo, SECRETS, testAwsProcessEnv } from '../helpers.js';

// A Retry-After that runs past --timeout gives its request up before the deadline (README, "--timeout"): a document
// answered in an earlier round keeps that answer (pending, exit 3); one never answered whose every try failed is in
// error with the fault (exit 4). In-process, against the emulator over loopback; the injected clock makes the rounds
// at 0, 1 s and 2 s cost no real time.
const BATCH = '8d1b6a3e-0000-4000-8000-0000000000d1';
let emulator: Emulator | undefined;
testAwsProcessEnv();
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const services = {
  kendra: {
    scenario: (throttled: number, retryAfter?: number) => ({
      kendra: { indexes: { [INDEX]: { documents: { p: [{ status: 'PROCESSING' }] } } } },
      faults: [{ service: 'kendra' as const, type: 'throttle' as const, requests: [throttled], ...(retryAfter !== undefined && { retryAfter }) }],
    }),
    args: (url: string) => ['kendra-status', '--endpoint-url', url, '--region', 'eu-west-1', '--index-id', INDEX, 'p'],
    env: (): Record<string, string> => ({}),
    status: 'PROCESSING',
    answer: { id: 'p', status: 'PROCESSING', state: 'pending' } as Record<string, unknown>,
    code: 'ThrottlingException',
    message: 'Rate exceeded',
  },
  azure: {
    scenario: (throttled: number, retryAfter?: number) => ({
      translator: { batches: { [BATCH]: { documents: { p: { timeline: [{ status: 'Running' }] } } } } },
      faults: [{ service: 'translator' as const, type: 'throttle' as const, requests: [throttled], ...(retryAfter !== undefined && { retryAfter }) }],
    }),
    args: () => ['translate-status', BATCH, 'p'],
    env: (url: string): Record<string, string> => ({ AZURE_TRANSLATOR_KEY: SECRETS.azureKey, AZURE_TRANSLATOR_ENDPOINT: url }),
    status: 'Running',
    // the emulator's timestamps are of the wall clock
    answer: {
      id: 'p',
      status: 'Running',
      state: 'pending',
      createdDateTimeUtc: expect.any(String),
      lastActionDateTimeUtc: expect.any(String),
      progress: 0.5,
      sourcePath: 'https://source.blob.core.windows.net/in/p.docx',
      to: 'fr',
    } as Record<string, unknown>,
    code: 'RequestRateTooHigh',
    message: 'The request rate is too high. Please retry after the time in Retry-After.',
  },
} as const;

const run = async (service: keyof typeof services, throttled: number, retryAfter?: number) => {
  const s = services[service];
  emulator = await startEmulator(s.scenario(throttled, retryAfter));
  const clock = fakeClock(0);
  const { io, stdout, stderr } = memoryIo({ clock, env: s.env(emulator.url) });
  const code = await main([...s.args(emulator.url), '--wait', '--timeout', '2.5s', '--interval', '1s', '--progress-interval', '0'], io);
  return { code, out: JSON.parse(stdout()), stderr: stderr(), requests: emulator.requests.filter((r) => r.service === (service === 'kendra' ? 'kendra' : 'translator')).length };
};

describe.each(['kendra', 'azure'] as const)('%s: a Retry-After past --timeout', (service) => {
  const s = services[service];

  it('keeps the answer of an earlier round: pending, exit 3', async () => {
    const r = await run(service, 3, 5);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('docstatus: warning: --timeout 2.5s passed with 1 document(s) pending\n');
    expect(r.out.outcome).toBe('pending');
    expect(r.out.summary).toEqual({ total: 1, succeeded: 0, failed: 0, pending: 1, error: 0, byStatus: { [s.status]: 1 } });
    expect(r.out.documents).toEqual([s.answer]);
    // rounds at 0, 1 s and 2 s; the third is throttled with Retry-After: 5 and given up (the retry would come at 7 s)
    expect(r.out.stats).toMatchObject({ rounds: 3, requests: 3, elapsedMs: 2500, throttled: 1 });
    expect(r.requests).toBe(3);
  });

  it('the same as a throttle without Retry-After (asked again until the deadline)', async () => {
    const r = await run(service, 3);
    expect(r.code).toBe(3);
    expect(r.out.documents).toEqual([s.answer]);
  });

  it('a document never answered, its one try throttled past the deadline, is in error with the fault: exit 4', async () => {
    const r = await run(service, 1, 5);
    expect(r.code).toBe(4);
    expect(r.out.documents).toEqual([{ id: 'p', state: 'error', errorCode: s.code, errorMessage: s.message }]);
    expect(r.stderr).toBe(`docstatus: warning: --timeout 2.5s passed\ndocstatus: document p could not be read: ${s.code}: ${s.message}\n`);
    expect(r.requests).toBe(1);
  });
});
