import { afterEach, describe, expect, it } from 'vitest';
import type { Step } from '../../src/emulator/scenario.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { INDEX, runCli } from '../helpers.js';

// The heartbeat as a CI log sees it: the spawned bin, stderr a pipe, a document that stays PROCESSING for a while.
// Only the lines' form and presence are asserted, never when they come (test/unit/heartbeat.test.ts has the times).

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** One heartbeat line, whole. */
const LINE = /^docstatus: waiting \d+(?:\.\d)?(?:ms|s|m|h): (?:no answer yet|\d+\/\d+ final(?: \(\d+ failed\))?, \d+ pending(?:, \d+ in error)?, last change \d+(?:\.\d)?(?:ms|s|m|h) ago)$/;

async function kendra(slowPolls: number) {
  // "slow" is PROCESSING for slowPolls asks at --interval 100ms: the run lasts a while, whatever the machine's speed.
  const documents: Record<string, Step[]> = { done: [{ status: 'INDEXED' }], slow: [{ status: 'PROCESSING' }, { afterPolls: slowPolls, status: 'INDEXED' }] };
  emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents } } } });
  return ['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, 'done', 'slow', '--interval', '100ms'];
}

describe('heartbeat (stderr not a terminal)', () => {
  it('--wait --progress-interval 1s (the shortest): plain progress lines on stderr, stdout only the result', async () => {
    const r = await runCli([...(await kendra(25)), '--wait', '--progress-interval', '1s']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ total: 2, succeeded: 2 });
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toMatch(LINE);
    expect(lines.some((l) => / 1\/2 final, 1 pending, last change /.test(l))).toBe(true);
  });

  it.each([
    ['-q', ['--wait', '-q', '--progress-interval', '1s']],
    ['--progress-interval 0', ['--wait', '--progress-interval', '0']],
    ['a one-pass run', ['--progress-interval', '1s']],
  ])('%s: no heartbeat line', async (_name, extra) => {
    // as long a run as the test above, which does get heartbeat lines: no line here is the flag's doing, not luck
    const r = await runCli([...(await kendra(25)), ...extra]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(extra.includes('--wait') ? 0 : 3);
  });

  it('SIGTERM: the heartbeat stops with the run; the result so far, exit 143', async () => {
    const r = await runCli([...(await kendra(1_000_000)), '--wait', '--progress-interval', '1s'], {
      onSpawn: (child) => {
        let err = '';
        child.stderr!.on('data', (d) => {
          err += d;
          if (/docstatus: waiting .*\n/.test(err) && !child.killed) child.kill('SIGTERM');
        });
      },
    });
    expect(r.code).toBe(143);
    expect(JSON.parse(r.stdout).documents.map((d: { state: string }) => d.state)).toEqual(['succeeded', 'pending']);
    const lines = r.stderr.trimEnd().split('\n');
    const at = lines.indexOf('docstatus: warning: interrupted by SIGTERM: the result so far');
    expect(at).toBeGreaterThanOrEqual(1);
    for (const line of lines.slice(0, at)) expect(line).toMatch(LINE);
    expect(lines.slice(at + 1)).toEqual([]);
  });
});
