import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Keeps the kb-status rows of bench/run.mjs working: a smoke run of just those steps. No timing is asserted here.
describe('npm run bench -- --smoke --only=economy-kb,one-pass-kb', () => {
  it('runs both kb-status steps; request economy is exactly the floor at any size', async () => {
    const script = fileURLToPath(new URL('../../bench/run.mjs', import.meta.url));
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [script, '--smoke', '--only=economy-kb,one-pass-kb'], { timeout: 60_000 }, (err, _out, errOut) => resolve({ code: err ? Number(err.code) : 0, stderr: errOut })),
    );
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const results = JSON.parse(readFileSync(/wrote (\S+results\.json)/.exec(stderr)![1]!, 'utf8'));
    expect(results.smoke).toBe(true);
    expect(results.rows.map((r: { id: string }) => r.id)).toEqual(['economy-kb', 'one-pass-kb']);
    expect(results.rows[0]).toMatchObject({ value: 1, unit: 'ratio', met: true, detail: '105 sent, floor 105, 6 rounds, exit 0' });
    expect(results.rows[1].detail).toMatch(/^median \d+ ms, floor 150 ms$/);
  }, 90_000);
});
