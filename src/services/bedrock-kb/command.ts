import type { Io } from '../../app/io.js';
import type { Logger } from '../../app/logger.js';
import { awsOptions, quietNodeVersionWarning, requireRegion } from '../../core/aws.js';
import { parseDuration } from '../../core/duration.js';
import { UsageError } from '../../core/errors.js';
import type { CommandRun, RawFlags } from '../../core/flags.js';
import { collectIds } from '../../core/input.js';
import { resolveCommon } from '../../core/options.js';
import { runPoll } from '../../core/run-poll.js';
import { kbColumns } from './columns.js';
import type { kbStatusCommand } from './flags.js';
import { checkKbId, dataSourceTypeOf, identifierProblem } from './input.js';
import { KB_DOCUMENTS_QUOTA } from './quota.js';

/** kb-status's flags as commander hands them over (from their declaration in flags.ts). */
export type RawKbFlags = RawFlags<typeof kbStatusCommand.flags>;

/** Settings only `demo` passes: the emulator needs no real credentials. */
export interface KbExtras {
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** `docstatus kb-status`: GetKnowledgeBaseDocuments for named documents, or every document with --all; until final with --wait. */
export async function kbStatus(raw: RawKbFlags, positional: string[], io: Io, log: Logger, extras: KbExtras = {}): Promise<number> {
  const flags = resolveCommon(raw, io);
  const knowledgeBaseId = checkKbId(raw.knowledgeBaseId ?? io.env.BEDROCK_KNOWLEDGE_BASE_ID, '--knowledge-base-id', 'BEDROCK_KNOWLEDGE_BASE_ID');
  const dataSourceId = checkKbId(raw.dataSourceId ?? io.env.BEDROCK_DATA_SOURCE_ID, '--data-source-id', 'BEDROCK_DATA_SOURCE_ID');
  const notFoundGraceMs = parseDuration(raw.notFoundGrace, '--not-found-grace');
  const aws = await awsOptions(raw, 'AWS_ENDPOINT_URL_BEDROCK_AGENT', { env: io.env, requestTimeoutMs: flags.requestTimeoutMs, log, credentials: extras.credentials });
  const all = raw.all ?? false;
  if (all && (positional.length > 0 || raw.idsFile.length > 0)) throw new UsageError('--all lists every document: give no document IDs with it');
  const origins = new Map<string, string>();
  const ids = all ? [] : await collectIds({ positional, idsFiles: raw.idsFile }, io.stdin, { warn: (m) => log.warn(m), signal: io.signal, origins });
  if (!all && ids.length === 0) throw new UsageError('no document IDs: give them as arguments, with --ids-file or on standard input, or pass --all');
  const type = dataSourceTypeOf(ids, raw.dataSourceType);
  for (const id of ids) {
    const problem = identifierProblem(id, type);
    if (problem) throw new UsageError(`${origins.get(id) ?? '<stdin>'}: ${problem}`);
  }

  quietNodeVersionWarning();
  const { KbSource } = await import('./source.js');
  const source = new KbSource({
    knowledgeBaseId,
    dataSourceId,
    ids: all ? undefined : ids,
    type,
    goal: raw.until,
    acceptPartial: raw.acceptPartial ?? false,
    wait: flags.wait,
    notFoundGraceMs,
    ...aws,
  });
  await requireRegion(source);
  const title = `Amazon Bedrock knowledge base ${knowledgeBaseId}, data source ${dataSourceId}`;
  return runPoll(source, { service: 'bedrock-kb', target: { knowledgeBaseId, dataSourceId }, title, columns: kbColumns, quota: KB_DOCUMENTS_QUOTA }, flags, io, log);
}

/** The registry's entry into this command (flags.ts): commander's positional values and raw flags. */
export const run: CommandRun = (args, raw, io, log) => kbStatus(raw as RawKbFlags, args[0] as string[], io, log);
