import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { fakeClock, INDEX, memoryIo, testAwsProcessEnv } from '../helpers.js';

// In-process command tests: main() with an in-memory Io, stdout and stderr asserted apart.
let emulator: Emulator;
testAwsProcessEnv();
beforeAll(async () => {
  emulator = await startEmulator({
    kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'PROCESSING' }, { afterPolls: 3, status: 'INDEXED' }] } } } },
  });
});
afterAll(async () => {
  await emulator.close();
});

describe('main() in-process', () => {
  it('waits with an injected clock: a 5-minute interval costs no real time', async () => {
    const clock = fakeClock();
    const { io, stdout, stderr } = memoryIo({ clock });
    const code = await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', 'a', '--wait', '--interval', '5m', '--progress-interval', '0'], io);
    expect(stderr()).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout());
    expect(out.stats).toEqual({ rounds: 4, requests: 4, elapsedMs: 15 * 60_000, throttled: 0 });
    expect(clock.sleeps).toEqual([300_000, 300_000, 300_000]);
  });

  it('defaults to a table when stdout is a terminal, JSON otherwise', async () => {
    const tty = memoryIo({ isTTY: true, env: { NO_COLOR: '1' } });
    await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', 'zzz'], tty.io);
    expect(tty.stdout()).toMatch(/^┌.*\n.*ID.*STATUS.*STATE.*DETAIL/);
    const pipe = memoryIo();
    await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', 'zzz'], pipe.io);
    expect(JSON.parse(pipe.stdout()).documents).toEqual([{ id: 'zzz', status: 'NOT_FOUND', state: 'pending' }]);
  });

  it('colours the table only when allowed', async () => {
    const run = async (env: Record<string, string>, extra: string[] = []) => {
      const m = memoryIo({ isTTY: true, env });
      await main(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', 'zzz', ...extra], m.io);
      return m.stdout().includes('\u001b[');
    };
    expect(await run({})).toBe(true);
    expect(await run({ NO_COLOR: '1' })).toBe(false);
    expect(await run({}, ['--no-color'])).toBe(false);
    expect(await run({ NO_COLOR: '', FORCE_COLOR: '1' })).toBe(true);
  });
});
