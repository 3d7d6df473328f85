import { sanitize } from '../core/sanitize.js';
import { MIN_SECRET, SCRUBBED, SCRUBBED_MARKDOWN, Secrets } from '../core/secrets.js';
import type { Out } from './io.js';

/** A progress line on stderr; a no-op unless stderr is a terminal. */
export interface Spinner {
  update(text: string): void;
  stop(): void;
}

const noSpinner: Spinner = { update() {}, stop() {} };

/**
 * The spinner stderr gets, or none. None unless stderr is a terminal that reports a width (ora's line clearing divides
 * by it), and none under TERM=dumb or in CI (any CI variable, as ora's is-interactive decides): a CI log that happens
 * to be a pseudo-terminal gets the heartbeat lines instead. The Linux console has no braille: a plain line spinner.
 */
function spinnerKind(stderr: Out, env: Record<string, string | undefined>): SpinnerFrames | undefined {
  if (!stderr.isTTY || !stderr.columns || env.TERM === 'dumb' || env.CI !== undefined) return undefined;
  return env.TERM === 'linux' ? LINE : DOTS;
}

/** A spinner as ora takes one. Given as frames: a spinner's name, ora would swap for its own reading of process.env. */
interface SpinnerFrames {
  interval: number;
  frames: string[];
}

/** cli-spinners' `dots` and `line`, ora's two defaults. */
const DOTS: SpinnerFrames = { interval: 80, frames: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] };
const LINE: SpinnerFrames = { interval: 130, frames: ['-', '\\', '|', '/'] };

/** The one place that writes to stderr: warnings, errors, --verbose lines and the spinner. */
export class Logger {
  /** the run's secrets (runtime.ts execute): what keepSecret adds, the sink and scrub() take out */
  readonly secrets: Secrets;

  constructor(
    /** stderr, through the run's sink (app/io.ts sinkOut) */
    private readonly stderr: Out,
    /**
     * color: colour on stderr, decided once (io.ts colorLevel: --no-color, NO_COLOR, FORCE_COLOR, a terminal).
     * env: the command's environment, read for the spinner (spinnerKind), never process.env.
     * secrets: the run's (a Logger without them scrubs nothing: tests of other things).
     */
    private readonly opts: { verbose?: boolean; quiet?: boolean; color?: boolean; env?: Record<string, string | undefined>; secrets?: Secrets } = {},
  ) {
    this.secrets = opts.secrets ?? new Secrets();
  }

  /** the sources of secrets too short to scrub, for noteShortSecrets */
  private readonly shortSources = new Set<string>();

  /**
   * Secrets of the run learnt from `source` (a flag, a variable, the AWS SDK's resolved credentials): from now on no
   * output shows them. One too short to scrub (below MIN_SECRET) is noted for noteShortSecrets.
   */
  keepSecret(source: string, values: Iterable<string | undefined>): void {
    if (this.secrets.add(values).length > 0) this.shortSources.add(source);
  }

  /**
   * One warning per source of a secret too short to scrub, naming the source, never the value; once. Said when the
   * run has run (runtime.ts): bad input is one line on stderr, and a run refused before any request echoed nothing.
   */
  noteShortSecrets(): void {
    for (const source of this.shortSources) this.warn(`${source} is shorter than ${MIN_SECRET} characters: too short to be scrubbed from the output (README, "Secrets")`);
    this.shortSources.clear();
  }

  /**
   * Text for a file that leaves the process ($GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT), through the run's sink; in a
   * Markdown file a secret becomes `\*\*\*`, escaped as the text around it.
   */
  scrub(text: string, markdown = false): string {
    return this.secrets.scrub(text, markdown ? SCRUBBED_MARKDOWN : SCRUBBED);
  }

  error(message: string): void {
    this.stderr.write(`docstatus: ${sanitize(message)}\n`);
  }

  /** A plain note for people, a heartbeat line among them (never for scripts: those read stdout and the exit code). */
  info(message: string): void {
    if (!this.opts.quiet) this.stderr.write(`docstatus: ${sanitize(message)}\n`);
  }

  warn(message: string): void {
    this.stderr.write(`docstatus: warning: ${sanitize(message)}\n`);
  }

  /** Only with --verbose. Callers never pass secrets; service text is sanitised here anyway. */
  verbose(message: string): void {
    if (this.opts.verbose) this.stderr.write(`${sanitize(message)}\n`);
  }

  /**
   * One GitHub Actions workflow command (`::error title=...::message`), escaped by core/github.ts; written even with
   * --quiet (quiet is about stdout). Sanitised again here: nothing but the one line can reach the runner.
   */
  workflowCommand(line: string): void {
    this.stderr.write(`${sanitize(line)}\n`);
  }

  get isVerbose(): boolean {
    return this.opts.verbose === true;
  }


  /** Whether spinner() shows one: an interactive terminal with a width (spinnerKind), and neither --quiet nor --verbose. */
  private get spins(): boolean {
    return spinnerKind(this.stderr, this.opts.env ?? {}) !== undefined && !this.opts.quiet && !this.opts.verbose;
  }

  /** Heartbeat lines are for a stderr that shows no spinner (a CI log, a pipe, a file), and never with --quiet. */
  get wantsHeartbeat(): boolean {
    return !this.opts.quiet && !this.spins;
  }

  /**
   * An ora spinner when spinnerKind gives one and output is neither quiet nor verbose; ora is loaded only then.
   */
  async spinner(text: string): Promise<Spinner> {
    if (!this.spins) return noSpinner;
    const { default: ora } = await import('ora');
    // Whether it runs, its frames and their colour are decided here, from the command's environment and --no-color:
    // ora's own checks (is-interactive, is-unicode-supported, chalk's colour level) read process.env. So the frames
    // come coloured (cyan, as chalk writes it) and ora is told to colour nothing.
    const kind = spinnerKind(this.stderr, this.opts.env ?? {})!;
    const frames = this.opts.color === false ? kind.frames : kind.frames.map((f) => `\u001b[36m${f}\u001b[39m`);
    const spin = ora({ text, stream: this.stderr as NodeJS.WritableStream, discardStdin: false, color: false, isEnabled: true, spinner: { ...kind, frames } }).start();
    return {
      update: (t) => {
        spin.text = t;
      },
      stop: () => spin.stop(),
    };
  }
}
