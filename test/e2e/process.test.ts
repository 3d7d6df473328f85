// The process as a shell sees it: stdout's reader going away, a full disk, signals at scale, colour on a terminal.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Step } from '../../src/emulator/scenario.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { BIN, cliEnv, INDEX, runCli, tempFile } from '../helpers.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000f2';
const statusCalls = (e: Emulator) => e.requests.filter((r) => r.op === 'BatchGetDocumentStatus');
const ids = (n: number) => Array.from({ length: n }, (_, i) => `doc-${i}`);

/** Runs a bash command line (the tool is `$DOCSTATUS`); resolves with its exit code, output and wall time. */
function sh(script: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { env: { ...cliEnv(env), DOCSTATUS: `${process.execPath} ${BIN}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('stdout that goes away (EPIPE)', () => {
  it('--wait -o ndjson | head -c100 with 3000 pending documents: stops at once, sends nothing more, exits 3 (pending), no stack trace', async () => {
    const e = (emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: Object.fromEntries(ids(3000).map((id) => [id, [{ status: 'PROCESSING' }] as Step[]])) } } } }));
    const file = tempFile('ids.txt', ids(3000).join('\n'));
    const r = await sh(`set -o pipefail; $DOCSTATUS kendra-status --index-id ${INDEX} --endpoint-url ${e.url} --ids-file ${file} --wait --interval 1s -o ndjson | head -c100`);
    expect(r.code).toBe(3);
    expect(r.stdout).toHaveLength(100);
    expect(r.stderr).not.toMatch(/Error|at .*\.js/);
    // The first answers are more than 100 bytes: the run stops after the requests already on the wire, long before
    // the 300 of the first round (and never polls a second round).
    expect(statusCalls(e).length).toBeLessThanOrEqual(12);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('the result so far decides the code: every document succeeded before the reader left (json | head -c1) is 0, one failed is 1', async () => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }], b: [{ status: 'INDEXED' }], c: [{ status: 'FAILED' }] } } } } });
    const base = `$DOCSTATUS kendra-status --index-id ${INDEX} --endpoint-url ${emulator.url}`;
    const ok = await sh(`set -o pipefail; ${base} a b | head -c1`);
    expect(ok).toMatchObject({ code: 0, stdout: '{', stderr: '' });
    const failed = await sh(`set -o pipefail; ${base} a c | head -c1`);
    expect(failed).toMatchObject({ code: 1, stdout: '{', stderr: '' });
  });

  it('-o junit and a reader that left (| head -c1): the result decides the code, no stack trace; one request each', async () => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }], b: [{ status: 'INDEXED' }], c: [{ status: 'FAILED' }] } } } } });
    const base = `$DOCSTATUS kendra-status --index-id ${INDEX} --endpoint-url ${emulator.url} -o junit`;
    const ok = await sh(`set -o pipefail; ${base} a b | head -c1`);
    expect({ code: ok.code, stdout: ok.stdout, stderr: ok.stderr }).toEqual({ code: 0, stdout: '<', stderr: '' });
    const failed = await sh(`set -o pipefail; ${base} a c | head -c1`);
    expect({ code: failed.code, stdout: failed.stdout, stderr: failed.stderr }).toEqual({ code: 1, stdout: '<', stderr: '' });
    expect(statusCalls(emulator)).toHaveLength(2);
  });

  it('--github and a reader that left (json | head -c1): the step summary and outputs are still written, with the result\'s code', async () => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }], c: [{ status: 'FAILED', failureReason: 'too big' }] } } } } });
    const summary = tempFile('step_summary', '');
    const output = tempFile('output', '');
    const r = await sh(`set -o pipefail; $DOCSTATUS kendra-status --index-id ${INDEX} --endpoint-url ${emulator.url} a c | head -c1`, {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('{');
    expect(r.stderr).toBe(`::error title=docstatus%3A c failed::FAILED: too big (Amazon Kendra index ${INDEX})\n`);
    expect(readFileSync(output, 'utf8')).toBe('outcome=failed\nexit-code=1\ntotal=2\nsucceeded=1\nfailed=1\npending=0\nerror=0\n');
    expect(readFileSync(summary, 'utf8')).toContain(`### docstatus: Amazon Kendra index ${INDEX}\n`);
    expect(statusCalls(emulator)).toHaveLength(1);
  });
});

describe('stdout that cannot be written (a full disk)', () => {
  it.each(['json', 'ndjson', 'table', 'markdown', 'junit'])('-o %s > /dev/full: one stderr line and exit 74, even when every document succeeded', async (format) => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } } });
    const r = await sh(`$DOCSTATUS kendra-status --index-id ${INDEX} --endpoint-url ${emulator.url} a -o ${format} > /dev/full`);
    expect(r.code).toBe(74);
    expect(r.stderr).toBe('docstatus: cannot write the result to standard output: ENOSPC\n');
  });
});

describe('interrupts', () => {
  it('SIGINT while translate-docs --wait waits for its first page: exit 130, and nothing read is no success', async () => {
    const e = (emulator = await startEmulator({
      translator: { batches: { [BATCH]: { documents: { a: { timeline: [{ status: 'Succeeded' }] } } } } },
      faults: [{ service: 'translator', type: 'stall', ms: 20_000 }],
    }));
    const r = await runCli(['translate-docs', BATCH, '--endpoint', e.url, '--wait'], {
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (e.requests.length >= 1) {
            clearInterval(timer);
            child.kill('SIGINT');
          }
        }, 10);
      },
    });
    expect(r.code).toBe(130);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ outcome: 'pending', complete: false, summary: { total: 0 } });
    expect(r.stderr).toBe('docstatus: warning: interrupted by SIGINT: the result so far\n');
  });

  it('SIGINT before any answer, -o ndjson: a pending line for every document, then the result', async () => {
    const e = (emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: {} } } }, faults: [{ service: 'kendra', type: 'stall', ms: 20_000 }] }));
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, 'a', 'b', 'c', '--wait', '-o', 'ndjson'], {
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (statusCalls(e).length >= 1) {
            clearInterval(timer);
            child.kill('SIGINT');
          }
        }, 10);
      },
    });
    expect(r.code).toBe(130);
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(out.slice(0, -1).map(({ at: _at, ...d }) => d)).toEqual(['a', 'b', 'c'].map((id) => ({ type: 'document', id, state: 'pending' })));
    expect(out.at(-1)).toMatchObject({ type: 'result', outcome: 'pending', summary: { total: 3, pending: 3 }, stats: { requests: 1 } });
    expect(statusCalls(e)).toHaveLength(1);
  });

  it.each(['--ids-file', '--document-info'])('SIGTERM while %s is a FIFO nobody writes: exit 143 at once, nothing sent', async (flag) => {
    const e = (emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: {} } } } }));
    const fifo = join(mkdtempSync(join(tmpdir(), 'docstatus-fifo-')), 'ids');
    execFileSync('mkfifo', [fifo]);
    // Before: open() of the FIFO blocked a libuv thread, and the process could not exit over it: neither the first
    // SIGTERM nor a second ended it.
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, flag, fifo], {
      timeoutMs: 10_000,
      onSpawn: (child) => setTimeout(() => child.kill('SIGTERM'), 500),
    });
    expect(r).toMatchObject({ code: 143, signal: null, stdout: '' });
    expect(r.stderr).toBe('docstatus: warning: interrupted by SIGTERM while reading the input: nothing was sent\n');
    expect(e.requests).toHaveLength(0);
  });

  it('an --ids-file FIFO whose writer comes later is read whole', async () => {
    const e = (emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }], b: [{ status: 'INDEXED' }] } } } } }));
    const fifo = join(mkdtempSync(join(tmpdir(), 'docstatus-fifo-')), 'ids');
    execFileSync('mkfifo', [fifo]);
    const writer = new Promise<void>((resolve) => setTimeout(() => writeFile(fifo, 'a\nb\n').then(() => resolve()), 500));
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url, '--ids-file', fifo, '-o', 'json'], { timeoutMs: 10_000 });
    await writer;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents.map((d: { id: string; state: string }) => `${d.id}:${d.state}`)).toEqual(['a:succeeded', 'b:succeeded']);
    expect(statusCalls(e)).toHaveLength(1);
  });

  it('Ctrl-C while --ids-file /dev/stdin is a terminal nobody types into: exit 130 at once, one stderr line, nothing sent', async () => {
    const e = (emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: {} } } } }));
    // script(1) gives the tool a pseudo-terminal as stdin; the \x03 written to script's own stdin is a Ctrl-C typed on
    // it (the terminal sends SIGINT to the tool). `--ids-file -` was interruptible; /dev/stdin (the same terminal,
    // opened by path) was read by a blocking read() in a libuv worker thread: one Ctrl-C did nothing, nor SIGTERM.
    const cmd = `stty cols 100 rows 30; exec ${process.execPath} ${BIN} kendra-status --index-id ${INDEX} --endpoint-url ${e.url} --ids-file /dev/stdin -o json`;
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...cliEnv(), TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const ctrlC = setTimeout(() => child.stdin.write('\u0003'), 1000);
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      child.on('close', (code) => {
        clearTimeout(ctrlC);
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
    expect(r.code).toBe(130);
    expect(r.out.replace(/\^C/g, '')).toBe('docstatus: warning: interrupted by SIGINT while reading the input: nothing was sent\r\n');
    expect(e.requests).toHaveLength(0);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s during a one-pass run over 100,000 IDs: the workers stop at once, requests counted as the server saw them', async (signal) => {
    const e = (emulator = await startEmulator({ latency: 50, kendra: { indexes: { [INDEX]: { documents: {} } } } }));
    let signalledAt = 0;
    let seenAtSignal = 0;
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', e.url], {
      input: ids(100_000).join('\n'),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (statusCalls(e).length >= 20) {
            clearInterval(timer);
            seenAtSignal = statusCalls(e).length;
            signalledAt = Date.now();
            child.kill(signal);
          }
        }, 5);
      },
    });
    const exitedAfter = Date.now() - signalledAt;
    expect(r.code).toBe(signal === 'SIGINT' ? 130 : 143);
    const out = JSON.parse(r.stdout);
    expect(out.summary.total).toBe(100_000);
    // Only the requests already in flight (--concurrency 4) may reach the server after the signal.
    expect(statusCalls(e).length - seenAtSignal).toBeLessThanOrEqual(4);
    expect(out.stats.requests).toBe(statusCalls(e).length);
    // Before: every remaining chunk still went through the SDK (seconds at 100k, ~25 s at 1M). Generous bound here;
    // the exact time is a bench figure.
    expect(exitedAfter).toBeLessThan(5000);
  });
});

describe('colour on a terminal (script(1) gives a pseudo-terminal)', () => {
  const spinnerRun = (env: Record<string, string>, extra = '') =>
    new Promise<string>((resolve) => {
      const cmd = `stty cols 120 rows 40; ${process.execPath} ${BIN} kendra-status --index-id ${INDEX} --endpoint-url ${emulator!.url} a --wait --interval 300ms -o json ${extra}`;
      execFile('script', ['-qec', cmd, '/dev/null'], { env: { ...cliEnv({ CI: '', ...env }), TERM: 'xterm' }, timeout: 15_000 }, (_err, stdout) => resolve(stdout));
    });

  it('NO_COLOR=1 and --no-color both keep the spinner plain; without them it is cyan', async () => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'PROCESSING' }, { afterPolls: 3, status: 'INDEXED' }] } } } } });
    const coloured = await spinnerRun({ NO_COLOR: '' });
    expect(coloured).toContain('waiting for documents');
    expect(coloured).toContain('\u001b[36m');
    for (const plain of [await spinnerRun({ NO_COLOR: '1' }), await spinnerRun({ NO_COLOR: '' }, '--no-color')]) {
      expect(plain).toContain('waiting for documents');
      expect(plain).not.toContain('\u001b[36m');
    }
  });
});
