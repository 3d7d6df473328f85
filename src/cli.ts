import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { demoCommand, emulateCommand } from './app/flags.js';
import { exampleLines, HELP_CONFIG, listLines } from './app/help.js';
import type { Io } from './app/io.js';
import type { Logger } from './app/logger.js';
import type { PartialIo } from './app/runtime.js';
import { type CommandSpec, EXIT_CODES_HELP, type FlagSpec } from './core/flags.js';
import { unsupportedNode } from './core/node-version.js';
import { proxySecrets } from './core/proxy.js';
import { Secrets } from './core/secrets.js';
import { sanitize } from './core/sanitize.js';
import { SERVICE_NAMES, SERVICES } from './services/index.js';

export type { Io } from './app/io.js';
export type { PartialIo } from './app/runtime.js';

type Action = (io: Io, log: Logger) => Promise<number>;
/**
 * What the runtime needs of the flags: the output switches, and the command's declared secrets (FlagSpec.secret,
 * CommandSpec.secretEnv): the flag values given, by flag, and the variables to read from the run's environment.
 */
type RunOpts = { verbose?: boolean; quiet?: boolean; color?: boolean; secretFlags?: Array<[string, string]>; secretEnv?: string[] };

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/**
 * commander's Option for one declared flag: default, choices, the variables it falls back to. A repeatable flag has no
 * commander default (help would print `(default: [])`): the action gives it its empty list.
 */
function optionOf(spec: FlagSpec): Option {
  const env = spec.env?.length ? ` (default: ${spec.env.map((v) => `$${v}`).join(', then ')})` : '';
  const option = new Option(spec.flags, `${spec.description}${env}`);
  if (spec.choices) option.choices(spec.choices);
  if (spec.repeatable) option.argParser(collect);
  else if (spec.default !== undefined) option.default(spec.default);
  return option;
}

/** Text for stderr, each of its lines sanitised (core/sanitize.ts), its line ends kept. */
function cleanLines(text: string): string {
  return text
    .split('\n')
    .map((line) => sanitize(line))
    .join('\n');
}

/**
 * commander's Command, but `-h`/`--help` past a `--` is an operand, never a request for help. commander sets aside an
 * unknown option with everything after it, a `--` and what follows included, then prints help (exit 0) if `--help` is
 * anywhere in that: `kendra-status --bogus -- --help` was help and exit 0 where an unknown option is exit 2.
 */
class DocstatusCommand extends Command {
  override createCommand(name?: string): DocstatusCommand {
    return new DocstatusCommand(name);
  }

  /** commander's hook (private in its types) that prints help if `args` hold a help flag: only the part before `--`. */
  _outputHelpIfRequested(args: string[]): void {
    const end = args.indexOf('--');
    const hook = (Command.prototype as unknown as { _outputHelpIfRequested(args: string[]): void })._outputHelpIfRequested;
    hook.call(this, end < 0 ? args : args.slice(0, end));
  }
}

/** Every subcommand: the registry's services, then the emulator and the demo. */
export const COMMANDS: readonly CommandSpec[] = [...SERVICE_NAMES.flatMap((name): readonly CommandSpec[] => SERVICES[name].commands), emulateCommand, demoCommand];

/**
 * The secrets that commander's own messages could quote back (`--output "$AZURE_TRANSLATOR_KEY"`: 'argument ... is
 * invalid'), before a run has its list (app/runtime.ts): the values given to any command's secret flags, every
 * command's secret variables, and the proxies' user names and passwords.
 */
function parseSecrets(argv: readonly string[], env: Record<string, string | undefined>): Secrets {
  const secretFlags = COMMANDS.flatMap((c) => Object.values(c.flags)).filter((f) => f.secret);
  const names = new Set(secretFlags.flatMap((f) => f.flags.split(/[ ,]+/).filter((w) => w.startsWith('-'))));
  const values = argv.flatMap((arg, i) => {
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0 && names.has(arg.slice(0, eq))) return [arg.slice(eq + 1)];
    return names.has(arg) ? [argv[i + 1]] : [];
  });
  const variables = [...secretFlags.flatMap((f) => f.env ?? []), ...COMMANDS.flatMap((c) => c.secretEnv ?? [])];
  const secrets = new Secrets();
  secrets.add([...values, ...variables.map((name) => env[name]), ...proxySecrets(env).flatMap(([, v]) => v)]);
  return secrets;
}

/** Builds the commander program from the declared commands; `run` receives each subcommand's action. */
function program(io: PartialIo, secrets: () => Secrets, run: (action: Action, opts: RunOpts) => void): Command {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const titles = SERVICE_NAMES.map((name) => SERVICES[name].title);
  // --help fits the terminal it is printed on (80 columns when it is not one)
  const widthOf = (out: Io['stdout']) => (out.isTTY && out.columns ? out.columns : undefined);
  const helpWidth = (error: boolean) => (error ? widthOf(stderr) : widthOf(stdout)) ?? 80;
  const prog = new DocstatusCommand('docstatus')
    .description(`Ask ${titles.slice(0, -1).join(', ')} and ${titles.at(-1)} whether documents are done, and wait until they are.`)
    .version(pkg.version, '-V, --version')
    // The program's own options (-V, --version, -h) only before the subcommand: after it, every argument is the
    // subcommand's, so `kendra-status --region -V` is a bad region (exit 2), not the version and exit 0.
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureHelp(HELP_CONFIG)
    .configureOutput({
      writeOut: (s) => stdout.write(s),
      // Every stderr line cleaned as service text is (escape sequences, CR and other control characters): an argument
      // that commander quotes back (`--until $'x\r::stop-commands::x'`) must not start a line of its own on a runner.
      // Scrubbed too: a secret given where another value was expected is quoted back in commander's error.
      writeErr: (s) => stderr.write(secrets().scrub(cleanLines(s))),
      getOutHelpWidth: () => helpWidth(false),
      getErrHelpWidth: () => helpWidth(true),
      // One line: commander puts its "(Did you mean ...?)" on a line of its own.
      // An unknown `--flag=value` is named without its value: a mistyped secret flag (`--kye=$KEY`) is no known secret.
      outputError: (s, write) =>
        write(
          `docstatus: ${s
            .replace(/^error: /, '')
            .trim()
            .replace(/^(unknown option '--[^=']*)=[^]*?'(?=$|\s+\(Did you mean)/, "$1=...'")
            .replace(/\s*\n\s*/g, ' ')}\n`,
        ),
    });

  for (const spec of COMMANDS) {
    const cmd = prog.command(spec.name).description(spec.description);
    for (const arg of spec.args) cmd.argument(arg.required ? `<${arg.name}${arg.variadic ? '...' : ''}>` : `[${arg.name}${arg.variadic ? '...' : ''}]`, arg.description);
    for (const flag of Object.values(spec.flags)) {
      cmd.addOption(optionOf(flag));
      // commander pairs `--x` and `--no-x` under one name; with both declared, neither form sets a default.
      if (flag.negation) cmd.addOption(new Option(flag.flags.replace(/^--/, '--no-'), flag.negation));
    }
    cmd.addHelpText('after', ({ error }) => {
      const width = helpWidth(error);
      return `\nExamples:\n${spec.examples.map((e) => exampleLines(e, width)).join('\n')}\n\n${listLines(spec.exitCodes ?? EXIT_CODES_HELP, width)}\n`;
    });
    cmd.action((...params: unknown[]) => {
      const command = params.at(-1) as Command;
      const raw = command.opts();
      for (const [key, flag] of Object.entries(spec.flags)) if (flag.repeatable && raw[key] === undefined) raw[key] = [];
      const args = command.processedArgs as unknown[];
      const secretFlags = Object.entries(spec.flags).flatMap(([key, flag]): Array<[string, string]> => {
        const value = raw[key];
        const name = flag.flags.split(/[ ,]+/).find((f) => f.startsWith('--'))!;
        return flag.secret ? (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string').map((v) => [name, v]) : [];
      });
      const secretEnv = [...Object.values(spec.flags).flatMap((flag) => (flag.secret ? (flag.env ?? []) : [])), ...(spec.secretEnv ?? [])];
      run(async (io, log) => (await spec.load())(args, raw, io, log), { ...raw, secretFlags, secretEnv });
    });
  }
  return prog;
}

/**
 * Runs the CLI on argv (without node and script) and returns the exit code. Never exits the process. `io` sets any
 * part of the outside world (tests give all of it; bin/ only the interrupt signal). Only commander and the flag
 * declarations are loaded up front: a subcommand loads its own code, and app/runtime.ts for the Io, the logger and
 * the error mapping.
 */
export async function main(argv: string[], io: PartialIo): Promise<number> {
  let code = 0;
  let pending: Promise<void> | undefined;
  // built only when commander writes to stderr: --help and --version pay nothing for it
  let secrets: Secrets | undefined;
  const parsed = () => (secrets ??= parseSecrets(argv, io.env ?? process.env));
  const prog = program(io, parsed, (action, opts) => {
    pending = import('./app/runtime.js')
      .then((runtime) => runtime.execute(action, opts, io))
      .then((c) => {
        code = c;
      });
  });
  if (argv.length === 0) {
    prog.outputHelp({ error: true });
    return 2;
  }
  try {
    await prog.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2;
    }
    throw err;
  }
  if (pending) await pending;
  return code;
}

export { EXIT, STDOUT_FAILED, STDOUT_GONE } from './core/exit-codes.js';

/** bin/'s line for a Node older than package.json's engines (core/node-version.ts), or undefined. */
export function nodeVersionWarning(version: string = process.versions.node, env: Record<string, string | undefined> = process.env): string | undefined {
  const message = unsupportedNode(version, pkg.engines.node, env);
  return message && `docstatus: warning: ${message}\n`;
}
