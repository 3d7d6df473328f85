// How a run that throws ends (issue 15, section 3): only a real input interrupt is "nothing was sent", anything else is
// an internal error (70); a spinner never outlives its run.
import { describe, expect, it } from 'vitest';
import { execute } from '../../src/app/runtime.js';
import { Logger } from '../../src/app/logger.js';
import { InputInterrupted } from '../../src/core/input.js';
import { runPoll } from '../../src/core/run-poll.js';
import { STDOUT_FAILED, STDOUT_GONE } from '../../src/core/exit-codes.js';
import { fakeClock, memoryIo } from '../helpers.js';

const aborted = (reason: string) => {
  const c = new AbortController();
  c.abort(reason);
  return c.signal;
};

describe('execute(): what a thrown error after an abort is', () => {
  const run = async (err: unknown, reason?: string) => {
    const { io, stdout, stderr } = memoryIo({ signal: reason === undefined ? undefined : aborted(reason) });
    const code = await execute(async () => Promise.reject(err), {}, io);
    return { code, stdout: stdout(), stderr: stderr() };
  };

  it('an input interrupt by SIGINT or SIGTERM: 130 or 143, "nothing was sent"', async () => {
    expect(await run(new InputInterrupted('x'), 'SIGINT')).toEqual({ code: 130, stdout: '', stderr: 'docstatus: warning: interrupted by SIGINT while reading the input: nothing was sent\n' });
    expect(await run(new InputInterrupted('x'), 'SIGTERM')).toEqual({ code: 143, stdout: '', stderr: 'docstatus: warning: interrupted by SIGTERM while reading the input: nothing was sent\n' });
  });

  it('an input read ended by standard output going away is never "interrupted by EPIPE"', async () => {
    for (const reason of [STDOUT_GONE, STDOUT_FAILED]) {
      const r = await run(new InputInterrupted('x'), reason);
      expect(r).toEqual({ code: 74, stdout: '', stderr: 'docstatus: standard output went away while reading the input: nothing was sent\n' });
    }
  });

  it('any other error after an abort (SIGINT, SIGTERM, EPIPE) is an internal error, exit 70, one line', async () => {
    for (const reason of ['SIGINT', 'SIGTERM', STDOUT_GONE, STDOUT_FAILED]) {
      const r = await run(new TypeError('cannot read properties of undefined'), reason);
      expect({ reason, ...r }).toEqual({ reason, code: 70, stdout: '', stderr: 'docstatus: internal error: cannot read properties of undefined\n' });
    }
    expect(await run(new TypeError('x'))).toEqual({ code: 70, stdout: '', stderr: 'docstatus: internal error: x\n' });
  });

  it('an AbortError that the user\'s SIGINT or SIGTERM caused is that interrupt, never "while reading the input"; one that stdout going away caused is 70', async () => {
    const abort = () => Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    expect(await run(abort(), 'SIGINT')).toEqual({ code: 130, stdout: '', stderr: 'docstatus: warning: interrupted by SIGINT\n' });
    expect(await run(abort(), 'SIGTERM')).toEqual({ code: 143, stdout: '', stderr: 'docstatus: warning: interrupted by SIGTERM\n' });
    expect(await run(abort(), STDOUT_GONE)).toEqual({ code: 70, stdout: '', stderr: 'docstatus: internal error: This operation was aborted\n' });
  });
});

describe('runPoll(): the spinner', () => {
  it('stops when the source throws: nothing is drawn on stderr after the run', async () => {
    const { io, stderr } = memoryIo({ clock: fakeClock() });
    const tty = { write: (s: string) => io.stderr.write(s), isTTY: true, columns: 80, cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
    const log = new Logger(tty, { env: { TERM: 'xterm' }, color: false });
    const source = { ids: ['a'], round: async () => Promise.reject(new TypeError('a bug in a source')) };
    const flags = { wait: false, intervalMs: 1000, timeoutMs: 0, failFast: false, concurrency: 1, requestTimeoutMs: 1000, output: 'json', quiet: false, verbose: false, wide: false, progressIntervalMs: 0, github: false } as const;
    const meta = { service: 'kendra', target: {}, title: 't', columns: () => [] } as unknown as Parameters<typeof runPoll>[1];
    await expect(runPoll(source, meta, flags, { ...io, stderr: tty }, log)).rejects.toThrow('a bug in a source');
    await new Promise((r) => setTimeout(r, 50));
    const after = stderr().length;
    await new Promise((r) => setTimeout(r, 300));
    expect(stderr().length).toBe(after);
  });
});
