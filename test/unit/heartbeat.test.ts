import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { heartbeatLine, startHeartbeat } from '../../src/core/heartbeat.js';
import type { Progress } from '../../src/core/poll.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { fakeClock, INDEX, memoryIo, testAwsProcessEnv } from '../helpers.js';

// The heartbeat on the injected clock: exact lines at exact times, no real time.

const T0 = 1_700_000_000_000;
const progress = (p: Partial<Progress> = {}): Progress => ({ total: 10, final: 7, failed: 0, error: 0, lastChangeAt: T0, ...p });

describe('the elapsed times of a line: core/duration.ts formatDuration, as every other duration docstatus prints', () => {
  it.each([
    [0, '0ms'],
    [999, '999ms'],
    [1000, '1s'],
    [2549, '2.5s'],
    [9999, '10s'],
    [10_000, '10s'],
    [59_999, '60s'],
    [60_000, '1m'],
    [150_000, '2.5m'],
    [3_599_999, '60m'],
    [3_600_000, '1h'],
    [3_900_000, '1.1h'],
    [-5, '0ms'],
    [1234.6, '1.2s'],
  ])('%i ms is %s', (ms, text) => expect(heartbeatLine(ms, undefined, T0)).toBe(`waiting ${text}: no answer yet`));
});

describe('heartbeatLine', () => {
  it('the brief example: elapsed, final/total, pending, last change', () => {
    expect(heartbeatLine(150_000, progress({ lastChangeAt: T0 }), T0 + 45_000)).toBe('waiting 2.5m: 7/10 final, 3 pending, last change 45s ago');
  });
  it('failed among the final ones, and documents in error apart from the pending ones', () => {
    expect(heartbeatLine(30_000, progress({ final: 5, failed: 2, error: 1 }), T0 + 30_000)).toBe('waiting 30s: 5/10 final (2 failed), 4 pending, 1 in error, last change 30s ago');
  });
  it('before any answer', () => {
    expect(heartbeatLine(30_000, undefined, T0)).toBe('waiting 30s: no answer yet');
  });
});

describe('startHeartbeat on a fake clock', () => {
  const setup = (intervalMs = 30_000) => {
    const clock = fakeClock(T0);
    const lines: Array<[number, string]> = [];
    const stop = new AbortController();
    const hb = startHeartbeat({ clock, intervalMs, signal: stop.signal, write: (line) => lines.push([clock.now() - T0, line]) });
    return { clock, lines, stop, hb };
  };

  it('one line every interval, each at its exact time, with the latest progress', async () => {
    const { clock, lines, hb } = setup();
    await clock.sleep(29_999);
    expect(lines).toEqual([]);
    await clock.sleep(1);
    hb.update(progress({ final: 1, lastChangeAt: T0 + 30_000 }));
    await clock.sleep(75_000); // to 1m45s: ticks at 1m and 1m30s
    hb.update(progress({ final: 10, lastChangeAt: T0 + 100_000 }));
    await clock.sleep(20_000); // to 2m5s: a tick at 2m
    hb.stop();
    await clock.sleep(600_000);
    expect(lines).toEqual([
      [30_000, 'waiting 30s: no answer yet'],
      [60_000, 'waiting 1m: 1/10 final, 9 pending, last change 30s ago'],
      [90_000, 'waiting 1.5m: 1/10 final, 9 pending, last change 1m ago'],
      [120_000, 'waiting 2m: 10/10 final, 0 pending, last change 20s ago'],
    ]);
    expect(clock.ticks.map((t) => t - T0)).toEqual([30_000, 60_000, 90_000, 120_000]);
  });

  it('stops when the signal aborts (an interrupt), and stop() after that is harmless', async () => {
    const { clock, lines, stop, hb } = setup(1000);
    await clock.sleep(2500);
    stop.abort('SIGTERM');
    await clock.sleep(10_000);
    hb.stop();
    expect(lines.map(([at]) => at)).toEqual([1000, 2000]);
    expect(clock.ticks.map((t) => t - T0)).toEqual([1000, 2000]);
  });

  it('starts no timer when the run is already over', async () => {
    const clock = fakeClock(T0);
    const lines: string[] = [];
    startHeartbeat({ clock, intervalMs: 1000, signal: AbortSignal.abort('SIGINT'), write: (l) => lines.push(l) });
    await clock.sleep(5000);
    expect(lines).toEqual([]);
    expect(clock.ticks).toEqual([]);
  });
});

describe('the heartbeat in a run (main() in-process, fake clock, the emulator)', () => {
  let emulator: Emulator;
  testAwsProcessEnv();
  // A fresh emulator for each run: document a's timeline counts the times it was asked.
  beforeEach(async () => {
    emulator = await startEmulator({
      kendra: {
        indexes: {
          [INDEX]: {
            documents: {
              a: [{ status: 'PROCESSING' }, { afterPolls: 3, status: 'INDEXED' }],
              b: [{ status: 'FAILED', failureReason: 'x' }],
            },
          },
        },
      },
    });
  });
  afterEach(() => emulator.close());
  // --progress-interval 4m over rounds at 0, 5m, 10m and 15m (a is INDEXED on the 4th ask): the last change before 15m
  // is the first answer.
  const FOUR_MINUTE_BEATS = [
    'docstatus: waiting 4m: 1/2 final (1 failed), 1 pending, last change 4m ago',
    'docstatus: waiting 8m: 1/2 final (1 failed), 1 pending, last change 8m ago',
    'docstatus: waiting 12m: 1/2 final (1 failed), 1 pending, last change 12m ago',
    '',
  ].join('\n');
  /** Makes io's stderr a terminal 80 columns wide (as ora uses one); returns what is written to it. */
  const terminalStderr = (io: { stderr: unknown }): string[] => {
    const written: string[] = [];
    const noop = () => true;
    io.stderr = { write: (s: string) => written.push(s), isTTY: true, columns: 80, on: noop, once: noop, removeListener: noop, cursorTo: noop, clearLine: noop, moveCursor: noop };
    return written;
  };
  const argv = (...extra: string[]) => ['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '--region', 'eu-west-1', 'a', 'b', '--interval', '5m', ...extra];

  it('stderr not a terminal: a line every --progress-interval while waiting, none after the run', async () => {
    const clock = fakeClock(T0);
    const { io, stderr } = memoryIo({ clock });
    const code = await main(argv('--wait', '--progress-interval', '4m'), io);
    expect(code).toBe(1);
    expect(stderr()).toBe(FOUR_MINUTE_BEATS);
    expect(clock.ticks.map((t) => t - T0)).toEqual([240_000, 480_000, 720_000]);
  });

  it.each([
    ['--progress-interval 0', ['--wait', '--progress-interval', '0']],
    ['-q', ['--wait', '-q']],
    ['a one-pass run', ['--progress-interval', '1s']],
  ])('%s: no heartbeat', async (_name, extra) => {
    const clock = fakeClock(T0);
    const { io, stderr } = memoryIo({ clock });
    await main(argv(...extra), io);
    expect(stderr()).not.toMatch(/waiting/);
    expect(clock.ticks).toEqual([]);
  });

  it('stderr a terminal: the spinner, no heartbeat line', async () => {
    const clock = fakeClock(T0);
    const { io } = memoryIo({ clock });
    const written = terminalStderr(io);
    await main(argv('--wait', '--progress-interval', '1m'), io);
    expect(written.join('')).toContain('\u001b[36m⠋\u001b[39m waiting for documents'); // the spinner, cyan
    expect(written.join('')).not.toMatch(/docstatus: waiting/);
    expect(clock.ticks).toEqual([]);
  });

  // A CI log can be a pseudo-terminal (docker run -t, a Jenkins pty): ora would print one "- waiting" line there and
  // nothing after it, so such a run gets the heartbeat instead of the spinner.
  it.each([['CI=true', { CI: 'true' }], ['TERM=dumb', { TERM: 'dumb' }]])('stderr a terminal under %s: heartbeat lines, no spinner', async (_name, env) => {
    const clock = fakeClock(T0);
    const { io } = memoryIo({ clock, env });
    const written = terminalStderr(io);
    expect(await main(argv('--wait', '--progress-interval', '4m'), io)).toBe(1);
    expect(written.join('')).toBe(FOUR_MINUTE_BEATS);
    expect(clock.ticks.map((t) => t - T0)).toEqual([240_000, 480_000, 720_000]);
  });
});
