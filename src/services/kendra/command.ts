import type { DocumentAttribute } from '@aws-sdk/client-kendra';
import { UsageError } from '../../core/errors.js';
import { collectIds, readText } from '../../core/input.js';
import type { Io } from '../../app/io.js';
import { checkAttributeSet, checkIndexId, parseAttributeFlag, parseDocumentInfo } from './input.js';
import type { Logger } from '../../app/logger.js';
import { parseDuration } from '../../core/duration.js';
import { parseEndpoint, type RawCommonFlags, resolveCommon } from '../../core/options.js';
import { runPoll } from '../../core/run-poll.js';
import { kendraColumns } from './columns.js';
import type { KendraGoal } from './states.js';

export interface RawKendraFlags extends RawCommonFlags {
  indexId?: string;
  idsFile?: string;
  documentInfo?: string;
  attribute: string[];
  until: KendraGoal;
  notFoundGrace: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
}

/** Settings only `demo` passes: the emulator needs no real credentials. */
export interface KendraExtras {
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The documents to ask about: positional IDs, --ids-file or stdin, then --document-info; each ID once, at its first
 * position. A --document-info entry's Attributes belong to its ID wherever else that ID was given.
 */
async function collectDocuments(raw: RawKendraFlags, positional: string[], io: Io) {
  const common: DocumentAttribute[] = raw.attribute.map(parseAttributeFlag);
  checkAttributeSet(common);
  const infoPath = raw.documentInfo;
  if (infoPath === '-' && raw.idsFile === '-') throw new UsageError('--ids-file - and --document-info - cannot both read standard input');
  const infoWhere = `--document-info ${infoPath}`;
  const fromFile =
    infoPath === undefined ? [] : parseDocumentInfo(await readText(infoPath, '--document-info', io.stdin), infoWhere, infoPath === '-' ? 'on standard input' : 'in the file');
  const readsStdin = positional.length === 0 && raw.idsFile === undefined && fromFile.length === 0 && !io.stdin.isTTY;
  const ids = await collectIds({ positional, idsFile: raw.idsFile }, io.stdin, { readStdin: fromFile.length === 0 });
  const seen = new Set(ids);
  const attributes = new Map<string, DocumentAttribute[]>();
  const inFile = new Map<string, string>();
  for (const info of fromFile) {
    const id = info.DocumentId!;
    const own = info.Attributes ?? [];
    const key = JSON.stringify(own);
    const earlier = inFile.get(id);
    if (earlier !== undefined) {
      if (earlier !== key) throw new UsageError(`${infoWhere}: DocumentId '${id.slice(0, 200)}' is given twice with different Attributes`);
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

/**
 * The endpoint, checked wherever it comes from: --endpoint-url, then AWS_ENDPOINT_URL_KENDRA, then AWS_ENDPOINT_URL
 * (an empty variable is unset, as the SDK reads it). Every request carries a SigV4 signature (and a session token, if
 * any), so plain http goes to loopback only. Undefined: the SDK's regional endpoint (https).
 */
export function resolveEndpoint(flag: string | undefined, env: Io['env']): string | undefined {
  const sources: Array<[string, string | undefined]> = [
    ['--endpoint-url', flag],
    ['AWS_ENDPOINT_URL_KENDRA', env.AWS_ENDPOINT_URL_KENDRA || undefined],
    ['AWS_ENDPOINT_URL', env.AWS_ENDPOINT_URL || undefined],
  ];
  for (const [source, text] of sources) {
    if (text !== undefined) return parseEndpoint(text, source, { credentials: true, what: 'AWS credentials' }).href;
  }
  return undefined;
}

/** The region: --region, then AWS_REGION, then AWS_DEFAULT_REGION (as the AWS CLI reads it); undefined leaves it to the profile. */
export function resolveRegion(flag: string | undefined, env: Io['env']): string | undefined {
  return flag ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
}

/** `docstatus kendra-status`: BatchGetDocumentStatus for every document, until final with --wait. */
export async function kendraStatus(raw: RawKendraFlags, positional: string[], io: Io, log: Logger, extras: KendraExtras = {}): Promise<number> {
  const flags = resolveCommon(raw, io);
  const indexId = checkIndexId(raw.indexId ?? io.env.KENDRA_INDEX_ID);
  const notFoundGraceMs = parseDuration(raw.notFoundGrace, '--not-found-grace');
  const endpointUrl = resolveEndpoint(raw.endpointUrl, io.env);
  const documents = await collectDocuments(raw, positional, io);

  // Node 20 is this tool's supported floor (engines); the SDK's notice that its 2027 releases need Node 22 is not
  // something a user can act on mid-run. It is emitted while the SDK loads, so the switch is set before the import.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { KendraSource } = await import('./source.js');
  const source = new KendraSource({
    indexId,
    ...documents,
    goal: raw.until,
    wait: flags.wait,
    notFoundGraceMs,
    region: resolveRegion(raw.region, io.env),
    profile: raw.profile,
    endpointUrl,
    requestTimeoutMs: flags.requestTimeoutMs,
    credentials: extras.credentials,
    log,
  });
  try {
    await source.region();
  } catch {
    throw new UsageError('no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or name one in your AWS profile');
  }
  return runPoll(source, { service: 'kendra', target: { indexId }, columns: kendraColumns }, flags, io, log);
}
