import type { DocumentAttribute, DocumentInfo } from '@aws-sdk/client-kendra';
import { awsOptions, quietNodeVersionWarning, requireRegion } from '../../core/aws.js';
import { UsageError } from '../../core/errors.js';
import { collectIds, readText } from '../../core/input.js';
import type { Io } from '../../app/io.js';
import { checkAttributeSet, checkIndexId, parseAttributeFlag, parseDocumentInfo } from './input.js';
import type { Logger } from '../../app/logger.js';
import { parseDuration } from '../../core/duration.js';
import { resolveCommon } from '../../core/options.js';
import type { CommandRun, RawFlags } from '../../core/flags.js';
import type { kendraStatusCommand } from './flags.js';
import { runPoll } from '../../core/run-poll.js';
import { kendraColumns } from './columns.js';
import { cutText } from '../../core/wrap.js';

/** kendra-status's flags as commander hands them over (from their declaration in flags.ts). */
export type RawKendraFlags = RawFlags<typeof kendraStatusCommand.flags>;

/** Settings only `demo` passes: the emulator needs no real credentials. */
export interface KendraExtras {
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The documents to ask about: positional IDs, every --ids-file or stdin, then every --document-info; each ID once, at
 * its first position. A --document-info entry's Attributes belong to its ID wherever else that ID was given.
 */
async function collectDocuments(raw: RawKendraFlags, positional: string[], io: Io, log: Logger) {
  const common: DocumentAttribute[] = raw.attribute.map(parseAttributeFlag);
  checkAttributeSet(common);
  const infoPaths = raw.documentInfo;
  if (infoPaths.filter((path) => path === '-').length > 1) throw new UsageError('--document-info - is given twice: standard input can be read only once');
  if (infoPaths.includes('-') && raw.idsFile.includes('-')) throw new UsageError('--ids-file - and --document-info - cannot both read standard input');
  // Every --document-info in turn (the flag is repeatable), each entry with the flag that gave it.
  const fromFile: { info: DocumentInfo; where: string }[] = [];
  for (const path of infoPaths) {
    const where = `--document-info ${path}`;
    for (const info of parseDocumentInfo(await readText(path, '--document-info', io.stdin, io.signal), where, path === '-' ? 'on standard input' : 'in the file')) fromFile.push({ info, where });
  }
  const readsStdin = positional.length === 0 && raw.idsFile.length === 0 && fromFile.length === 0 && !io.stdin.isTTY;
  const ids = await collectIds({ positional, idsFiles: raw.idsFile }, io.stdin, { readStdin: fromFile.length === 0, warn: (m) => log.warn(m), signal: io.signal });
  const seen = new Set(ids);
  const attributes = new Map<string, DocumentAttribute[]>();
  const inFile = new Map<string, string>();
  for (const { info, where } of fromFile) {
    const id = info.DocumentId!;
    const own = info.Attributes ?? [];
    const key = JSON.stringify(own);
    const earlier = inFile.get(id);
    if (earlier !== undefined) {
      if (earlier !== key) throw new UsageError(`${where}: DocumentId '${cutText(id, 200)}' is given twice with different Attributes`);
      continue;
    }
    inFile.set(id, key);
    if (own.length > 0) attributes.set(id, own);
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  if (ids.length === 0) {
    const how = 'give them as arguments, with --ids-file or --document-info, or on standard input';
    throw new UsageError(readsStdin ? `standard input: no document IDs (${how})` : `no document IDs: ${how}`);
  }
  return { ids, attributes, common };
}

/** `docstatus kendra-status`: BatchGetDocumentStatus for every document, until final with --wait. */
export async function kendraStatus(raw: RawKendraFlags, positional: string[], io: Io, log: Logger, extras: KendraExtras = {}): Promise<number> {
  const flags = resolveCommon(raw, io);
  const indexId = checkIndexId(raw.indexId ?? io.env.KENDRA_INDEX_ID);
  const notFoundGraceMs = parseDuration(raw.notFoundGrace, '--not-found-grace');
  const aws = await awsOptions(raw, 'AWS_ENDPOINT_URL_KENDRA', { env: io.env, requestTimeoutMs: flags.requestTimeoutMs, log, credentials: extras.credentials });
  const documents = await collectDocuments(raw, positional, io, log);

  quietNodeVersionWarning();
  const { KendraSource } = await import('./source.js');
  const source = new KendraSource({
    indexId,
    ...documents,
    goal: raw.until,
    wait: flags.wait,
    notFoundGraceMs,
    ...aws,
  });
  await requireRegion(source);
  return runPoll(source, { service: 'kendra', target: { indexId }, title: `Amazon Kendra index ${indexId}`, columns: kendraColumns }, flags, io, log);
}

/** The registry's entry into this command (flags.ts): commander's positional values and raw flags. */
export const run: CommandRun = (args, raw, io, log) => kendraStatus(raw as RawKendraFlags, args[0] as string[], io, log);
