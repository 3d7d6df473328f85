import type { Clock } from '../../core/clock.js';
import type { EmulatedRequest, EmulatorFactory } from '../../emulator/routes.js';
import { currentStep, type Fault, faultReply, type KendraIndexScenario, ms, type Reply, type Step } from '../../emulator/scenario.js';

interface DocState {
  timeline: Step[];
  start: number;
  polls: number;
}

const INDEX_ID = /^[a-zA-Z0-9][a-zA-Z0-9-]{35}$/;
const MAX_ITEMS = 10;

/** An awsJson1_1 error: the type in __type (and x-amzn-ErrorType), the text in message. */
function awsError(status: number, type: string, message: string): Reply {
  return { status, body: { __type: type, message }, headers: { 'x-amzn-ErrorType': type } };
}

/** Kendra as BatchGetDocumentStatus, BatchPutDocument and BatchDeleteDocument see it. */
export class KendraEmulator {
  private readonly indexes = new Map<string, { docs: Map<string, DocState>; config: KendraIndexScenario }>();

  constructor(
    indexes: Record<string, KendraIndexScenario>,
    private readonly clock: Clock,
  ) {
    const now = clock.now();
    for (const [indexId, config] of Object.entries(indexes)) {
      const docs = new Map<string, DocState>();
      for (const [id, timeline] of Object.entries(config.documents ?? {})) docs.set(id, { timeline, start: now, polls: 0 });
      const gen = config.generate;
      if (gen) {
        const stagger = ms(gen.stagger);
        for (let i = 0; i < gen.count; i++) docs.set(`${gen.prefix ?? 'doc-'}${i}`, { timeline: gen.timeline, start: now + i * stagger, polls: 0 });
      }
      this.indexes.set(indexId, { docs, config });
    }
  }

  /** Answers one call; `op` is the X-Amz-Target operation name. */
  handle(op: string, input: Record<string, unknown>, faults: readonly Fault[]): Reply {
    const indexId = input.IndexId;
    if (typeof indexId !== 'string' || !INDEX_ID.test(indexId)) {
      return awsError(400, 'ValidationException', "1 validation error detected: Value at 'indexId' failed to satisfy constraint: Member must have length 36 and match pattern [a-zA-Z0-9][a-zA-Z0-9-]*");
    }
    const index = this.indexes.get(indexId);
    if (!index) return awsError(400, 'ResourceNotFoundException', `Index ${indexId} does not exist.`);
    switch (op) {
      case 'BatchGetDocumentStatus':
        return this.getStatus(index.docs, input.DocumentInfoList, faults);
      case 'BatchPutDocument':
        return this.put(index, input.Documents);
      case 'BatchDeleteDocument':
        return this.remove(index, input.DocumentIdList);
      default:
        return awsError(400, 'UnknownOperationException', `Unknown operation ${op}`);
    }
  }

  private listError(list: unknown, name: string): Reply | undefined {
    if (!Array.isArray(list) || list.length < 1 || list.length > MAX_ITEMS) {
      const n = Array.isArray(list) ? list.length : 0;
      return awsError(400, 'ValidationException', `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length between 1 and ${MAX_ITEMS} (got ${n})`);
    }
    return undefined;
  }

  private getStatus(docs: Map<string, DocState>, list: unknown, faults: readonly Fault[]): Reply {
    const bad = this.listError(list, 'documentInfoList');
    if (bad) return bad;
    const now = this.clock.now();
    const DocumentStatusList: Record<string, unknown>[] = [];
    const Errors: Record<string, unknown>[] = [];
    for (const info of list as Array<{ DocumentId?: unknown }>) {
      const id = info?.DocumentId;
      if (typeof id !== 'string' || id.length < 1 || id.length > 2048) {
        return awsError(400, 'ValidationException', "Value at 'documentInfoList.member.documentId' failed to satisfy constraint");
      }
      const doc = docs.get(id);
      const step = doc ? currentStep(doc.timeline, doc.polls, now - doc.start) : undefined;
      if (doc) doc.polls++;
      if (step?.errorCode) {
        Errors.push({ DocumentId: id, ErrorCode: step.errorCode, ErrorMessage: step.errorMessage ?? 'An internal error occurred' });
        continue;
      }
      DocumentStatusList.push({
        DocumentId: id,
        DocumentStatus: step?.status ?? 'NOT_FOUND',
        ...(step?.failureCode && { FailureCode: step.failureCode }),
        ...(step?.failureReason && { FailureReason: step.failureReason }),
      });
    }
    for (const f of faults) {
      if (f.type === 'omit') DocumentStatusList.pop();
      if (f.type === 'extra') DocumentStatusList.push({ DocumentId: 'not-asked-for', DocumentStatus: 'INDEXED' });
      if (f.type === 'missing-fields' && DocumentStatusList[0]) delete DocumentStatusList[0].DocumentStatus;
    }
    return { status: 200, body: { Errors, DocumentStatusList } };
  }

  private put(index: { docs: Map<string, DocState>; config: KendraIndexScenario }, list: unknown): Reply {
    const bad = this.listError(list, 'documents');
    if (bad) return bad;
    const now = this.clock.now();
    const processing = ms(index.config.processing, 2000);
    const failing = new Set(index.config.failing ?? []);
    for (const doc of list as Array<{ Id?: unknown }>) {
      if (typeof doc?.Id !== 'string') return awsError(400, 'ValidationException', "Value at 'documents.member.id' failed to satisfy constraint");
      const end: Step = failing.has(doc.Id)
        ? { after: processing, status: 'FAILED', failureCode: '400', failureReason: 'The document could not be parsed.' }
        : { after: processing, status: 'INDEXED' };
      index.docs.set(doc.Id, { timeline: [{ status: 'PROCESSING' }, end], start: now, polls: 0 });
    }
    return { status: 200, body: { FailedDocuments: [] } };
  }

  private remove(index: { docs: Map<string, DocState>; config: KendraIndexScenario }, list: unknown): Reply {
    const bad = this.listError(list, 'documentIdList');
    if (bad) return bad;
    const now = this.clock.now();
    const deleting = ms(index.config.deleting, 2000);
    for (const id of list as unknown[]) {
      if (typeof id !== 'string') return awsError(400, 'ValidationException', "Value at 'documentIdList.member' failed to satisfy constraint");
      index.docs.set(id, { timeline: [{ status: 'PROCESSING' }, { after: deleting, status: 'NOT_FOUND' }], start: now, polls: 0 });
    }
    return { status: 200, body: { FailedDocuments: [] } };
  }
}


/** Kendra's part of the emulator: awsJson1_1 POSTs named by X-Amz-Target, SigV4-signed. */
/** The scenario's `kendra` section. */
export interface KendraScenario {
  indexes?: Record<string, KendraIndexScenario>;
}

export const createEmulator: EmulatorFactory<KendraScenario | undefined> = (scenario, clock) => {
  const kendra = new KendraEmulator(scenario?.indexes ?? {}, clock);
  return {
    contentType: 'application/x-amz-json-1.1',
    match: (method, _url, headers) => {
      const target = headers['x-amz-target'];
      return method === 'POST' && typeof target === 'string' ? (target.split('.').pop() ?? '') : undefined;
    },
    handle: (op: string, req: EmulatedRequest): Reply => {
      const auth = req.headers.authorization;
      if (typeof auth !== 'string' || !auth.startsWith('AWS4-HMAC-SHA256 ')) {
        return awsError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      }
      const faulty = faultReply(req.faults, {
        throttled: () => awsError(400, 'ThrottlingException', 'Rate exceeded'),
        failed: (status) => awsError(status, 'InternalServerException', 'We encountered an internal error. Please try again.'),
      });
      if (faulty) return faulty;
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(req.body ?? '') as Record<string, unknown>;
      } catch {
        return awsError(400, 'SerializationException', 'Could not parse the request body');
      }
      const list = (input.DocumentInfoList ?? input.Documents ?? input.DocumentIdList) as Array<Record<string, unknown> | string> | undefined;
      req.note({ input, ...(Array.isArray(list) && { ids: list.map((x) => (typeof x === 'string' ? x : String(x?.DocumentId ?? x?.Id))) }) });
      return kendra.handle(op, input, req.faults);
    },
  };
};
