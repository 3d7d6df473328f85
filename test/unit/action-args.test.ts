// The action's argument check (action/argv.mjs) against commander itself: for any lines of args, either the check
// refuses them, or commander, given them after the action's own `--output json`, sets no -o/--output, -q/--quiet or
// -h/--help from them. A property over generated args (fast-check), so no spelling of a bypass is left to a list.
import { Command, CommanderError, Option } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionArgv, Refused } from '../../action/argv.mjs';
import { COMMANDS } from '../../src/cli.js';
import type { CommandSpec } from '../../src/core/flags.js';

/** What commander makes of argv: the program (with -V, --version) and the subcommand, declared as cli.ts declares them. */
function commanderReads(spec: CommandSpec, argv: string[]): { error?: string; printed: boolean; fromUser: string[] } {
  const quiet = { writeOut: () => {}, writeErr: () => {} };
  const prog = new Command('docstatus').version('0.0.0', '-V, --version').exitOverride().configureOutput(quiet);
  const cmd = prog.command(spec.name).exitOverride().configureOutput(quiet);
  for (const arg of spec.args) cmd.argument(arg.required ? `<${arg.name}${arg.variadic ? '...' : ''}>` : `[${arg.name}${arg.variadic ? '...' : ''}]`);
  for (const flag of Object.values(spec.flags)) {
    const option = new Option(flag.flags);
    if (flag.choices) option.choices(flag.choices);
    if (flag.repeatable) option.argParser((v: string, p: string[] | undefined) => [...(p ?? []), v]);
    cmd.addOption(option);
    if (flag.negation) cmd.addOption(new Option(flag.flags.replace(/^--/, '--no-')));
  }
  // which options a value came from on the command line after the action's own --output json
  const sets: string[] = [];
  cmd.on('option:output', (v: string) => sets.push(`output=${v}`));
  cmd.on('option:quiet', () => sets.push('quiet'));
  cmd.action(() => {});
  try {
    prog.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // help or the version printed instead of a result, exit 0
      const printed = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(err.code);
      return { error: err.code, printed, fromUser: sets.slice(1) };
    }
    throw err;
  }
  return { printed: false, fromUser: sets.slice(1) };
}

const kendra = COMMANDS.find((c) => c.name === 'kendra-status')!;
const WORDS = ['-o', '-q', '-h', '-V', '-Vq', '--version', '--output', '--quiet', '--help', '--output=markdown', '--quiet=1', '-qo', '-oq', '-ojson', '-o=json', '--', '-', '--region', '--ids-file', '--timeout=5s', '--wait', '--no-color', '--no-github', '--github', 'json', 'markdown', 'a', '-x', '--until', 'indexed'];

describe('action/argv.mjs reads args as commander does', () => {
  it('property: whatever the lines, a run that is not refused gets no -o/-q/--help from them', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }), (lines) => {
        let argv: string[];
        try {
          argv = actionArgv('kendra-status', lines.join('\n'), COMMANDS);
        } catch (err) {
          if (err instanceof Refused) return; // refused: exit 2, nothing run
          throw err;
        }
        const read = commanderReads(kendra, argv);
        expect({ lines, printed: read.printed, fromUser: read.fromUser }).toEqual({ lines, printed: false, fromUser: [] });
      }),
      { numRuns: 3000 },
    );
  });

  it('the property can fail: the bypasses it found are real for commander, and refused', () => {
    // a check that stops at the first `--` line (the old one) let `--region` `--` `-o` `markdown` through
    expect(commanderReads(kendra, ['kendra-status', '--output', 'json', '--region', '--', '-o', 'markdown']).fromUser).toEqual(['output=markdown']);
    // help after an unknown option, even past a `--`; the program's -V even as a flag's value
    expect(commanderReads(kendra, ['kendra-status', '--output', 'json', '--bogus', '--', '--help']).printed).toBe(true);
    expect(commanderReads(kendra, ['kendra-status', '--output', 'json', '--region', '-V']).printed).toBe(true);
    for (const lines of ['--region\n--\n-o\nmarkdown', '--bogus\n--\n--help', '--region\n-V', '-Vq', '--version']) {
      expect(() => actionArgv('kendra-status', lines, COMMANDS), lines).toThrow(Refused);
    }
  });

  it('every subcommand that checks documents is allowed, nothing else', () => {
    for (const c of COMMANDS) {
      const ok = Object.hasOwn(c.flags, 'output');
      if (ok) expect(actionArgv(c.name, '', COMMANDS)).toEqual([c.name, '--output', 'json']);
      else expect(() => actionArgv(c.name, '', COMMANDS)).toThrow(Refused);
    }
  });
});
