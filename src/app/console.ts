import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { Logger } from './logger.js';

// A library that writes to the console inside a run (the AWS SDK: @smithy/node-http-handler's warnings, from handlers
// no logger can be given, such as the one that asks a container credentials endpoint) bypasses the run's sink and
// puts its own text on the process's stderr. Inside a run, the console is the run's: its lines become --verbose lines
// through the Logger (cleaned, scrubbed, and only with --verbose). Which run is the async context's, so two runs in
// one process each get their own lines; outside any run the console is untouched.

const runs = new AsyncLocalStorage<Logger>();
let installed = false;

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** Puts the console methods in place once: each writes to the run of its async context, else as before. */
function install(): void {
  if (installed) return;
  installed = true;
  for (const method of METHODS) {
    // The one place that touches the console: to take it over inside a run, never to write.
    // eslint-disable-next-line no-console
    const original = console[method].bind(console);
    // eslint-disable-next-line no-console
    console[method] = (...args: unknown[]) => {
      const log = runs.getStore();
      if (log === undefined) original(...args);
      else for (const line of format(...args).split('\n')) if (line.trim()) log.verbose(`console: ${line}`);
    };
  }
}

/** Runs fn with the console of its async context going to `log` (as --verbose lines). */
export function withConsole<T>(log: Logger, fn: () => Promise<T>): Promise<T> {
  install();
  return runs.run(log, fn);
}
