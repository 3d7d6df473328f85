import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODE_VERSIONS, nodeBinary } from '../../scripts/node-versions.mjs';

/** The Nodes bench/run.mjs compares start-up under: this one, then each one scripts/node-versions.mjs has cached. */
function nodeMajors(): number[] {
  const versions = [process.version];
  for (const m of Object.keys(NODE_VERSIONS)) {
    const binary = nodeBinary(m);
    if (existsSync(binary)) versions.push(execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim());
  }
  return [...new Set(versions)].map((v) => Number(v.slice(1).split('.')[0]));
}

// Keeps bench/run.mjs working: a smoke run at small sizes. No timing is asserted here (targets live in bench/).
describe('npm run bench -- --smoke', () => {
  it('runs every step and writes a results file with every row', async () => {
    const script = fileURLToPath(new URL('../../bench/run.mjs', import.meta.url));
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [script, '--smoke', '--skip-peer'], { timeout: 120_000 }, (err, out, errOut) =>
        resolve({ code: err ? Number(err.code) : 0, stdout: out, stderr: errOut }),
      ),
    );
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\| measure/);
    const path = /wrote (\S+results\.json)/.exec(stderr)![1]!;
    const results = JSON.parse(readFileSync(path, 'utf8'));
    expect(results.smoke).toBe(true);
    expect(results.rows.map((r: { id: string }) => r.id)).toEqual([
      'economy-kendra',
      'economy-translate',
      'economy-kb',
      'one-pass-kendra-c4',
      'one-pass-kendra-c16',
      'one-pass-translate',
      'one-pass-kb',
      // --smoke: the pace rows at 50/s only
      'pace-kendra-r50-c4',
      'pace-kb-r50-c4',
      'pace-kendra-r50-c16',
      'pace-kb-r50-c16',
      'pace-kb-first-seconds',
      'pace-max-rps-2',
      'time-to-notice',
      'startup-version',
      'startup-help',
      'startup-pass10',
      'startup-sdk-floor',
      ...nodeMajors().flatMap((m) => [`startup-node${m}-version`, `startup-node${m}-help`, `startup-node${m}-pass10`]),
      'memory-2000',
      'memory-20000',
      'memory-growth',
    ]);
    // request economy is a count, not a timing: it holds at any size
    expect(results.rows.slice(0, 2).map((r: { value: number }) => r.value)).toEqual([1, 1]);
  }, 150_000);
});
