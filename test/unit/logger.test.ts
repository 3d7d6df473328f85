import { describe, expect, it } from 'vitest';
import { Logger } from '../../src/app/logger.js';

const stream = (isTTY: boolean) => {
  const out: string[] = [];
  const noop = () => true;
  return { out, s: { isTTY, write: (t: string) => out.push(t), columns: 80, on: noop, once: noop, removeListener: noop, cursorTo: noop, clearLine: noop, moveCursor: noop } };
};

describe('Logger', () => {
  it('shows an ora spinner with the progress only when stderr is a terminal', async () => {
    const tty = stream(true);
    const spin = await new Logger(tty.s).spinner('waiting');
    spin.update('3/25 documents final');
    spin.stop();
    // ora's own rendering (cursor hidden, the first braille frame in cyan), never its disabled "- waiting" line
    expect(tty.out.join('')).toContain('\u001b[?25l');
    expect(tty.out.join('')).toContain('\u001b[36m⠋\u001b[39m waiting');
    const plain = stream(true);
    (await new Logger(plain.s, { color: false }).spinner('waiting')).stop();
    expect(plain.out.join('')).toContain('⠋ waiting');
    expect(plain.out.join('')).not.toContain('\u001b[36m');

    const pipe = stream(false);
    const none = await new Logger(pipe.s).spinner('waiting');
    none.update('3/25');
    none.stop();
    expect(pipe.out).toEqual([]);

    const sizeless = stream(true);
    sizeless.s.columns = 0;
    (await new Logger(sizeless.s).spinner('waiting')).stop();
    expect(sizeless.out).toEqual([]);

    const quiet = stream(true);
    (await new Logger(quiet.s, { quiet: true }).spinner('waiting')).stop();
    expect(quiet.out).toEqual([]);
  });

  it("decides from the command's environment, not process.env: none in CI or under TERM=dumb, a line spinner on the Linux console", async () => {
    for (const env of [{ CI: 'true' }, { CI: '' }, { TERM: 'dumb' }]) {
      const tty = stream(true);
      const log = new Logger(tty.s, { env });
      (await log.spinner('waiting')).stop();
      expect(tty.out).toEqual([]);
      expect(log.wantsHeartbeat).toBe(true);
    }
    const linux = stream(true);
    const log = new Logger(linux.s, { env: { TERM: 'linux' } });
    (await log.spinner('waiting')).stop();
    expect(linux.out.join('')).toContain('\u001b[36m-\u001b[39m waiting');
    expect(linux.out.join('')).toContain('\u001b[?25l');
    expect(log.wantsHeartbeat).toBe(false);
  });

  it('wants heartbeat lines exactly when no spinner runs and not --quiet', () => {
    const sizeless = stream(true);
    sizeless.s.columns = 0;
    expect(new Logger(stream(true).s).wantsHeartbeat).toBe(false);
    expect(new Logger(stream(false).s).wantsHeartbeat).toBe(true);
    expect(new Logger(sizeless.s).wantsHeartbeat).toBe(true);
    expect(new Logger(stream(true).s, { verbose: true }).wantsHeartbeat).toBe(true);
    expect(new Logger(stream(false).s, { quiet: true }).wantsHeartbeat).toBe(false);
    const e = stream(false);
    new Logger(e.s).info('waiting 1m: 1/2 final\u001b[2J'); // a heartbeat line
    new Logger(e.s, { quiet: true }).info('never');
    expect(e.out).toEqual(['docstatus: waiting 1m: 1/2 final\n']);
  });

  it('prefixes messages and strips control characters from them', () => {
    const e = stream(false);
    const log = new Logger(e.s, { verbose: false });
    log.error('bad \u001b[31mthing\u001b[0m');
    log.warn('careful');
    log.verbose('hidden');
    expect(e.out).toEqual(['docstatus: bad thing\n', 'docstatus: warning: careful\n']);
  });
});
