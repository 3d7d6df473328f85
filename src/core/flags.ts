import type { Io } from '../app/io.js';
import type { Logger } from '../app/logger.js';
import { FORMATS } from '../render/formats.js';

// Every flag is declared once, as data: cli.ts builds commander's options from it, the commands' typed raw flags are
// derived from it (RawFlags), and a test holds the README's flag tables to it. Only data here: cli.cjs loads it at
// start-up, so nothing heavier may come in.

/** One flag: commander's flags text and everything help, parsing and the README say of it. */
export interface FlagSpec {
  /** commander's flags text, e.g. `--index-id <id>`, `-o, --output <format>`, `--no-color` */
  readonly flags: string;
  readonly description: string;
  readonly default?: string | boolean;
  /** the values it takes (help lists them; anything else is exit 2) */
  readonly choices?: readonly string[];
  /** environment variables read, in order, when the flag is absent (help names them) */
  readonly env?: readonly string[];
  /** may be given more than once: the values in order */
  readonly repeatable?: boolean;
  /** a boolean flag that also takes its `--no-` form, described by this text: unset (the default decides), true or false */
  readonly negation?: string;
  /** its value (and its `env` variables') is a secret: the run scrubs it from every output (core/secrets.ts) */
  readonly secret?: boolean;
}

/** A command's flags, keyed by the name commander gives each (`--index-id` is `indexId`; a test checks the keys). */
export type Flags = Readonly<Record<string, FlagSpec>>;

/** What commander hands over for one flag: a string (or one of its choices), a list if repeatable, else a boolean. */
type ValueOf<F extends FlagSpec> = F extends { repeatable: true }
  ? string[]
  : F['flags'] extends `${string}<${string}>${string}`
    ? (F extends { choices: readonly (infer C)[] } ? C : string) | (F extends { default: string } ? never : undefined)
    : F extends { default: boolean }
      ? boolean
      : boolean | undefined;

/** The flags commander always sets: those with a default, and repeatable ones (an empty list). */
type AlwaysSet<T extends Flags> = { [K in keyof T]: undefined extends ValueOf<T[K]> ? never : K }[keyof T];

/** A command's flags as commander hands them over: strings, before validation; a flag it may leave out is optional. */
export type RawFlags<T extends Flags> = { -readonly [K in AlwaysSet<T>]: ValueOf<T[K]> } & { -readonly [K in Exclude<keyof T, AlwaysSet<T>>]?: ValueOf<T[K]> };

/** One positional argument. */
export interface ArgSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly variadic?: boolean;
}

/** Runs a command from commander's positional values and raw flags; only the entry point turns it into an exit. */
export type CommandRun = (args: readonly unknown[], raw: Record<string, unknown>, io: Io, log: Logger) => Promise<number>;

/** One subcommand, as data: cli.ts builds it, `load` brings in its code only when it runs. */
export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly args: readonly ArgSpec[];
  readonly flags: Flags;
  /** shell lines for --help's examples section */
  readonly examples: readonly string[];
  /** --help's exit codes section, when not the polling commands' (EXIT_CODES_HELP) */
  readonly exitCodes?: string;
  /** environment variables that hold secrets of the command (a token, a credential) besides its `secret` flags' */
  readonly secretEnv?: readonly string[];
  readonly load: () => Promise<CommandRun>;
}

/** Flags every polling subcommand takes. */
export const POLL_FLAGS = {
  wait: { flags: '--wait', description: 'poll until every document is final (or --timeout passes)' },
  interval: { flags: '--interval <duration>', description: 'time between rounds with --wait', default: '5s' },
  timeout: { flags: '--timeout <duration>', description: 'give up after this long, one pass included (0 = never)', default: '30m' },
  failFast: { flags: '--fail-fast', description: 'with --wait, stop after the round in which a document failed' },
  concurrency: { flags: '--concurrency <n>', description: 'requests in flight at once (1-64)', default: '4' },
  requestTimeout: { flags: '--request-timeout <duration>', description: 'cut off one request (body included) after this long, then retry it', default: '30s' },
  maxRps: { flags: '--max-rps <n>', description: "at most this many requests a second for the whole run (default: 90% of the service's published quota, else learnt from throttling)" },
} as const satisfies Flags;

/** Output flags of every polling subcommand. */
export const OUTPUT_FLAGS = {
  output: { flags: '-o, --output <format>', description: 'the result format (default: table on a terminal, else json)', choices: FORMATS },
  quiet: { flags: '-q, --quiet', description: 'print nothing on stdout; the exit code says it all' },
  verbose: { flags: '--verbose', description: 'one stderr line per HTTP request' },
  color: { flags: '--no-color', description: 'no colour (NO_COLOR does the same; FORCE_COLOR forces it)' },
  wide: { flags: '--wide', description: 'table and markdown: more columns (each service says which)' },
  progressInterval: {
    flags: '--progress-interval <duration>',
    description: 'with --wait and no spinner (stderr not a terminal, or CI or TERM=dumb set): a progress line on stderr this often (0 = none, else at least 1s)',
    default: '30s',
  },
  github: {
    flags: '--github',
    description: 'GitHub Actions: annotations on stderr, $GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT (default: on when GITHUB_ACTIONS=true)',
    negation: 'none of that, even when GITHUB_ACTIONS=true',
  },
} as const satisfies Flags;

/** The AWS flags of an AWS service; `endpointVariable` is its own AWS_ENDPOINT_URL_<SERVICE>. */
export function awsFlags<V extends string>(endpointVariable: V, what: string) {
  return {
    region: { flags: '--region <region>', description: "AWS region; without it or the variables, the profile's", env: ['AWS_REGION', 'AWS_DEFAULT_REGION'] },
    profile: { flags: '--profile <name>', description: 'AWS profile from ~/.aws/config', env: ['AWS_PROFILE'] },
    endpointUrl: {
      flags: '--endpoint-url <url>',
      description: `another ${what} endpoint (the emulator, a VPC endpoint); plain http only to loopback`,
      env: [endpointVariable, 'AWS_ENDPOINT_URL'],
    },
  } as const satisfies Flags;
}

/**
 * The AWS secrets an AWS command may read from the environment: its credentials, and the token the SDK sends to a
 * container credentials endpoint (the credentials the SDK resolves from anywhere else: aws.ts identitySecrets).
 */
export const AWS_SECRET_ENV = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'] as const;

/** What success means and how long a NOT_FOUND document may stay so: the indexing services' (Kendra, Bedrock) flags. */
export const GOAL_FLAGS = {
  until: { flags: '--until <goal>', description: 'what success means', choices: ['indexed', 'deleted'], default: 'indexed' },
  notFoundGrace: { flags: '--not-found-grace <duration>', description: 'with --wait --until indexed: give up on a document still NOT_FOUND after this long', default: '5m' },
} as const satisfies Flags;

/** --ids-file, shared by the commands that take document IDs. */
export const IDS_FILE_FLAG = { flags: '--ids-file <path>', description: "document IDs, one a line ('-' = standard input; repeatable: every file is read)", repeatable: true } as const satisfies FlagSpec;

/** The exit codes, for every command's --help (CONTRACT.md "Exit codes"). */
export const EXIT_CODES_HELP = `Exit codes:
  0    every document succeeded
  1    at least one document failed
  2    bad usage or bad input (nothing was sent)
  3    documents still pending (one pass), --timeout passed, or a listing
       found no document yet
  4    the status of a document could not be read (the cause is on stderr)
  70   an internal error (a bug in docstatus)
  74   the result could not be written
  130  interrupted (143: SIGTERM)`;
