import { sanitize } from '../core/sanitize.js';
import type { Out } from './io.js';

/** A progress line on stderr; a no-op unless stderr is a terminal. */
export interface Spinner {
  update(text: string): void;
  stop(): void;
}

const noSpinner: Spinner = { update() {}, stop() {} };

/** The one place that writes to stderr: warnings, errors, --verbose lines and the spinner. */
export class Logger {
  constructor(
    private readonly stderr: Out,
    /** color: colour on stderr, decided once (io.ts colorLevel: --no-color, NO_COLOR, FORCE_COLOR, a terminal) */
    private readonly opts: { verbose?: boolean; quiet?: boolean; color?: boolean } = {},
  ) {}

  error(message: string): void {
    this.stderr.write(`docstatus: ${sanitize(message)}\n`);
  }

  /** A plain note for people (never for scripts: those read stdout and the exit code). */
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

  /** A heartbeat line (plain progress, for logs); the caller asks wantsHeartbeat first. */
  progress(message: string): void {
    if (!this.opts.quiet) this.stderr.write(`docstatus: ${sanitize(message)}\n`);
  }

  /** Whether spinner() shows one: stderr is a terminal with a width, and neither --quiet nor --verbose. */
  private get spins(): boolean {
    return Boolean(this.stderr.isTTY && this.stderr.columns) && !this.opts.quiet && !this.opts.verbose;
  }

  /** Heartbeat lines are for a stderr that shows no spinner (a CI log, a pipe, a file), and never with --quiet. */
  get wantsHeartbeat(): boolean {
    return !this.opts.quiet && !this.spins;
  }

  /**
   * An ora spinner when stderr is a terminal and output is not quiet; ora is loaded only then. A terminal that reports
   * no width (a pseudo-terminal without a size) gets none: ora's line clearing divides by the width and never ends.
   */
  async spinner(text: string): Promise<Spinner> {
    if (!this.spins) return noSpinner;
    const { default: ora } = await import('ora');
    // ora colours its frame through chalk's own terminal detection, which ignores NO_COLOR: say it here.
    const spin = ora({ text, stream: this.stderr as NodeJS.WritableStream, discardStdin: false, color: this.opts.color === false ? false : 'cyan' }).start();
    return {
      update: (t) => {
        spin.text = t;
      },
      stop: () => spin.stop(),
    };
  }
}
