import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import type { Io } from './app/io.js';
import type { Logger } from './app/logger.js';
import { FORMATS } from './render/formats.js';
import type { PartialIo } from './app/runtime.js';

export type { Io } from './app/io.js';
export type { PartialIo } from './app/runtime.js';

/** Flags every polling subcommand takes. */
function addPollAndOutput(cmd: Command): Command {
  return cmd
    .option('--wait', 'poll until every document is final (or --timeout passes)')
    .option('--interval <duration>', 'time between rounds with --wait', '5s')
    .option('--timeout <duration>', 'give up waiting after this long (0 = never)', '30m')
    .option('--fail-fast', 'with --wait, stop at the first failed document')
    .option('--concurrency <n>', 'requests in flight at once (1-64)', '4')
    .option('--request-timeout <duration>', 'cut off one request after this long, then retry it', '30s')
    .addOption(new Option('-o, --output <format>', 'table, json, ndjson or markdown (default: table on a terminal, else json)').choices(FORMATS))
    .option('-q, --quiet', 'print nothing on stdout; the exit code says it all')
    .option('--verbose', 'one stderr line per HTTP request')
    .option('--no-color', 'no colour (NO_COLOR does the same; FORCE_COLOR forces it)')
    .option('--wide', 'table and markdown: Kendra shows CODE and REASON apart; Azure documents show the target PATH instead of the REASON');
}

const collect = (value: string, previous: string[]) => [...previous, value];

type Action = (io: Io, log: Logger) => Promise<number>;
type RunOpts = { verbose?: boolean; quiet?: boolean; color?: boolean };

/** Builds the commander program; `run` receives each subcommand's action. */
function program(io: PartialIo, run: (action: Action, opts: RunOpts) => void): Command {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const prog = new Command('docstatus')
    .description('Ask Amazon Kendra and Azure Document Translation whether documents are done, and wait until they are.')
    .version(pkg.version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => stdout.write(s),
      writeErr: (s) => stderr.write(s),
      // One line: commander puts its "(Did you mean ...?)" on a line of its own.
      outputError: (s, write) => write(`docstatus: ${s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`),
    });

  addPollAndOutput(
    prog
      .command('kendra-status')
      .description('Amazon Kendra BatchGetDocumentStatus for documents added or deleted with BatchPutDocument / BatchDeleteDocument')
      .argument('[documentIds...]', 'document IDs (else --ids-file, --document-info or standard input)')
      .option('--index-id <id>', 'the Kendra index (default: $KENDRA_INDEX_ID)')
      .option('--ids-file <path>', "document IDs, one a line ('-' = standard input)")
      .option('--document-info <path>', 'a JSON array or JSON Lines of {"DocumentId", "Attributes"} as the API shapes it')
      .option('--attribute <key=value>', 'a StringValue attribute for every document: datasourceId, jobExecutionId, version (repeatable)', collect, [])
      .addOption(new Option('--until <goal>', 'what success means').choices(['indexed', 'deleted']).default('indexed'))
      .option('--not-found-grace <duration>', 'with --wait --until indexed: give up on a document still NOT_FOUND after this long', '5m')
      .option('--region <region>', 'AWS region (default: the SDK chain, e.g. $AWS_REGION)')
      .option('--profile <name>', 'AWS profile (default: $AWS_PROFILE)')
      .option('--endpoint-url <url>', 'another Kendra endpoint, such as the emulator (also $AWS_ENDPOINT_URL_KENDRA)'),
  ).action((ids: string[], raw) =>
    run(async (io, log) => (await import('./services/kendra/command.js')).kendraStatus(raw, ids, io, log), raw),
  );

  const azure = (cmd: Command) =>
    addPollAndOutput(cmd)
      .option('--endpoint <url>', 'the Translator resource, e.g. https://NAME.cognitiveservices.azure.com (default: $AZURE_TRANSLATOR_ENDPOINT)')
      .option('--key <key>', 'resource key, sent as Ocp-Apim-Subscription-Key (default: $AZURE_TRANSLATOR_KEY; prefer the variable)')
      .option('--region <region>', 'sent as Ocp-Apim-Subscription-Region (default: $AZURE_TRANSLATOR_REGION)')
      .addOption(new Option('--api-version <version>', 'batch API version').choices(['v1.1', 'v1.0', '2024-05-01']).default('v1.1'));

  azure(
    prog
      .command('translate-status')
      .description('Azure Document Translation: the status of a batch, or of documents in it')
      .argument('<batchId>', 'the translation batch (operation) ID')
      .argument('[documentIds...]', 'documents of the batch (else --ids-file or standard input; none: the batch itself)')
      .option('--ids-file <path>', "document IDs, one a line ('-' = standard input)"),
  ).action((batchId: string, ids: string[], raw) =>
    run(async (io, log) => (await import('./services/translator/commands.js')).translateStatus(raw, batchId, ids, io, log), raw),
  );

  azure(
    prog
      .command('translate-docs')
      .description('Azure Document Translation: every document of a batch, page by page')
      .argument('<batchId>', 'the translation batch (operation) ID')
      .option('--top <n>', 'at most this many documents in all ($top)')
      .option('--skip <n>', 'skip this many documents first ($skip)')
      .option('--max-page-size <n>', 'documents a page, 1-100 ($maxpagesize; default 100)')
      .option('--status <list>', 'only these statuses, comma-separated (statuses)')
      .option('--ids <list>', 'only these document IDs, comma-separated (ids; sent 10 a request)')
      .option('--created-after <iso>', 'created at or after (createdDateTimeUtcStart)')
      .option('--created-before <iso>', 'created at or before (createdDateTimeUtcEnd)')
      .option('--order-by <order>', '"createdDateTimeUtc asc" or "createdDateTimeUtc desc" ($orderBy)'),
  ).action((batchId: string, raw) => run(async (io, log) => (await import('./services/translator/commands.js')).translateDocs(raw, batchId, io, log), raw));

  prog
    .command('emulate')
    .description('serve a local emulator of Kendra and Azure Document Translation until SIGINT/SIGTERM')
    .option('--port <n>', 'port (0 = any free port)', '8790')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--scenario <file>', 'a JSON scenario: documents, status timelines, throttling and faults')
    .action((raw) => run(async (io, log) => (await import('./app/emulate.js')).emulate(raw, io, log), {}));

  prog
    .command('demo')
    .description('run kendra-status --wait and translate-docs --wait against the built-in emulator: no cloud account needed')
    .action(() => run(async (io, log) => (await import('./app/demo.js')).demo(io, log), {}));

  return prog;
}

/**
 * Runs the CLI on argv (without node and script) and returns the exit code. Never exits the process. `io` sets any
 * part of the outside world (tests give all of it; bin/ only the interrupt signal). Only commander is loaded up
 * front: a subcommand loads its own code, and runtime.ts for the Io, the logger and the error mapping.
 */
export async function main(argv: string[], io: PartialIo): Promise<number> {
  let code = 0;
  let pending: Promise<void> | undefined;
  const prog = program(io, (action, opts) => {
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
