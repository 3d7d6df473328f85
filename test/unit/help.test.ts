import { describe, expect, it } from 'vitest';
import { COMMANDS, main } from '../../src/cli.js';
import { exampleLines, listLines, shellWords } from '../../src/app/help.js';
import { DOCUMENTED_STATUSES } from '../../src/services/translator/states.js';

/** `docstatus ...args` in-process, its stdout a terminal `columns` wide (or not a terminal). */
async function help(args: string[], columns?: number): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    stdout: { write: (s: string) => out.push(s), isTTY: columns !== undefined, columns },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
    signal: new AbortController().signal,
  });
  return { code, out: out.join(''), err: err.join('') };
}

/** The words of a help text, the ` \` that continues an example line left out. */
const words = (text: string) => text.split(/\s+/).filter((w) => w !== '' && w !== '\\');

const PAGES = [[] as string[], ...COMMANDS.map((c) => [c.name])];

describe('--help fits the terminal and breaks no word', () => {
  for (const page of PAGES) {
    it.each([60, 80, 120])(`docstatus ${page.join(' ')} --help at %i columns`, async (width) => {
      const wrapped = await help([...page, '--help'], width);
      expect(wrapped).toMatchObject({ code: 0, err: '' });
      const long = wrapped.out.split('\n').filter((l) => l.length > width);
      expect(long).toEqual([]);
      // the same words in the same order as with room for every line: a word cut in two would be two words here
      const whole = await help([...page, '--help'], 10_000);
      expect(words(wrapped.out)).toEqual(words(whole.out));
    });
  }

  it('not a terminal: 80 columns', async () => {
    const piped = await help(['kendra-status', '--help']);
    expect(piped.out).toBe((await help(['kendra-status', '--help'], 80)).out);
  });

  it('the command list names the commands (their arguments are on their own pages)', async () => {
    const { out } = await help(['--help'], 80);
    for (const c of COMMANDS) expect(out).toMatch(new RegExp(`^  ${c.name} +\\S`, 'm'));
    // the break in mid-word that 80 columns showed
    expect(out).toContain('  -V, --version     output the version number\n');
  });
});

describe("every subcommand's --help", () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: examples, exit codes, the values of each flag that takes a set, no (default: [])', async (name, spec) => {
    const { out } = await help([name, '--help'], 10_000);
    expect(out).not.toContain('(default: [])');
    expect(out).toContain('\nExamples:\n');
    for (const e of spec.examples) expect(out).toContain(`  $ ${e}\n`);
    expect(out).toMatch(/\nExit codes:\n {2}0 {4}\S/);
    expect(out).toContain('\n  70   an internal error (a bug in docstatus)\n');
    for (const flag of Object.values(spec.flags)) {
      if (flag.choices) expect(out).toContain(`(choices: ${flag.choices.map((c) => `"${c}"`).join(', ')}`);
    }
  });

  it('the polling commands list exit 1 and 3; emulate and demo their own', async () => {
    for (const name of ['kendra-status', 'kb-status', 'translate-status', 'translate-docs']) {
      const { out } = await help([name, '--help'], 10_000);
      expect(out).toContain('  3    documents still pending (one pass), --timeout passed, or a listing\n       found no document yet\n');
    }
    expect((await help(['emulate', '--help'], 10_000)).out).toContain('  0    stopped by SIGINT or SIGTERM\n');
    expect((await help(['demo', '--help'], 10_000)).out).toContain('  0    the demo ran');
  });

  it('translate-docs --status and --order-by, whose values are lists, name every value', async () => {
    const { out } = await help(['translate-docs', '--help'], 10_000);
    expect(out).toContain(`(statuses): ${DOCUMENTED_STATUSES.join(', ')}\n`);
    expect(out).toContain('"createdDateTimeUtc asc" or "createdDateTimeUtc desc"');
  });

  it('a repeatable flag shows no default', async () => {
    const { out } = await help(['kendra-status', '--help'], 10_000);
    expect(out).toMatch(/--attribute <key=value> +a StringValue attribute .*\(repeatable\)\n/);
  });
});

describe('help text helpers', () => {
  it('shellWords keeps quoted words whole', () => {
    expect(shellWords(`a "b c" 'd "e' f\\ g --x="y z"`)).toEqual(['a', '"b c"', `'d "e'`, 'f\\ g', '--x="y z"']);
  });

  it('exampleLines continues a long line with \\ at a space outside quotes', () => {
    expect(exampleLines('docstatus x --order-by "createdDateTimeUtc asc" --wait', 40)).toBe(
      ['  $ docstatus x --order-by \\', '      "createdDateTimeUtc asc" --wait'].join('\n'),
    );
    expect(exampleLines('docstatus demo', 20)).toBe('  $ docstatus demo');
  });

  it('listLines wraps each text under itself', () => {
    expect(listLines('Exit codes:\n  0    one two three four\n  130  five', 20)).toBe('Exit codes:\n  0    one two three\n       four\n  130  five');
  });
});

describe('help and the version only where they are asked for', () => {
  it('-V/--version and -h/--help of the program: before the subcommand only', async () => {
    expect(await help(['--version'])).toEqual({ code: 0, out: '0.1.0\n', err: '' });
    expect(await help(['-V'])).toEqual({ code: 0, out: '0.1.0\n', err: '' });
    expect(await help(['-h'])).toMatchObject({ code: 0, err: '', out: expect.stringMatching(/^Usage: docstatus \[options\] \[command\]\n/) });
    for (const c of COMMANDS) {
      // each subcommand's own -h and --help still print its page
      for (const flag of ['-h', '--help']) expect(await help([c.name, flag])).toMatchObject({ code: 0, err: '', out: expect.stringMatching(new RegExp(`^Usage: docstatus ${c.name} `)) });
    }
  });

  // A CI variable holding `-V` given as a flag's value printed the version and exited 0: the gate passed.
  it.each([
    [['kendra-status', '--index-id', 'a1b2c3d4-0000-4000-8000-00000000beef', '--region', '-V', 'a'], /^docstatus: .*'-V'/],
    [['kendra-status', '--index-id', 'a1b2c3d4-0000-4000-8000-00000000beef', '--region', '--version', 'a'], /^docstatus: .*'--version'/],
    [['translate-status', '--endpoint', '-V', 'B1'], /^docstatus: /],
    [['kendra-status', '-V'], /^docstatus: unknown option '-V'/],
  ])('%j is bad input (exit 2, one line), not the version', async (argv, message) => {
    const run = await help(argv);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toMatch(message);
    expect(run.err.split('\n')).toHaveLength(2);
  });

  // commander set `--help` after an unknown option aside with it, past the `--` too, then printed help (exit 0).
  it.each([
    ['kendra-status', '--bogus', '--', '--help'],
    ['kendra-status', '--bogus', '--', '-h'],
    ['translate-docs', '--bogus', 'x', '--', '--help'],
    ['--bogus', '--', '--help'],
  ].map((argv) => [argv.join(' '), argv] as const))('%s: the unknown option is exit 2; a --help past -- is no request for help', async (_name, argv) => {
    const run = await help([...argv]);
    expect(run).toEqual({ code: 2, out: '', err: "docstatus: unknown option '--bogus'\n" });
  });
});
