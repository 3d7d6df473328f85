import type { DocumentAttribute, DocumentInfo } from '@aws-sdk/client-kendra';
import { UsageError } from '../errors.js';
import { collectIds, readText } from '../input.js';
import type { Io } from '../io.js';
import { checkAttributeSet, checkIndexId, parseAttributeFlag, parseDocumentInfo } from '../kendra-input.js';
import type { Logger } from '../logger.js';
import { parseDuration } from '../duration.js';
import { parseUrl, type RawCommonFlags, resolveCommon } from '../options.js';
import { runPoll } from '../run.js';
import type { KendraGoal } from '../states.js';

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

/** Every DocumentInfo to ask about: positional IDs, --ids-file or stdin, then --document-info; one per DocumentId. */
async function collectInfos(raw: RawKendraFlags, positional: string[], io: Io): Promise<DocumentInfo[]> {
  const attrs: DocumentAttribute[] = raw.attribute.map(parseAttributeFlag);
  checkAttributeSet(attrs);
  const fromFile = raw.documentInfo === undefined ? [] : parseDocumentInfo(await readText(raw.documentInfo, '--document-info', io.stdin), `--document-info ${raw.documentInfo}`);
  const ids = await collectIds({ positional, idsFile: raw.idsFile }, io.stdin, fromFile.length > 0);
  const infos = new Map<string, DocumentInfo>();
  for (const id of ids) infos.set(id, { DocumentId: id });
  for (const info of fromFile) if (!infos.has(info.DocumentId!)) infos.set(info.DocumentId!, info);
  if (infos.size === 0) {
    throw new UsageError('no document IDs: give them as arguments, with --ids-file or --document-info, or on standard input');
  }
  if (attrs.length === 0) return [...infos.values()];
  return [...infos.values()].map((info) => {
    const own = new Set((info.Attributes ?? []).map((a) => a.Key));
    return { ...info, Attributes: [...(info.Attributes ?? []), ...attrs.filter((a) => !own.has(a.Key))] };
  });
}

/** `docstatus kendra-status`: BatchGetDocumentStatus for every document, until final with --wait. */
export async function kendraStatus(raw: RawKendraFlags, positional: string[], io: Io, log: Logger, extras: KendraExtras = {}): Promise<number> {
  const flags = resolveCommon(raw, io);
  const indexId = checkIndexId(raw.indexId ?? io.env.KENDRA_INDEX_ID);
  const notFoundGraceMs = parseDuration(raw.notFoundGrace, '--not-found-grace');
  const endpointUrl = raw.endpointUrl === undefined ? undefined : parseUrl(raw.endpointUrl, '--endpoint-url').href;
  const infos = await collectInfos(raw, positional, io);

  // Node 20 is this tool's supported floor (engines); the SDK's notice that its 2027 releases need Node 22 is not
  // something a user can act on mid-run. It is emitted while the SDK loads, so the switch is set before the import.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { KendraSource } = await import('../services/kendra.js');
  const source = new KendraSource({
    indexId,
    infos,
    goal: raw.until,
    wait: flags.wait,
    notFoundGraceMs,
    region: raw.region,
    profile: raw.profile,
    endpointUrl,
    requestTimeoutMs: flags.requestTimeoutMs,
    credentials: extras.credentials,
    log,
  });
  try {
    await source.region();
  } catch {
    throw new UsageError('no AWS region: pass --region, set AWS_REGION, or name one in your AWS profile');
  }
  const { code } = await runPoll(source, { service: 'kendra', target: { indexId } }, flags, io, log);
  return code;
}
