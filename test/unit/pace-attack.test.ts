// The pace and the one deadline, attacked again (issues 15 section 3, 16): what stats say of a run, and what the
// flags accept. In process, fake clock, against the emulator.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { adHocServer } from '../ad-hoc-server.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { fakeClock, INDEX, memoryIo, testAwsProcessEnv } from '../helpers.js';

testAwsProcessEnv();
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } } });
});
afterAll(async () => {
  await emulator.close();
});

describe('stats.maxRps is the pace, never 0', () => {
  it.each([
    ['0.001', 0.001],
    ['0.004', 0.004],
    ['0.0123', 0.012],
    ['0.5', 0.5],
    ['4.567', 4.57],
  ])('--max-rps %s: stats.maxRps %s', async (value, shown) => {
    const { io, stdout, stderr } = memoryIo({ clock: fakeClock(0) });
    const code = await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', 'a', '--max-rps', value, '-o', 'json'], io);
    expect({ code, stderr: stderr() }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout()).stats).toEqual({ rounds: 1, requests: 1, elapsedMs: 0, throttled: 0, maxRps: shown });
  });
});

describe('--verbose names a tiny pace as it is', () => {
  it('formatRps: 0.001/s, 0.0045/s, 0.012/s, 4.5/s, 12.3/s (two significant digits below 1)', async () => {
    const { formatRps } = await import('../../src/core/pacer.js');
    expect([0.001, 0.0045, 0.0123, 4.5, 12.34].map(formatRps)).toEqual(['0.001/s', '0.0045/s', '0.012/s', '4.5/s', '12.3/s']);
  });
});

describe('a Retry-After past the cap (200 s) holds the next round of --wait', () => {
  const throttle = (retryAfter: string) => (_req: unknown, res: ServerResponse) => {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'retry-after': retryAfter });
    res.end('{"__type":"ThrottlingException","message":"come back later"}');
  };

  it.each(['300', '86400'])('Retry-After: %s with --wait --interval 1s --timeout 500s: asked at 0, 200 and 400 s (it was every second: 500 requests)', async (retryAfter) => {
    const server = await adHocServer(throttle(retryAfter));
    try {
      const { io, stdout, stderr } = memoryIo({ clock: fakeClock(0) });
      const args = ['kendra-status', '--index-id', INDEX, '--endpoint-url', server.url, '--region', 'eu-west-1', 'a', '--wait', '--interval', '1s', '--timeout', '500s', '--progress-interval', '0', '-o', 'json'];
      expect(await main(args, io)).toBe(4);
      expect(JSON.parse(stdout())).toMatchObject({
        documents: [{ id: 'a', state: 'error', errorCode: 'ThrottlingException', errorMessage: 'come back later' }],
        stats: { rounds: 3, requests: 3, elapsedMs: 500_000, throttled: 3 },
      });
      expect(server.requests).toHaveLength(3);
      expect(stderr()).toBe('docstatus: warning: --timeout 8.3m passed\ndocstatus: document a could not be read: ThrottlingException: come back later\n');
    } finally {
      await server.close();
    }
  });

  it('one pass: the request gives up at once, as before (no sleep for minutes)', async () => {
    const server = await adHocServer(throttle('300'));
    try {
      const { io, stdout } = memoryIo({ clock: fakeClock(0) });
      expect(await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', server.url, '--region', 'eu-west-1', 'a', '-o', 'json'], io)).toBe(4);
      expect(JSON.parse(stdout()).stats).toMatchObject({ rounds: 1, requests: 1, elapsedMs: 0, throttled: 1 });
    } finally {
      await server.close();
    }
  });
});

describe('--max-rps: more bad values, exit 2 before any request', () => {
  it.each(['NaN', '1e400', '-0', ' ', '1'.repeat(400), '5/s', '0x10', '1_000'])('--max-rps %j', async (value) => {
    const before = emulator.requests.length;
    const { io, stdout, stderr } = memoryIo();
    const code = await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', 'a', '--max-rps', value], io);
    expect({ code, stdout: stdout(), stderr: stderr() }).toEqual({ code: 2, stdout: '', stderr: `docstatus: --max-rps: '${value}' is not a positive number\n` });
    expect(emulator.requests).toHaveLength(before);
  });
});
