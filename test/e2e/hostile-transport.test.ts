import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { INDEX, runCli } from '../helpers.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const lines = (stderr: string) => stderr.split('\n').filter(Boolean);

describe('Retry-After never outlasts --timeout (item 14)', () => {
  const throttledForever = () =>
    startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } }, faults: [{ service: 'kendra', type: 'throttle', retryAfter: 1_000_000_000 }] });

  it('Kendra, Retry-After: 1000000000 with --wait --timeout 5s: ends within about 6 s', async () => {
    emulator = await throttledForever();
    const started = Date.now();
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, 'a', '--wait', '--timeout', '5s']);
    expect(Date.now() - started).toBeLessThan(6500);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents[0]).toMatchObject({ id: 'a', state: 'error', errorCode: 'ThrottlingException' });
  });

  it('Kendra, Retry-After: 1000000000 in one pass: ends at once, the document in error (throttled)', async () => {
    emulator = await throttledForever();
    const started = Date.now();
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, 'a']);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents[0]).toMatchObject({ id: 'a', state: 'error', errorCode: 'ThrottlingException' });
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^docstatus: document a could not be read: ThrottlingException: /);
    expect(emulator.requests).toHaveLength(1);
  });
});
