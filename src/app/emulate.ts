import type { CommandRun, RawFlags } from '../core/flags.js';
import type { emulateCommand } from './flags.js';
import { UsageError } from '../core/errors.js';
import { readText } from '../core/input.js';
import type { Io } from './io.js';
import type { Logger } from './logger.js';
import { parseInteger } from '../core/options.js';
import { demoScenario } from '../emulator/demo-scenario.js';
import { parseScenario } from '../emulator/scenario.js';
import { startEmulator } from '../emulator/server.js';

/** emulate's flags as commander hands them over (from their declaration in flags.ts). */
export type RawEmulateFlags = RawFlags<typeof emulateCommand.flags>;

/** `docstatus emulate`: serves every service of the registry until SIGINT/SIGTERM; prints the base URL on stdout. */
export async function emulate(raw: RawEmulateFlags, io: Io, log: Logger): Promise<number> {
  const port = parseInteger(raw.port, '--port', 0, 65535);
  const scenario = raw.scenario === undefined ? demoScenario() : parseScenario(await readText(raw.scenario, '--scenario', io.stdin, io.signal), `--scenario ${raw.scenario}`);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    // no request log: a long-running emulator (the bench's, a user's) keeps only the counts /_emulator/stats reports
    emulator = await startEmulator(scenario, { port, host: raw.host, clock: io.clock, log: false });
  } catch (err) {
    throw new UsageError(`cannot listen on ${raw.host}:${port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  io.stdout.write(`${emulator.url}\n`);
  log.info(`emulator listening on ${emulator.url} (AWS services: --endpoint-url ${emulator.url}; Azure: --endpoint ${emulator.url}); Ctrl-C stops it`);
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await emulator.close();
  return 0;
}

/** The entry from the command's declaration (flags.ts). */
export const run: CommandRun = (_args, raw, io, log) => emulate(raw as RawEmulateFlags, io, log);
