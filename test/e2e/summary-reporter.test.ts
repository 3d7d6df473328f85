import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs vitest in a child process on a small temporary folder of test files, with test/summary-reporter.ts as its
// reporter, and returns the reporter's closing line. The files use vitest's globals, so they import nothing.
const VITEST = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const REPORTER = fileURLToPath(new URL('../summary-reporter.ts', import.meta.url));

function summaryOf(files: Record<string, string>): Promise<{ code: number | null; line: string | undefined }> {
  const dir = mkdtempSync(join(tmpdir(), 'docstatus-reporter-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const args = [VITEST, 'run', '--root', dir, '--globals', '--reporter', REPORTER];
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1' } }, (err, stdout) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: child.exitCode, line: stdout.trimEnd().split('\n').at(-1) });
    });
  });
}

describe('the summary reporter', () => {
  it('counts a test file that throws at import as a failure', async () => {
    const r = await summaryOf({
      'ok.test.js': "it('passes', () => {});\n",
      'broken.test.js': "it('never runs', () => {});\nthrow new Error('broken at import');\n",
    });
    expect(r).toEqual({ code: 1, line: 'tests: 1 passed, 1 failed, 0 skipped' });
  });

  it('counts hooks that throw (file and suite level), failed tests and unhandled errors; skipped stays skipped', async () => {
    const r = await summaryOf({
      'before.test.js': "beforeAll(() => { throw new Error('beforeAll'); });\nit('a', () => {});\nit('b', () => {});\n",
      'after.test.js': "afterAll(() => { throw new Error('afterAll'); });\nit('c', () => {});\n",
      'suite.test.js': "describe('s', () => {\n  afterEach(() => { throw new Error('afterEach'); });\n  it('d', () => {});\n});\ndescribe('t', () => {\n  afterAll(() => { throw new Error('suite afterAll'); });\n  it('e', () => {});\n});\n",
      'fails.test.js': "it('f', () => { throw new Error('f'); });\nit.skip('g', () => {});\n",
      'unhandled.test.js': "it('h', () => { Promise.reject(new Error('unhandled')); });\n",
    });
    // passed: c, e, h; failed: before.test.js, after.test.js, d (its afterEach), suite t, f, the unhandled rejection;
    // skipped: a, b (their beforeAll threw), g
    expect(r).toEqual({ code: 1, line: 'tests: 3 passed, 6 failed, 3 skipped' });
  });

  it('all green reads 0 failed', async () => {
    expect(await summaryOf({ 'ok.test.js': "it('passes', () => {});\nit.skip('later', () => {});\n" })).toEqual({ code: 0, line: 'tests: 1 passed, 0 failed, 1 skipped' });
  });
});
