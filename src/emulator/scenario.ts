import { type ServiceName, type ServiceScenarios, SERVICE_NAMES } from '../services/index.js';
import { parseDuration } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';

/** One point of a document's timeline: from when it applies, and what the service says then. */
export interface Step {
  /** applies once this long has passed since the document's start (duration text or ms) */
  after?: string | number;
  /** applies once the document has been asked about this many times */
  afterPolls?: number;
  status?: string;
  failureCode?: string;
  failureReason?: string;
  /** Kendra: report the document in Errors instead (InternalError, InvalidRequest) */
  errorCode?: string;
  errorMessage?: string;
  /** Azure document fields */
  progress?: number;
  characterCharged?: number;
}

/** Many documents with one timeline, for benchmarks: IDs prefix0 .. prefix(count-1). */
export interface Generate {
  count: number;
  prefix?: string;
  timeline: Step[];
  /** spread: document i's timeline starts i*stagger later (duration text or ms) */
  stagger?: string | number;
}

export interface KendraIndexScenario {
  documents?: Record<string, Step[]>;
  generate?: Generate;
  /** how long a BatchPutDocument'd document stays PROCESSING (default 2s) */
  processing?: string | number;
  /** documents that BatchPutDocument sends to FAILED instead of INDEXED */
  failing?: string[];
  /** how long a BatchDeleteDocument'd document stays PROCESSING before NOT_FOUND (default 2s) */
  deleting?: string | number;
}

/** One document of an emulated batch. */
export interface TranslatorDocScenario {
  sourcePath?: string;
  to?: string;
  timeline: Step[];
}

export interface TranslatorBatchScenario {
  /** document ID to its timeline (and paths); listed in this order of creation */
  documents?: Record<string, TranslatorDocScenario>;
  /** many documents with GUID-shaped IDs sharing one timeline */
  generate?: Generate & { to?: string };
  /** the batch's own status timeline; by default it follows its documents */
  status?: Step[];
  /** the documents' timelines start this long after the emulator (duration text or ms) */
  startAfter?: string | number;
}

export interface TranslatorScenario {
  /** when set, a request needs this Ocp-Apim-Subscription-Key (or any Bearer token) */
  key?: string;
  batches?: Record<string, TranslatorBatchScenario>;
}

/** Every kind of fault the emulator injects (README, "Scenario files"). */
export const FAULT_TYPES = [
  'throttle',
  'error',
  'reset',
  'stall',
  'garbage',
  'truncate',
  'omit',
  'extra',
  'latency',
  'missing-fields',
  'foreign-nextlink',
  'page-loop',
  'oversize',
] as const;

export type FaultType = (typeof FAULT_TYPES)[number];

/** A fault injected into matching requests. */
export interface Fault {
  service?: ServiceName;
  type: FaultType;
  /** 1-based numbers of the matching service's requests that get the fault */
  requests?: number[];
  /** the first N requests */
  first?: number;
  /** or a share of requests, from the scenario's seeded random numbers */
  rate?: number;
  /** throttle: the Retry-After header, in seconds (omit for none) */
  retryAfter?: number;
  /** error: the HTTP status (default 500); stall, latency: how long, duration text or ms */
  status?: number;
  ms?: string | number;
  /** throttle (a rate limit's, never a scenario's fault): Bedrock answers 402 ServiceQuotaExceededException */
  quota?: boolean;
}

/** A service's request quota (scenario `rateLimit`, per service): a token bucket (emulator/rate-limit.ts). */
export interface RateLimit {
  /** requests a second */
  rps: number;
  /** the bucket's size (default: one second's worth, at least 1) */
  burst?: number;
  /** how a refused request is answered: 'throttle' (default: the service's throttling error) or 'quota' (Bedrock: 402 ServiceQuotaExceededException) */
  answer?: 'throttle' | 'quota';
}

/** A scenario file: what every service shares, and one section per service of the registry. */
export type Scenario = {
  seed?: number;
  /** added to every response (duration text or ms) */
  latency?: string | number;
  faults?: Fault[];
  rateLimit?: Partial<Record<ServiceName, RateLimit>>;
} & { [K in ServiceName]?: ServiceScenarios[K] };

/** An HTTP answer of the emulator, before faults that break the wire format. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * The answer a `throttle` or `error` fault calls for, in the service's own error shape (throttle first; its
 * `retryAfter` becomes a Retry-After header); undefined when neither applies.
 */
export function faultReply(faults: readonly Fault[], shape: { throttled: (fault: Fault) => Reply; failed: (status: number) => Reply }): Reply | undefined {
  const throttle = faults.find((f) => f.type === 'throttle');
  if (throttle) {
    const reply = shape.throttled(throttle);
    if (throttle.retryAfter !== undefined) reply.headers = { ...reply.headers, 'retry-after': String(throttle.retryAfter) };
    return reply;
  }
  const error = faults.find((f) => f.type === 'error');
  return error ? shape.failed(error.status ?? 500) : undefined;
}

/** Duration text or a number of ms, as scenario files write them. */
export function ms(value: string | number | undefined, fallback = 0): number {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? value : parseDuration(value, 'scenario');
}

/** The keys a fault may have (Fault). */
const FAULT_KEYS: ReadonlySet<string> = new Set(['service', 'type', 'requests', 'first', 'rate', 'retryAfter', 'status', 'ms']);

/**
 * Parses and checks a scenario file's text: its top level (a misspelt service section would leave every document of it
 * unknown, silently) and its faults (a misspelt type would inject nothing). A service's own section is its emulator's.
 */
export function parseScenario(text: string, where: string): Scenario {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where}: malformed JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${where}: a scenario is a JSON object`);
  const top = ['seed', 'latency', 'faults', 'rateLimit', ...SERVICE_NAMES];
  const unknown = Object.keys(value).find((key) => !top.includes(key));
  if (unknown !== undefined) throw new UsageError(`${where}: unknown key ${JSON.stringify((cleanText(unknown) ?? '').slice(0, 100))} (a scenario has ${top.join(', ')})`);
  const s = value as Scenario;
  if (s.faults !== undefined && !Array.isArray(s.faults)) throw new UsageError(`${where}: "faults" is a list`);
  for (const [i, f] of (s.faults ?? []).entries()) {
    const at = `${where}: faults[${i}]`;
    if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new UsageError(`${at} is not an object`);
    const key = Object.keys(f).find((k) => !FAULT_KEYS.has(k));
    if (key !== undefined) throw new UsageError(`${at}: unknown key ${JSON.stringify((cleanText(key) ?? '').slice(0, 100))} (a fault has ${[...FAULT_KEYS].join(', ')})`);
    if (!(FAULT_TYPES as readonly unknown[]).includes(f.type)) throw new UsageError(`${at}: "type" is one of ${FAULT_TYPES.join(', ')}`);
    if (f.service !== undefined && !(SERVICE_NAMES as readonly unknown[]).includes(f.service)) throw new UsageError(`${at}: "service" is one of ${SERVICE_NAMES.join(', ')}`);
  }
  checkRateLimits(s.rateLimit, where);
  return s;
}

/** Checks a scenario's `rateLimit`: per service, a positive `rps`, a `burst` of at least 1, a known `answer`. */
function checkRateLimits(value: unknown, where: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${where}: "rateLimit" is an object of services`);
  for (const [service, limit] of Object.entries(value)) {
    const at = `${where}: rateLimit.${(cleanText(service) ?? '').slice(0, 100)}`;
    if (!(SERVICE_NAMES as readonly string[]).includes(service)) throw new UsageError(`${at}: not a service (${SERVICE_NAMES.join(', ')})`);
    if (typeof limit !== 'object' || limit === null || Array.isArray(limit)) throw new UsageError(`${at} is not an object`);
    const key = Object.keys(limit).find((k) => !['rps', 'burst', 'answer'].includes(k));
    if (key !== undefined) throw new UsageError(`${at}: unknown key ${JSON.stringify((cleanText(key) ?? '').slice(0, 100))} (a rate limit has rps, burst, answer)`);
    const { rps, burst, answer } = limit as Record<string, unknown>;
    if (typeof rps !== 'number' || !(rps > 0) || !Number.isFinite(rps)) throw new UsageError(`${at}: "rps" is a positive number`);
    if (burst !== undefined && (typeof burst !== 'number' || !(burst >= 1) || !Number.isFinite(burst))) throw new UsageError(`${at}: "burst" is a number of at least 1`);
    if (answer !== undefined && answer !== 'throttle' && answer !== 'quota') throw new UsageError(`${at}: "answer" is throttle or quota`);
    if (answer === 'quota' && service !== 'bedrock-kb') throw new UsageError(`${at}: "answer": "quota" is Bedrock's (402 ServiceQuotaExceededException)`);
  }
}

/** The step of a timeline in force for a document asked `polls` times, `elapsed` ms after its start. */
export function currentStep(timeline: readonly Step[], polls: number, elapsed: number): Step | undefined {
  let found: Step | undefined;
  for (const step of timeline) {
    if ((step.afterPolls ?? 0) <= polls && ms(step.after) <= elapsed) found = step;
  }
  return found;
}

/** A small seeded generator (mulberry32), so a scenario's random faults repeat run after run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks, for each request of a service, the faults that apply to it. */
export class FaultPlan {
  private readonly counts = new Map<string, number>();
  private readonly random: () => number;

  constructor(
    private readonly faults: readonly Fault[],
    seed = 1,
  ) {
    this.random = seeded(seed);
  }

  /** Call once per request of the service; returns the faults for it. */
  next(service: ServiceName): Fault[] {
    const n = (this.counts.get(service) ?? 0) + 1;
    this.counts.set(service, n);
    return this.faults.filter((f) => {
      if (f.service && f.service !== service) return false;
      if (f.requests) return f.requests.includes(n);
      if (f.first !== undefined) return n <= f.first;
      if (f.rate !== undefined) return this.random() < f.rate;
      return true;
    });
  }
}
