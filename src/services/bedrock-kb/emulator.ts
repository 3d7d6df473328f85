import type { Clock } from '../../core/clock.js';
import type { EmulatorFactory } from '../../emulator/routes.js';
import { currentStep, type Fault, faultReply, type Generate, ms, type Reply, type Step } from '../../emulator/scenario.js';
import { isObject, type Json } from '../../core/json.js';

/** One data source of an emulated knowledge base: its documents (keyed by custom ID or `s3://` URI) and timelines. */
export interface BedrockDataSourceScenario {
  /** `CUSTOM` (documents named by ID) or `S3` (by `s3://` URI); default CUSTOM */
  type?: 'CUSTOM' | 'S3';
  documents?: Record<string, Step[]>;
  generate?: Generate;
  /** how long an ingested document takes from STARTING to INDEXED (default 2s) */
  processing?: string | number;
  /** documents that IngestKnowledgeBaseDocuments sends to FAILED instead of INDEXED */
  failing?: string[];
  /** how long a deleted document stays DELETING / DELETE_IN_PROGRESS before NOT_FOUND (default 2s) */
  deleting?: string | number;
}

export interface BedrockKbScenario {
  knowledgeBases?: Record<string, { dataSources?: Record<string, BedrockDataSourceScenario> }>;
}

interface Doc {
  key: string;
  timeline: Step[];
  start: number;
  polls: number;
}

interface DataSource {
  kb: string;
  id: string;
  type: 'CUSTOM' | 'S3';
  docs: Map<string, Doc>;
  /** every key ever known, in creation order: a listing's cursor is a position in it (a key ingested again keeps its place) */
  order: string[];
  config: BedrockDataSourceScenario;
}

/** The Bedrock Agent model's limits (bedrock-agent.json: Id, DocumentIdentifiers, CustomDocumentIdentifier, S3BucketUri, MaxResults, NextToken). */
const ID = /^[0-9a-zA-Z]{10}$/;
/** Smithy patterns are ECMA 262 expressions without flags (`.` is no line break); Smithy counts code points, hence `u`. */
const S3_URI = /^s3:\/\/.{1,128}$/u;
const MAX_IDENTIFIERS = 10;
const ROUTE = /^\/knowledgebases\/([^/]*)\/datasources\/([^/]*)\/documents(?:\/(getDocuments|deleteDocuments))?\/?$/;
const DEFAULT_PAGE = 100;

/** A restJson1 error as Bedrock sends it: the type in x-amzn-errortype, the text in message. */
export function bedrockError(status: number, type: string, message: string, fieldList?: Array<{ name: string; message: string }>): Reply {
  return { status, body: { message, ...(fieldList && { fieldList }) }, headers: { 'x-amzn-errortype': type } };
}
const validation = (message: string, name: string) => bedrockError(400, 'ValidationException', message, [{ name, message }]);


/** Amazon Bedrock Knowledge Bases as GetKnowledgeBaseDocuments, ListKnowledgeBaseDocuments, Ingest and Delete see it. */
export class BedrockKbEmulator {
  private readonly sources = new Map<string, DataSource>();
  private listings = 0;

  constructor(
    scenario: BedrockKbScenario,
    private readonly clock: Clock,
  ) {
    const now = clock.now();
    for (const [kb, k] of Object.entries(scenario.knowledgeBases ?? {})) {
      for (const [id, config] of Object.entries(k.dataSources ?? {})) {
        const docs = new Map<string, Doc>();
        for (const [key, timeline] of Object.entries(config.documents ?? {})) docs.set(key, { key, timeline, start: now, polls: 0 });
        const gen = config.generate;
        if (gen) {
          const stagger = ms(gen.stagger);
          for (let i = 0; i < gen.count; i++) {
            const key = `${gen.prefix ?? 'doc-'}${i}`;
            docs.set(key, { key, timeline: gen.timeline, start: now + i * stagger, polls: 0 });
          }
        }
        this.sources.set(`${kb}/${id}`, { kb, id, type: config.type ?? 'CUSTOM', docs, order: [...docs.keys()], config });
      }
    }
  }

  /** The operation a request path and method name, or undefined when they are not this API's. */
  static operation(method: string, path: string): string | undefined {
    const m = ROUTE.exec(path);
    if (!m) return undefined;
    if (m[3] === 'getDocuments' && method === 'POST') return 'GetKnowledgeBaseDocuments';
    if (m[3] === 'deleteDocuments' && method === 'POST') return 'DeleteKnowledgeBaseDocuments';
    if (m[3] === undefined && method === 'POST') return 'ListKnowledgeBaseDocuments';
    if (m[3] === undefined && method === 'PUT') return 'IngestKnowledgeBaseDocuments';
    return undefined;
  }

  /** Answers one call (SigV4 with the signing name `bedrock` required, as the real service requires a signature). */
  handle(op: string, path: string, headers: Record<string, string | string[] | undefined>, body: string | undefined, faults: readonly Fault[]): Reply {
    const auth = headers.authorization;
    if (typeof auth !== 'string' || !/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/bedrock\/aws4_request/.test(auth)) {
      return bedrockError(403, 'AccessDeniedException', 'Missing or invalid authentication token (SigV4, service bedrock).');
    }
    const faulty = faultReply(faults, {
      throttled: (f) =>
        f.quota
          ? bedrockError(402, 'ServiceQuotaExceededException', 'The number of requests exceeds the service quota. Resubmit your request later.')
          : bedrockError(429, 'ThrottlingException', 'Rate exceeded'),
      failed: (status) => bedrockError(status, 'InternalServerException', 'An internal server error occurred. Retry your request.'),
    });
    if (faulty) return faulty;
    const m = ROUTE.exec(path)!;
    const label = (text: string) => {
      try {
        return decodeURIComponent(text);
      } catch {
        return text; // a malformed %-escape is no ID: the pattern check below refuses it
      }
    };
    const [kb, ds] = [label(m[1]!), label(m[2]!)];
    if (!ID.test(kb)) return validation("Value at 'knowledgeBaseId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z]{10}$", 'knowledgeBaseId');
    if (!ID.test(ds)) return validation("Value at 'dataSourceId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z]{10}$", 'dataSourceId');
    let input: unknown;
    try {
      input = body ? JSON.parse(body) : {};
    } catch {
      return bedrockError(400, 'ValidationException', 'The request body is not valid JSON.');
    }
    if (!isObject(input)) return bedrockError(400, 'ValidationException', 'The request body must be a JSON object.');
    const source = this.sources.get(`${kb}/${ds}`);
    if (!source) return bedrockError(404, 'ResourceNotFoundException', `Data source ${ds} of knowledge base ${kb} was not found.`);
    switch (op) {
      case 'GetKnowledgeBaseDocuments':
        return this.get(source, input, faults);
      case 'ListKnowledgeBaseDocuments':
        return this.list(source, input, faults);
      case 'IngestKnowledgeBaseDocuments':
        return this.ingest(source, input);
      default:
        return this.remove(source, input);
    }
  }

  /** The key of a DocumentIdentifier (its custom ID or S3 URI), or a ValidationException. */
  private keyOf(source: DataSource, identifier: unknown, where: string): string | Reply {
    if (!isObject(identifier)) return validation(`${where} must be a DocumentIdentifier`, where);
    if (identifier.dataSourceType !== source.type) {
      return validation(`${where}.dataSourceType must be ${source.type} for this data source (got ${String(identifier.dataSourceType).slice(0, 20)})`, `${where}.dataSourceType`);
    }
    if (source.type === 'S3') {
      const uri = isObject(identifier.s3) ? identifier.s3.uri : undefined;
      if (typeof uri !== 'string' || uri.length > 2048 || !S3_URI.test(uri)) return validation(`${where}.s3.uri must match ^s3://.{1,128}$`, `${where}.s3.uri`);
      return uri;
    }
    const id = isObject(identifier.custom) ? identifier.custom.id : undefined;
    if (typeof id !== 'string' || id.length < 1 || [...id].length > 2048) return validation(`${where}.custom.id must be 1 to 2048 characters`, `${where}.custom.id`);
    return id;
  }

  private identifiers(source: DataSource, list: unknown, name: string): string[] | Reply {
    if (!Array.isArray(list) || list.length < 1 || list.length > MAX_IDENTIFIERS) {
      return validation(`Value at '${name}' failed to satisfy constraint: Member must have length between 1 and ${MAX_IDENTIFIERS}`, name);
    }
    const keys: string[] = [];
    for (const [i, identifier] of list.entries()) {
      const key = this.keyOf(source, identifier, `${name}[${i}]`);
      if (typeof key !== 'string') return key;
      keys.push(key);
    }
    return keys;
  }

  private identifier(source: DataSource, key: string): Json {
    return source.type === 'S3' ? { dataSourceType: 'S3', s3: { uri: key } } : { dataSourceType: 'CUSTOM', custom: { id: key } };
  }

  private detail(source: DataSource, key: string, step: Step | undefined, at: number): Json {
    return {
      knowledgeBaseId: source.kb,
      dataSourceId: source.id,
      status: step?.status ?? 'NOT_FOUND',
      identifier: this.identifier(source, key),
      ...(step?.failureReason && { statusReason: step.failureReason }),
      updatedAt: new Date(at).toISOString(),
    };
  }

  private step(doc: Doc | undefined): Step | undefined {
    return doc ? currentStep(doc.timeline, doc.polls, this.clock.now() - doc.start) : undefined;
  }

  private get(source: DataSource, input: Json, faults: readonly Fault[]): Reply {
    const keys = this.identifiers(source, input.documentIdentifiers, 'documentIdentifiers');
    if (!Array.isArray(keys)) return keys;
    const now = this.clock.now();
    const details = keys.map((key) => {
      const doc = source.docs.get(key);
      const step = this.step(doc);
      if (doc) doc.polls++;
      return this.detail(source, key, step, doc ? Math.max(doc.start, now - 1000) : now);
    });
    return { status: 200, body: { documentDetails: applyFaults(details, faults, () => this.detail(source, source.type === 'S3' ? 's3://not-asked-for/x' : 'not-asked-for', { status: 'INDEXED' }, now)) } };
  }

  /**
   * Documents in creation order, `maxResults` a page. The nextToken is a cursor (a position in the creation order), so a
   * document that leaves the list between two pages (deleted, say) does not shift the next page over one that has not
   * been shown. A document that is NOT_FOUND (never ingested, or deleted) is not listed. A listing shows a document's
   * status, so it counts as asking about it (`afterPolls`), as GetKnowledgeBaseDocuments does.
   */
  private list(source: DataSource, input: Json, faults: readonly Fault[]): Reply {
    const max = input.maxResults;
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000)) {
      return validation("Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000", 'maxResults');
    }
    const token = input.nextToken;
    let position = 0;
    let listing = ++this.listings;
    if (token !== undefined) {
      const t = typeof token === 'string' && token.length >= 1 && token.length <= 2048 && /^\S*$/.test(token) ? /^o(\d+)l(\d+)$/.exec(token) : null;
      if (!t) return validation("Value at 'nextToken' failed to satisfy constraint", 'nextToken');
      position = Number(t[1]);
      listing = Number(t[2]);
    }
    const now = this.clock.now();
    const size = typeof max === 'number' ? max : DEFAULT_PAGE;
    const page: Json[] = [];
    let more = false;
    for (; position < source.order.length; position++) {
      const doc = source.docs.get(source.order[position]!)!;
      const step = this.step(doc);
      if ((step?.status ?? 'NOT_FOUND') === 'NOT_FOUND') continue;
      if (page.length === size) {
        more = true;
        break;
      }
      doc.polls++;
      page.push(this.detail(source, doc.key, step, Math.max(doc.start, now - 1000)));
    }
    return {
      status: 200,
      body: { documentDetails: applyFaults(page, faults, () => this.detail(source, 'not-asked-for', { status: 'INDEXED' }, now)), ...(more && { nextToken: `o${position}l${listing}` }) },
    };
  }

  private ingest(source: DataSource, input: Json): Reply {
    const docs = input.documents;
    if (!Array.isArray(docs) || docs.length < 1 || docs.length > MAX_IDENTIFIERS) {
      return validation(`Value at 'documents' failed to satisfy constraint: Member must have length between 1 and ${MAX_IDENTIFIERS}`, 'documents');
    }
    const keys: string[] = [];
    for (const [i, d] of docs.entries()) {
      const content = isObject(d) && isObject(d.content) ? d.content : undefined;
      if (!content) return validation(`documents[${i}].content is required`, `documents[${i}].content`);
      const identifier =
        source.type === 'S3'
          ? { dataSourceType: content.dataSourceType, s3: isObject(content.s3) ? content.s3.s3Location : undefined }
          : { dataSourceType: content.dataSourceType, custom: isObject(content.custom) ? content.custom.customDocumentIdentifier : undefined };
      const key = this.keyOf(source, identifier, `documents[${i}].content`);
      if (typeof key !== 'string') return key;
      keys.push(key);
    }
    const now = this.clock.now();
    const processing = ms(source.config.processing, 2000);
    const failing = new Set(source.config.failing ?? []);
    for (const key of keys) {
      const end: Step = failing.has(key) ? { after: processing, status: 'FAILED', failureReason: 'The document could not be parsed.' } : { after: processing, status: 'INDEXED' };
      if (!source.docs.has(key)) source.order.push(key);
      source.docs.set(key, { key, timeline: [{ status: 'STARTING' }, { after: processing / 2, status: 'IN_PROGRESS' }, end], start: now, polls: 0 });
    }
    return { status: 202, body: { documentDetails: keys.map((key) => this.detail(source, key, { status: 'STARTING' }, now)) } };
  }

  private remove(source: DataSource, input: Json): Reply {
    const keys = this.identifiers(source, input.documentIdentifiers, 'documentIdentifiers');
    if (!Array.isArray(keys)) return keys;
    const now = this.clock.now();
    const deleting = ms(source.config.deleting, 2000);
    for (const key of keys) {
      if (!source.docs.has(key)) source.order.push(key);
      source.docs.set(key, { key, timeline: [{ status: 'DELETING' }, { after: deleting / 2, status: 'DELETE_IN_PROGRESS' }, { after: deleting, status: 'NOT_FOUND' }], start: now, polls: 0 });
    }
    return { status: 202, body: { documentDetails: keys.map((key) => this.detail(source, key, { status: 'DELETING' }, now)) } };
  }
}

/** The answer-shaping faults: `omit` drops the last detail, `extra` adds one nobody asked for, `missing-fields` drops the first status. */
function applyFaults(details: Json[], faults: readonly Fault[], extra: () => Json): Json[] {
  for (const f of faults) {
    if (f.type === 'omit') details.pop();
    if (f.type === 'extra') details.push(extra());
    if (f.type === 'missing-fields' && details[0]) delete details[0].status;
  }
  return details;
}

/** Bedrock Knowledge Bases' part of the emulator: the restJson1 document routes of a knowledge base's data source. */
export const createEmulator: EmulatorFactory<BedrockKbScenario | undefined> = (scenario, clock) => {
  const kb = new BedrockKbEmulator(scenario ?? {}, clock);
  return {
    match: (method, url) => BedrockKbEmulator.operation(method, url.pathname),
    handle: (op, req) => {
      let input: unknown;
      try {
        input = req.body ? JSON.parse(req.body) : undefined;
      } catch {
        input = undefined;
      }
      const identifiers = isObject(input) && Array.isArray(input.documentIdentifiers) ? input.documentIdentifiers : [];
      const ids = identifiers.map((d: unknown) => (isObject(d) ? (isObject(d.custom) ? d.custom.id : isObject(d.s3) ? d.s3.uri : undefined) : undefined));
      req.note({ ...(isObject(input) && { input }), ...(ids.length > 0 && { ids: ids.map(String) }) });
      return kb.handle(op, req.url.pathname, req.headers, req.body, req.faults);
    },
  };
};
