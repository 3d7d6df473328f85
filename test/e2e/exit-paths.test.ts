// Exit codes only a process shows (issue 15, section 3): a rejection of main() in bin/, and a result that cannot be
// written while --github writes the step outputs and summary: the process, the outputs and the summary agree.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { BIN, captured, cliEnv, INDEX, runCli, tempFile } from '../helpers.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const PRELOAD = fileURLToPath(new URL('../fixtures/preload/reject-main.cjs', import.meta.url));

describe('bin/docstatus.js', () => {
  it('main() rejecting outside any command: exit 70 and one stderr line, no stack trace (was exit 1, a failed document)', async () => {
    const r = await runCli(['kendra-status', '--index-id', INDEX, 'a'], { env: { NODE_OPTIONS: `--require=${PRELOAD}` } });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 70,
      stdout: '',
      stderr: 'docstatus: internal error: boom     at main (dist/cli.cjs:1:1) [2J\n',
    });
  });
});

/** bin/ with stdout on a file or device (its fd given to the child), stderr captured. */
function runToFd(args: string[], stdoutPath: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const fd = openSync(stdoutPath, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(env), stdio: ['ignore', fd, 'pipe'] });
    closeSync(fd);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      captured.push(stderr);
      resolve({ code, stderr });
    });
  });
}

describe('--github with stdout on /dev/full', () => {
  it('exit 74, and $GITHUB_OUTPUT and the step summary say 74 too (they said exit-code=0 and succeeded)', async () => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } } });
    for (const format of ['json', 'table', 'junit']) {
      const output = tempFile('output', '');
      const summary = tempFile('summary', '');
      const r = await runToFd(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '-o', format, 'a'], '/dev/full', {
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
      });
      expect({ format, code: r.code, stderr: r.stderr }).toEqual({ format, code: 74, stderr: 'docstatus: cannot write the result to standard output: ENOSPC\n' });
      expect(readFileSync(output, 'utf8')).toBe('outcome=succeeded\nexit-code=74\ntotal=1\nsucceeded=1\nfailed=0\npending=0\nerror=0\n');
      const text = readFileSync(summary, 'utf8');
      expect(text).toContain('| succeeded | 74 | 1 | 1 | 0 | 0 | 0 |\n');
      expect(text).toContain("\n\n**The result could not be written** to standard output: exit code 74, whatever the documents' states.\n\n");
    }
  });

  it('a file that takes the result: exit 0 and exit-code=0, the note absent', async () => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } } });
    const output = tempFile('output', '');
    const summary = tempFile('summary', '');
    const result = tempFile('result.json', '');
    const r = await runToFd(['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, 'a'], result, { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(readFileSync(result, 'utf8')).outcome).toBe('succeeded');
    expect(readFileSync(output, 'utf8')).toBe('outcome=succeeded\nexit-code=0\ntotal=1\nsucceeded=1\nfailed=0\npending=0\nerror=0\n');
    expect(readFileSync(summary, 'utf8')).not.toContain('could not be written');
  });
});
