import type { CommandRun } from '../core/flags.js';
import type { Io } from './io.js';
import type { Logger } from './logger.js';
import { DEMO_BATCH, DEMO_DOCS, DEMO_DS, DEMO_INDEX, DEMO_KB, DEMO_KB_DOCS, demoScenario } from '../emulator/demo-scenario.js';
import { startEmulator } from '../emulator/server.js';
import { kbStatus } from '../services/bedrock-kb/command.js';
import { kendraStatus } from '../services/kendra/command.js';
import { translateDocs } from '../services/translator/commands.js';
import { withoutProxies } from '../core/proxy.js';

// github: false: the demo's documents are the emulator's, never a CI job's; no annotations or step summary of them.
const POLL = { wait: true, interval: '1s', timeout: '1m', concurrency: '4', requestTimeout: '10s', output: 'table', progressInterval: '30s', github: false } as const;

const CREDENTIALS = { credentials: { accessKeyId: 'DEMOKEY', secretAccessKey: 'demo-not-a-secret' } };

/** `docstatus demo`: the real kendra-status, translate-docs and kb-status --wait against the emulator, in-process; exits 0 when the demo ran. */
export async function demo(ioOfProcess: Io, log: Logger): Promise<number> {
  // The emulator is this process's own, on loopback: no proxy of the environment can reach it (core/proxy.ts).
  const io = { ...ioOfProcess, env: withoutProxies(ioOfProcess.env) };
  const emulator = await startEmulator(demoScenario(), { clock: io.clock, log: false });
  try {
    log.info(`demo: emulator on ${emulator.url}; running: docstatus kendra-status --index-id ${DEMO_INDEX} --wait --interval 1s <25 IDs>`);
    const code = await kendraStatus(
      {
        indexId: DEMO_INDEX,
        idsFile: [],
        documentInfo: [],
        attribute: [],
        until: 'indexed',
        notFoundGrace: '5m',
        region: 'us-east-1',
        endpointUrl: emulator.url,
        ...POLL,
      },
      DEMO_DOCS,
      io,
      log,
      CREDENTIALS,
    );
    log.info(`demo: kendra-status exited ${code} (1: some documents failed, as the demo scenario scripts)`);
    if (io.signal.aborted) return code;
    io.stdout.write('\n');
    log.info(`demo: running: docstatus translate-docs ${DEMO_BATCH} --endpoint ${emulator.url} --wait --interval 1s`);
    const code2 = await translateDocs({ endpoint: emulator.url, apiVersion: 'v1.1', ...POLL }, DEMO_BATCH, io, log);
    log.info(`demo: translate-docs exited ${code2} (1: one document failed, as scripted)`);
    if (io.signal.aborted) return code2;
    io.stdout.write('\n');
    log.info(`demo: running: docstatus kb-status --knowledge-base-id ${DEMO_KB} --data-source-id ${DEMO_DS} --wait --interval 1s <12 IDs>`);
    const code3 = await kbStatus(
      { knowledgeBaseId: DEMO_KB, dataSourceId: DEMO_DS, idsFile: [], until: 'indexed', notFoundGrace: '5m', region: 'us-east-1', endpointUrl: emulator.url, ...POLL },
      DEMO_KB_DOCS,
      io,
      log,
      CREDENTIALS,
    );
    log.info(`demo: kb-status exited ${code3} (1: one document was ignored, as scripted)`);
    return io.signal.aborted ? code3 : 0;
  } finally {
    await emulator.close();
  }
}

/** The entry from the command's declaration (flags.ts). */
export const run: CommandRun = (_args, _raw, io, log) => demo(io, log);
