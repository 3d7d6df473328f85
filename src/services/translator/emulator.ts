import { AZURE_STATUSES, canonicalStatus } from './states.js';
import type { Clock } from '../../core/clock.js';
import type { EmulatorFactory } from '../../emulator/routes.js';
import { currentStep, type Fault, faultReply, ms, type Reply, type Step, type TranslatorDocScenario, type TranslatorScenario } from '../../emulator/scenario.js';


interface Doc {
  id: string;
  sourcePath: string;
  to: string;
  timeline: Step[];
  created: number;
  start: number;
  polls: number;
}

interface Batch {
  id: string;
  docs: Doc[];
  byId: Map<string, Doc>;
  status?: Step[];
  created: number;
  polls: number;
}

type Version = 'v1.0' | 'v1.1' | '2024-05-01' | '2026-03-01';
/** The date versions it serves on /translator/document (the newest adds image-scan counts to documents and summaries). */
const DATE_VERSIONS = new Set<string>(['2024-05-01', '2026-03-01']);
const ROUTE = /^\/translator\/(?:text\/batch\/(v1\.0|v1\.1)|(document))\/batches\/([^/]+)(?:\/documents(?:\/([^/]+))?)?$/;
/** listings being paged at once, at most (each holds the documents its pages showed) */
const MAX_OPEN_LISTINGS = 1000;
/** Failed, ValidationFailed: a document that carries an `error` (a cancelled one does not). */
const isFailed = (status: string) => AZURE_STATUSES.get(status)?.state === 'failed' && canonicalStatus(status) !== 'Cancelled';
const isPending = (status: string) => AZURE_STATUSES.get(status)?.state === 'pending';
/** The form the `statuses` filter compares: documented spelling, any case. */
const canonical = (s: string) => canonicalStatus(AZURE_STATUSES.statuses().find((k) => k.toLowerCase() === s.toLowerCase()) ?? s).toLowerCase();
const iso = (ms: number) => new Date(ms).toISOString();
/** GUID-shaped ID for generated document number i. */
export const generatedId = (prefix: string, i: number) => `${prefix}${i.toString(16).padStart(12, '0')}`;

/** Azure AI Document Translation's batch status API, for every supported version. */
export class TranslatorEmulator {
  private readonly batches = new Map<string, Batch>();
  private readonly epoch: number;
  /** Documents shown by a listing still being paged: their timelines advance when its last page is served, so a
   * status filter does not change under the pages of one listing. */
  private readonly deferred = new Map<string, Doc[]>();
  private listings = 0;

  constructor(
    private readonly scenario: TranslatorScenario,
    private readonly clock: Clock,
  ) {
    const now = clock.now();
    this.epoch = now - 3_600_000;
    for (const [id, b] of Object.entries(scenario.batches ?? {})) {
      const docs: Doc[] = [];
      const begin = now + ms(b.startAfter);
      const add = (docId: string, d: TranslatorDocScenario, start: number) =>
        docs.push({
          id: docId,
          sourcePath: d.sourcePath ?? `https://source.blob.core.windows.net/in/${docId}.docx`,
          to: d.to ?? 'fr',
          timeline: d.timeline,
          created: this.epoch + docs.length * 1000,
          start,
          polls: 0,
        });
      for (const [docId, d] of Object.entries(b.documents ?? {})) add(docId, d, begin);
      const g = b.generate;
      if (g) {
        const stagger = ms(g.stagger);
        for (let i = 0; i < g.count; i++) add(generatedId(g.prefix ?? '00000000-0000-4000-8000-', i), { to: g.to, timeline: g.timeline }, begin + i * stagger);
      }
      this.batches.set(id, { id, docs, byId: new Map(docs.map((d) => [d.id, d])), status: b.status, created: this.epoch, polls: 0 });
    }
  }

  /** Does the request path belong to this API? */
  static matches(path: string): boolean {
    return ROUTE.test(path);
  }

  handle(url: URL, headers: Record<string, string | string[] | undefined>, faults: readonly Fault[], origin: string): Reply {
    const m = ROUTE.exec(url.pathname)!;
    const asked = url.searchParams.get('api-version') ?? '';
    const version: Version = (m[1] as Version | undefined) ?? (DATE_VERSIONS.has(asked) ? (asked as Version) : '2024-05-01');
    const err = (status: number, code: string, message: string, innerCode?: string) => this.error(version, status, code, message, innerCode);
    if (m[1] === undefined && !DATE_VERSIONS.has(asked)) {
      return err(400, 'InvalidRequest', `The api-version query parameter must be 2024-05-01 or 2026-03-01 (got ${asked || 'none'}).`, 'MissingApiVersionParameter');
    }
    const key = this.scenario.key;
    const auth = headers.authorization;
    if (key !== undefined && headers['ocp-apim-subscription-key'] !== key && !(typeof auth === 'string' && auth.startsWith('Bearer '))) {
      return err(401, 'Unauthorized', 'Access denied due to invalid subscription key or wrong API endpoint.', 'InvalidSubscriptionKey');
    }
    const faulty = faultReply(faults, {
      throttled: () => err(429, 'RequestRateTooHigh', 'The request rate is too high. Please retry after the time in Retry-After.'),
      failed: (status) => err(status, status === 503 ? 'ServiceUnavailable' : 'InternalServerError', 'The service encountered an internal error.'),
    });
    if (faulty) return faulty;
    const batch = this.batches.get(decodeURIComponent(m[3]!));
    if (!batch) return err(404, 'ResourceNotFound', 'Batch id not found.', 'BatchNotFound');
    const isList = url.pathname.endsWith('/documents');
    if (m[4] !== undefined) {
      const doc = batch.byId.get(decodeURIComponent(m[4]));
      if (!doc) return err(404, 'ResourceNotFound', 'Document id not found.', 'DocumentNotFound');
      return { status: 200, body: this.docJson(doc, faults.some((f) => f.type === 'missing-fields'), true, version) };
    }
    if (!isList) return { status: 200, body: this.batchJson(batch, version) };
    return this.list(batch, url, version, faults, origin, err);
  }

  private error(version: Version, status: number, code: string, message: string, innerCode?: string): Reply {
    if (DATE_VERSIONS.has(version)) {
      return {
        status,
        body: { error: { code, message, ...(innerCode && { innererror: { code: innerCode } }) } },
        headers: { 'x-ms-error-code': code },
      };
    }
    return { status, body: { error: { code, message, target: 'Batch', ...(innerCode && { innerError: { code: innerCode, message } }) } } };
  }

  private step(doc: Doc): Step {
    return currentStep(doc.timeline, doc.polls, this.clock.now() - doc.start) ?? { status: 'NotStarted' };
  }

  private docJson(doc: Doc, dropStatus = false, advance = true, version: Version = 'v1.1'): Record<string, unknown> {
    const step = this.step(doc);
    if (advance) doc.polls++;
    const status = step.status ?? 'NotStarted';
    const done = status === 'Succeeded';
    const failed = isFailed(status);
    const json: Record<string, unknown> = {
      ...(done && { path: `https://target.blob.core.windows.net/out/${doc.to}/${doc.id}.docx` }),
      sourcePath: doc.sourcePath,
      createdDateTimeUtc: iso(doc.created),
      lastActionDateTimeUtc: iso(Math.max(doc.created, this.clock.now() - 1000)),
      status,
      to: doc.to,
      ...(failed && {
        error: {
          code: step.failureCode ?? 'InvalidRequest',
          message: step.failureReason ?? 'The document could not be translated.',
          target: 'Document',
          innerError: { code: step.errorCode ?? 'DocumentTranslationFailed', message: step.errorMessage ?? step.failureReason ?? 'Translation failed.' },
        },
      }),
      progress: step.progress ?? (done ? 1 : status === 'Running' ? 0.5 : 0),
      id: doc.id,
      ...((done || step.characterCharged !== undefined) && { characterCharged: step.characterCharged ?? 1200 }),
    };
    if (version === '2026-03-01') Object.assign(json, { totalImageScansSucceeded: 0, totalImageScansFailed: 0, imageCharged: 0 });
    if (dropStatus) delete json.status;
    return json;
  }

  private batchJson(batch: Batch, version: Version): Record<string, unknown> {
    const now = this.clock.now();
    const counts = { total: batch.docs.length, failed: 0, success: 0, inProgress: 0, notYetStarted: 0, cancelled: 0, totalCharacterCharged: 0 };
    for (const doc of batch.docs) {
      const s = this.step(doc);
      const status = s.status ?? 'NotStarted';
      if (status === 'Succeeded') {
        counts.success++;
        counts.totalCharacterCharged += s.characterCharged ?? 1200;
      } else if (isFailed(status)) counts.failed++;
      else if (status === 'NotStarted') counts.notYetStarted++;
      else if (isPending(status)) counts.inProgress++;
      else counts.cancelled++;
    }
    const own = batch.status ? currentStep(batch.status, batch.polls, now - batch.created) : undefined;
    batch.polls++;
    const derived =
      counts.notYetStarted === counts.total && counts.total > 0
        ? 'NotStarted'
        : counts.inProgress + counts.notYetStarted > 0
          ? 'Running'
          : counts.cancelled === counts.total && counts.total > 0
            ? 'Cancelled'
            : counts.success > 0
              ? 'Succeeded'
              : // a batch with no document has translated nothing: never Succeeded (docstatus reads that as a lie)
                counts.total === 0
                ? 'ValidationFailed'
                : 'Failed';
    const status = own?.status ?? derived;
    return {
      id: batch.id,
      createdDateTimeUtc: iso(batch.created),
      lastActionDateTimeUtc: iso(now - 1000),
      status,
      ...(isFailed(status) && { error: { code: own?.failureCode ?? 'InvalidRequest', message: own?.failureReason ?? (counts.total === 0 ? 'No document was found in the source.' : 'Every document failed.'), target: 'Batch' } }),
      summary: version === '2026-03-01' ? { ...counts, totalImageScansSucceeded: 0, totalImageScansFailed: 0, totalImageCharged: 0 } : counts,
    };
  }

  private list(
    batch: Batch,
    url: URL,
    version: Version,
    faults: readonly Fault[],
    origin: string,
    err: (status: number, code: string, message: string, inner?: string) => Reply,
  ): Reply {
    const q = url.searchParams;
    // v1.x and the 2024-05-01 OpenAPI name them $top, $skip, $maxpagesize, $orderBy; the date-versioned TypeSpec, the
    // 2026-03-01 OpenAPI and every official client send top, skip, maxpagesize, orderby. Both are taken, as the service
    // evidently does for its own clients.
    const date = DATE_VERSIONS.has(version);
    for (const [plain, dollar] of [
      ['top', '$top'],
      ['skip', '$skip'],
      ['maxpagesize', '$maxpagesize'],
      ['orderBy', '$orderBy'],
      ['orderby', '$orderBy'],
    ]) {
      if (q.has(plain) && !q.has(dollar)) q.set(dollar, q.get(plain)!);
      q.delete(plain);
    }
    const int = (name: string) => (q.has(name) ? Number(q.get(name)) : undefined);
    const top = int('$top');
    const skip = int('$skip') ?? 0;
    const pageSize = int('$maxpagesize') ?? 50;
    for (const [name, v] of [
      ['$top', top],
      ['$skip', skip],
      ['$maxpagesize', pageSize],
    ] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) return err(400, 'InvalidArgument', `${name} must be a non-negative integer.`);
    }
    if (pageSize < 1 || pageSize > 100) return err(400, 'InvalidArgument', '$maxpagesize must be between 1 and 100.');
    const ids = q.get('ids')?.split(',').filter(Boolean);
    if (ids && ids.length > 25) return err(400, 'InvalidArgument', 'At most 25 ids can be given.');
    const statuses = q.get('statuses')?.split(',').filter(Boolean).map(canonical);
    const start = q.has('createdDateTimeUtcStart') ? Date.parse(q.get('createdDateTimeUtcStart')!) : undefined;
    const end = q.has('createdDateTimeUtcEnd') ? Date.parse(q.get('createdDateTimeUtcEnd')!) : undefined;
    const order = (q.get('$orderBy') ?? 'createdDateTimeUtc desc').trim().toLowerCase();
    if (!/^createddatetimeutc( asc| desc)?$/.test(order)) return err(400, 'InvalidArgument', `$orderBy '${q.get('$orderBy')}' is not supported.`);

    const idSet = ids && new Set(ids);
    let docs = batch.docs.filter(
      (d) =>
        (!idSet || idSet.has(d.id)) &&
        (start === undefined || d.created >= start) &&
        (end === undefined || d.created <= end) &&
        (!statuses || statuses.includes(canonical(this.step(d).status ?? 'NotStarted'))),
    );
    if (!order.endsWith('asc')) docs = docs.reverse();
    const available = docs.length - skip;
    const take = Math.max(0, Math.min(pageSize, top ?? Number.POSITIVE_INFINITY, available));
    const listing = q.get('_listing') ?? String(++this.listings);
    const shown = docs.slice(skip, skip + take);
    const page = shown.map((d) => this.docJson(d, false, false, version));
    const deferred = this.deferred.get(listing) ?? [];
    for (const d of shown) deferred.push(d);
    this.deferred.delete(listing);
    this.deferred.set(listing, deferred);
    // a client that stops paging never ends its listing: forget the least recently paged, so a long run stays small
    for (const oldest of this.deferred.keys()) {
      if (this.deferred.size <= MAX_OPEN_LISTINGS) break;
      this.deferred.delete(oldest);
    }
    if (faults.some((f) => f.type === 'missing-fields') && page[0]) delete page[0].status;
    if (faults.some((f) => f.type === 'omit')) page.pop();
    if (faults.some((f) => f.type === 'extra') && page[0]) page.push({ ...page[0], id: 'ffffffff-0000-4000-8000-00000000dead' });

    const remaining = Math.min(available - take, top === undefined ? Number.POSITIVE_INFINITY : top - take);
    let next: string | undefined;
    if (remaining > 0) {
      const n = new URL(url.pathname, origin);
      for (const [k, v] of q) n.searchParams.set(k, v);
      n.searchParams.set('$skip', String(skip + take));
      if (top !== undefined) n.searchParams.set('$top', String(top - take));
      n.searchParams.set('$maxpagesize', String(pageSize));
      n.searchParams.set('_listing', listing);
      // A date version's link names its parameters as that version does.
      if (date) {
        for (const [k, v] of [...n.searchParams]) {
          if (!k.startsWith('$')) continue;
          n.searchParams.delete(k);
          n.searchParams.set(k === '$orderBy' ? 'orderby' : k.slice(1), v);
        }
      }
      next = n.href;
    } else {
      for (const d of this.deferred.get(listing) ?? []) d.polls++;
      this.deferred.delete(listing);
    }
    if (faults.some((f) => f.type === 'foreign-nextlink')) next = `https://attacker.example${url.pathname}${url.search}`;
    if (faults.some((f) => f.type === 'page-loop')) next = new URL(`${url.pathname}${url.search}`, origin).href;
    const linkName = date ? 'nextLink' : '@nextLink';
    const body: Record<string, unknown> = { value: page, ...(next && { [linkName]: next }) };
    if (faults.some((f) => f.type === 'oversize')) body.padding = 'x'.repeat(65 * 1024 * 1024);
    return { status: 200, body };
  }
}

/** Azure Document Translation's part of the emulator: every GET under /translator/ (404 for a route it does not know). */
export const createEmulator: EmulatorFactory<TranslatorScenario | undefined> = (scenario, clock) => {
  const translator = new TranslatorEmulator(scenario ?? {}, clock);
  return Object.assign(
    {
      match: (method: string, url: URL) => {
        if (!url.pathname.startsWith('/translator/')) return undefined;
        if (method !== 'GET' || !TranslatorEmulator.matches(url.pathname)) return 'unknownRoute';
        return url.pathname.endsWith('/documents') ? 'listDocuments' : /\/documents\//.test(url.pathname) ? 'getDocument' : 'getBatch';
      },
      handle: (op: string, req: import('../../emulator/routes.js').EmulatedRequest): Reply =>
        op === 'unknownRoute'
          ? { status: 404, body: { error: { code: 'NotFound', message: `no route for ${req.method} ${req.url.pathname}` } } }
          : translator.handle(req.url, req.headers, req.faults, req.origin),
    },
    { translator },
  );
};
