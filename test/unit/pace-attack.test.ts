// The pace and the one deadline, attacked again (issues 15 section 3, 16): what stats say of a run, and what the
// flags accept. In process, fake clock, against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
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
    ['0.0123', 0.01],
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
  it('formatRps: 0.001/s, 0.0045/s, 0.01/s, 4.5/s, 12.3/s', async () => {
    const { formatRps } = await import('../../src/core/pacer.js');
    expect([0.001, 0.0045, 0.0123, 4.5, 12.34].map(formatRps)).toEqual(['0.001/s', '0.0045/s', '0.01/s', '4.5/s', '12.3/s']);
  });
});
