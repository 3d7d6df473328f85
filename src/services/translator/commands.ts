import { batchColumns, documentColumns } from './columns.js';
import { AZURE_STATUSES, canonicalStatus, DOCUMENTED_STATUSES } from './states.js';
import { UsageError } from '../../core/errors.js';
import { checkId, collectIds } from '../../core/input.js';
import type { Io } from '../../app/io.js';
import type { Logger } from '../../app/logger.js';
import { HEADER_SAFE, isLoopback, parseEndpoint, parseInteger, parseRegion, resolveCommon } from '../../core/options.js';
import { checkPlainHttpProxy, proxyFor, proxySettings } from '../../core/proxy.js';
import type { CommandRun, RawFlags } from '../../core/flags.js';
import type { translateDocsCommand, translateStatusCommand } from './flags.js';
import { runPoll } from '../../core/run-poll.js';
import type { ListFilters, TranslatorClient } from './source.js';

/** The subcommands' flags as commander hands them over (from their declarations in flags.ts). */
export type RawTranslateStatusFlags = RawFlags<typeof translateStatusCommand.flags>;
export type RawTranslateDocsFlags = RawFlags<typeof translateDocsCommand.flags>;
/** The flags both share. */
type RawAzureFlags = RawTranslateStatusFlags | RawTranslateDocsFlags;

const INT32_MAX = 2147483647;

/** The loopback rule lives with the endpoint checks in options.ts (one rule for every service). */
export { isLoopback };

/** Endpoint, credentials and API version: flag, then environment. A secret never goes over http except to loopback. */
async function client(raw: RawAzureFlags, requestTimeoutMs: number, io: Io, log: Logger): Promise<{ client: TranslatorClient; endpoint: URL }> {
  const [text, source] = raw.endpoint !== undefined ? [raw.endpoint, '--endpoint'] : [io.env.AZURE_TRANSLATOR_ENDPOINT, 'AZURE_TRANSLATOR_ENDPOINT'];
  if (!text) throw new UsageError('--endpoint is required (or set AZURE_TRANSLATOR_ENDPOINT)');
  // An empty --key is a mistake (`--key "$KEY"` with KEY unset), not a request without a key: bad input now, where it
  // was sent with no key and refused (401) later.
  if (raw.key === '') throw new UsageError("--key: empty (an unset variable in --key \"$VAR\"?): give the key, or leave --key out and set AZURE_TRANSLATOR_KEY");
  const key = raw.key ?? io.env.AZURE_TRANSLATOR_KEY;
  const token = io.env.AZURE_TRANSLATOR_TOKEN;
  // A key with a line break or a space would fail in the middle of a request (or split a header): bad input now.
  for (const [name, value] of [[raw.key === undefined ? 'AZURE_TRANSLATOR_KEY' : '--key', key], ['AZURE_TRANSLATOR_TOKEN', token]] as const) {
    if (value && !HEADER_SAFE.test(value)) throw new UsageError(`${name}: it holds spaces or control characters, so it is no key`);
  }
  const endpoint = parseEndpoint(text, source, { credentials: Boolean(key || token), what: 'a key' });
  // The one host of the run decides its proxy, once (README "Proxies and certificates").
  const proxies = proxySettings(io.env, [endpoint.protocol === 'http:' ? 'http' : 'https']);
  if (key || token) checkPlainHttpProxy(endpoint, proxies, 'a key');
  const { TranslatorClient } = await import('./source.js');
  return {
    endpoint,
    client: new TranslatorClient({
      endpoint,
      apiVersion: raw.apiVersion,
      key: key || undefined,
      token: token || undefined,
      region: azureRegion(raw.region, io.env),
      requestTimeoutMs,
      log,
      proxy: proxyFor(proxies, endpoint),
    }),
  };
}

/** --region, then AZURE_TRANSLATOR_REGION (empty: unset), checked before any request: it goes into a header. */
function azureRegion(flag: string | undefined, env: Record<string, string | undefined>): string | undefined {
  if (flag !== undefined) return parseRegion(flag, '--region');
  return env.AZURE_TRANSLATOR_REGION ? parseRegion(env.AZURE_TRANSLATOR_REGION, 'AZURE_TRANSLATOR_REGION') : undefined;
}

const target = (endpoint: URL, batchId: string) => ({ endpoint: endpoint.href.replace(/\/+$/, ''), batchId });
/** The batch as the GitHub step summary's heading names it. */
const title = (endpoint: URL, batchId: string) => `Azure AI Document Translation batch ${batchId} at ${endpoint.host}`;

/** `docstatus translate-status BATCH_ID [DOCUMENT_ID...]`: the batch, or the named documents of it. */
export async function translateStatus(raw: RawTranslateStatusFlags, batchId: string, docIds: string[], io: Io, log: Logger): Promise<number> {
  const flags = resolveCommon(raw, io);
  checkId(batchId, 'BATCH_ID', true);
  // IDs from arguments or --ids-file; none: the batch. Standard input only as `--ids-file -`: a call that names no
  // document asks about the batch, and must not eat the stdin of a `while read b; do ...; done` loop around it.
  const ids = await collectIds({ positional: docIds, idsFiles: raw.idsFile }, io.stdin, { inPath: true, readStdin: false, warn: (m) => log.warn(m), signal: io.signal });
  const { client: c, endpoint } = await client(raw, flags.requestTimeoutMs, io, log);
  const { StatusSource } = await import('./source.js');
  try {
    const service = ids.length === 0 ? 'translation-batch' : 'translation-document';
    return await runPoll(new StatusSource(c, batchId, ids), { service, target: target(endpoint, batchId), title: title(endpoint, batchId), columns: ids.length === 0 ? batchColumns : documentColumns }, flags, io, log);
  } finally {
    await c.close();
  }
}

/** --status: comma-separated statuses, either spelling, any case; sent as the service names them. */
export function parseStatuses(text: string): string[] {
  const out = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      // Looked up in the service's table (a Map: `--status constructor` finds nothing), any case, either spelling.
      const found = AZURE_STATUSES.statuses().find((k) => k.toLowerCase() === s.toLowerCase());
      if (!found) throw new UsageError(`--status: unknown status '${s}' (one of ${DOCUMENTED_STATUSES.join(', ')})`);
      return canonicalStatus(found);
    });
  if (out.length === 0) throw new UsageError('--status: no status given');
  return [...new Set(out)];
}

/** An ISO-8601 date and time, sent back in UTC. */
export function parseInstant(text: string, flag: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`${flag}: '${text}' is not an ISO-8601 date (e.g. 2026-11-23T10:00:00Z)`);
  // Date.parse rolls 2026-02-30 over to March 2: a day the calendar does not have is no date.
  const [y, mo, d] = text.trim().slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) throw new UsageError(`${flag}: '${text}' is not a day of the calendar`);
  return new Date(ms).toISOString();
}

/** The translate-docs filters, validated. */
export function resolveFilters(raw: RawTranslateDocsFlags): ListFilters {
  const f: ListFilters = {};
  // --top 0 asks for no document: nothing to wait for, and no result that could be a success.
  if (raw.top !== undefined) f.top = parseInteger(raw.top, '--top', 1, INT32_MAX);
  if (raw.skip !== undefined) f.skip = parseInteger(raw.skip, '--skip', 0, INT32_MAX);
  if (raw.maxPageSize !== undefined) f.maxPageSize = parseInteger(raw.maxPageSize, '--max-page-size', 1, 100);
  if (raw.status !== undefined) f.statuses = parseStatuses(raw.status);
  if (raw.ids !== undefined) {
    const ids = raw.ids.split(',').map((s) => s.trim());
    if (ids.some((id) => !id)) throw new UsageError('--ids: an empty ID in the list');
    f.ids = [...new Set(ids.map((id) => checkId(id, '--ids', true)))];
  }
  if (raw.createdAfter !== undefined) f.createdAfter = parseInstant(raw.createdAfter, '--created-after');
  if (raw.createdBefore !== undefined) f.createdBefore = parseInstant(raw.createdBefore, '--created-before');
  if (f.createdAfter && f.createdBefore && f.createdAfter > f.createdBefore) throw new UsageError('--created-after is later than --created-before');
  if (raw.orderBy !== undefined) {
    const m = /^\s*createdDateTimeUtc(?:\s+(asc|desc))?\s*$/i.exec(raw.orderBy);
    if (!m) throw new UsageError(`--order-by: '${raw.orderBy}' is not "createdDateTimeUtc asc" or "createdDateTimeUtc desc"`);
    f.orderBy = `createdDateTimeUtc ${(m[1] ?? 'asc').toLowerCase()}`;
  }
  return f;
}

/** `docstatus translate-docs BATCH_ID`: every document of a batch, page by page. */
export async function translateDocs(raw: RawTranslateDocsFlags, batchId: string, io: Io, log: Logger): Promise<number> {
  const flags = resolveCommon(raw, io);
  checkId(batchId, 'BATCH_ID', true);
  const filters = resolveFilters(raw);
  const { client: c, endpoint } = await client(raw, flags.requestTimeoutMs, io, log);
  const { ListingSource } = await import('./source.js');
  try {
    return await runPoll(new ListingSource(c, batchId, filters, log, undefined, flags.wait), { service: 'translation-documents', target: target(endpoint, batchId), title: title(endpoint, batchId), columns: documentColumns }, flags, io, log);
  } finally {
    await c.close();
  }
}

/** The registry's entries into these commands (flags.ts): commander's positional values and raw flags. */
export const runStatus: CommandRun = (args, raw, io, log) => translateStatus(raw as RawTranslateStatusFlags, args[0] as string, args[1] as string[], io, log);
export const runDocs: CommandRun = (args, raw, io, log) => translateDocs(raw as RawTranslateDocsFlags, args[0] as string, io, log);
