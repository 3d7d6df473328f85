// The GitHub Action's argument check (used by action/args.mjs; test/unit/action-args.test.ts holds it to commander).
//
// The args are read as commander reads them, from the command's own flag declarations (dist/cli.cjs COMMANDS), so no
// line can reach docstatus as an option the check did not see: a flag that takes a value consumes the next line
// whatever it holds (`--region` then `--` is a region, and the `-o` after it an option), a line `--` ends the options
// only where commander would end them, short flags combine (`-qo`), and `--flag=value` is read by its name. The action
// sets the output format itself, so anything that would change it (`-o`, `--output`, `-q`, `--quiet`), or print help
// or the version instead of a result (`-h`, `--help`, `-V`, `--version`), is refused.

/** Flags the action sets or that would leave the result file without the JSON result. */
const REFUSED = new Map([
  ['output', "the action writes the JSON result to the file named by its 'result' output"],
  ['quiet', "the action writes the JSON result to the file named by its 'result' output"],
  ['help', 'it prints help and checks no document'],
  ['version', 'it prints the version and checks no document'],
]);

/** A value as one line of a message: control characters escaped, cut to 100 characters. */
const shown = (text) => {
  const chars = [...text];
  const cut = chars.length > 100 ? `${chars.slice(0, 100).join('')}...` : text;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
};

/** Thrown with the reason of a refusal. */
export class Refused extends Error {}

function refuse(reason) {
  throw new Refused(reason);
}

/** The options of one command as commander declares them: by `--long` and `-s`, each with its key and whether it takes a value. */
function optionsOf(spec) {
  const byName = new Map();
  const add = (flags, key) => {
    const takesValue = /<[^>]+>/.test(flags);
    for (const m of flags.matchAll(/(?:^|[\s,|])(--?[\w-]+)/g)) byName.set(m[1], { key, takesValue });
  };
  for (const [key, flag] of Object.entries(spec.flags)) {
    add(flag.flags, key);
    // commander pairs `--x` with `--no-x` (cli.ts): a boolean of the same key
    if (flag.negation) add(flag.flags.replace(/^--/, '--no-'), key);
  }
  // commander's own, on every subcommand
  add('-h, --help', 'help');
  return byName;
}

/**
 * docstatus's argv for the inputs `command` and `args` (one argument a line), or a Refused error saying why not.
 * `commands`: the declared subcommands (dist/cli.cjs COMMANDS).
 */
export function actionArgv(command, argsText, commands) {
  const checking = commands.filter((c) => Object.hasOwn(c.flags, 'output')).map((c) => c.name);
  const names = checking.join(', ');
  if (command === '') refuse(`the input 'command' is empty: name a subcommand (${names})`);
  const spec = commands.find((c) => c.name === command);
  if (spec === undefined) refuse(`the input 'command' must be a subcommand that checks documents (${names}), not '${shown(command)}'`);
  if (!checking.includes(command)) refuse(`the input 'command' must be a subcommand that checks documents (${names}): '${command}' checks none`);

  // One argument a line, taken literally; white space around it dropped (ASCII only, as bash's [:space:]), blank lines skipped.
  const lines = argsText
    .split('\n')
    .map((line) => line.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, ''))
    .filter((line) => line !== '');

  const options = optionsOf(spec);
  const check = (line, key) => {
    if (REFUSED.has(key)) refuse(`args: '${shown(line)}' is not allowed: ${REFUSED.get(key)}`);
  };
  // The program's own -V/--version is read before the subcommand's flags, in every line up to the first `--`, even
  // one that the subcommand would take as a flag's value (`--region` then `-V`), and at the head of a cluster (`-Vq`).
  for (const line of lines) {
    if (line === '--') break;
    if (line === '--version' || /^-V/.test(line)) check(line, 'version');
  }
  // As commander's parseOptions walks them. An unknown option makes docstatus exit 2, but first commander puts it aside
  // as unknown, and with it every operand after it and every line after a later `--`; it still reads the known options
  // that follow, and it prints help (exit 0) if `-h` or `--help` is among what it put aside.
  let unknown;
  for (let i = 0; i < lines.length; i++) {
    const arg = lines[i];
    if (arg === '--') {
      // the rest are operands (document IDs), whatever they look like; after an unknown option, set aside with it
      const help = unknown === undefined ? undefined : lines.slice(i + 1).find((line) => options.get(line)?.key === 'help');
      if (help) refuse(`args: '${shown(help)}' is not allowed: ${REFUSED.get('help')} (after the unknown option '${shown(unknown)}', even past a --)`);
      break;
    }
    if (arg.length < 2 || arg[0] !== '-') continue; // an operand
    const option = options.get(arg);
    if (option) {
      check(arg, option.key);
      if (option.takesValue) i++; // the next line is its value, whatever it holds
      continue;
    }
    if (arg[1] !== '-' && options.has(`-${arg[1]}`)) {
      // -abc with -a known: -a, then its value (the rest) or -bc
      let rest = arg.slice(1);
      while (rest !== '') {
        const short = options.get(`-${rest[0]}`);
        if (!short) {
          unknown ??= `-${rest}`;
          break;
        }
        check(arg, short.key);
        if (short.takesValue) break;
        rest = rest.slice(1);
      }
      continue;
    }
    // --name=value, for a flag that takes a value
    const named = /^(--[\w-]+)=/.exec(arg);
    if (named && options.get(named[1])?.takesValue) {
      check(arg, options.get(named[1]).key);
      continue;
    }
    // A flag and its value on one line with a space between reach docstatus as one unknown option.
    const spaced = /^(--[\w-]+)[ \t]/.exec(arg);
    if (spaced) refuse(`args: '${shown(spaced[1])}' and its value: write them as one line ${shown(spaced[1])}=VALUE (one argument a line)`);
    unknown ??= arg;
  }

  return [command, '--output', 'json', ...lines];
}
