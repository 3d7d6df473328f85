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

// A scenario is checked in full when it is read (`emulate --scenario`), against one declarative schema: every key
// known, every value of its type and within bounds, or exit 2 naming the field (`kendra.indexes.X.documents.d[1].after`).
// A value the emulator could not serve must not start it (`after: "banana"` answered HTTP 500 to every request later),
// and no count may cost minutes and gigabytes before failing. To add a key, add it to the object schema it belongs to.

/** The most documents a scenario may define in one place (`generate.count`, a `documents` map, a `failing` list). */
export const MAX_SCENARIO_DOCUMENTS = 1_000_000;
/** The most steps in one timeline, and request numbers in one fault's `requests`. */
export const MAX_SCENARIO_LIST = 10_000;
/** The longest duration a scenario may give (a timeline's `after`, a latency, a stall): 24 hours. */
export const MAX_SCENARIO_MS = 24 * 3_600_000;

/** Checks one value; throws ScenarioError with the message's tail. `path` names the value (`faults[0].ms`). */
type Check = (value: unknown, path: string) => void;

class ScenarioError extends Error {}

const fail = (path: string, what: string): never => {
  throw new ScenarioError(path ? `${path}: ${what}` : what);
};
/** A JSON value as a message shows it: one line, at most 60 characters. */
const quote = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return cleanText(text.length > 60 ? `${text.slice(0, 60)}...` : text) ?? '';
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

const string: Check = (v, path) => {
  if (typeof v !== 'string') fail(path, `${quote(v)} is not a string`);
};
/** A whole number in [min, max]. */
const integer =
  (min: number, max: number): Check =>
  (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(path, `${quote(v)} is not a whole number from ${min} to ${max.toLocaleString('en-US')}`);
  };
/** A number in [min, max]. */
const number =
  (min: number, max: number): Check =>
  (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(path, `${quote(v)} is not a number from ${min} to ${max}`);
  };
/** One of the given strings. */
const oneOf =
  (values: readonly string[]): Check =>
  (v, path) => {
    if (typeof v !== 'string' || !values.includes(v)) fail(path, `${quote(v)} is not one of ${values.join(', ')}`);
  };
/** Duration text (`250ms`, `5s`, `2m`, `1h`, a number of seconds) or a number of ms, from 0 to MAX_SCENARIO_MS. */
const duration: Check = (v, path) => {
  let value: number;
  if (typeof v === 'number') value = v;
  else if (typeof v === 'string') {
    try {
      value = parseDuration(v, path);
    } catch {
      return fail(path, `${quote(v)} is not a duration (250ms, 5s, 2m, 1h, or a number of ms)`);
    }
  } else return fail(path, `${quote(v)} is not a duration (250ms, 5s, 2m, 1h, or a number of ms)`);
  if (!Number.isFinite(value) || value < 0 || value > MAX_SCENARIO_MS) fail(path, `${quote(v)} is not a duration from 0 to 24h`);
};
/** A list of items, at most `max` long. */
const list =
  (item: Check, max: number): Check =>
  (v, path) => {
    if (!Array.isArray(v)) return fail(path, `${quote(v)} is not a list`);
    if (v.length > max) fail(path, `${v.length.toLocaleString('en-US')} entries, at most ${max.toLocaleString('en-US')}`);
    v.forEach((x, i) => item(x, `${path}[${i}]`));
  };
/** An object of any keys (IDs), each value checked, at most `max` keys. */
const record =
  (value: Check, max = MAX_SCENARIO_DOCUMENTS): Check =>
  (v, path) => {
    if (!isObject(v)) return fail(path, `${quote(v)} is not an object`);
    const keys = Object.keys(v);
    if (keys.length > max) fail(path, `${keys.length.toLocaleString('en-US')} entries, at most ${max.toLocaleString('en-US')}`);
    for (const key of keys) value(v[key], join(path, quote(key).replace(/^"|"$/g, '')));
  };
/**
 * An object whose keys are all known (every one optional unless listed in `required`), each value checked; `name`
 * says what it is in the message for an unknown key ("a fault has service, type, ...").
 */
export const object =
  (shape: Readonly<Record<string, Check>>, opts: { required?: readonly string[]; name?: string } = {}): Check =>
  (v, path) => {
    if (!isObject(v)) return fail(path, `${quote(v)} is not an object`);
    for (const key of Object.keys(v)) {
      if (!Object.hasOwn(shape, key)) fail(path, `unknown key ${quote(key)} (${opts.name ?? 'it'} has ${Object.keys(shape).join(', ')})`);
      shape[key]!(v[key], join(path, key));
    }
    for (const key of opts.required ?? []) if (!Object.hasOwn(v, key)) fail(join(path, key), 'missing');
  };

/** One step of a timeline (Step). */
const STEP = object(
  {
    after: duration,
    afterPolls: integer(0, MAX_SCENARIO_DOCUMENTS),
    status: string,
    failureCode: string,
    failureReason: string,
    errorCode: string,
    errorMessage: string,
    progress: number(0, 1),
    characterCharged: integer(0, Number.MAX_SAFE_INTEGER),
  },
  { name: 'a step' },
);
const TIMELINE = list(STEP, MAX_SCENARIO_LIST);
/** Generate, with its count bounded: a billion documents cost 30 s and 2.3 GB before failing. */
const GENERATE_SHAPE = { count: integer(0, MAX_SCENARIO_DOCUMENTS), prefix: string, timeline: TIMELINE, stagger: duration };
const GENERATE = object(GENERATE_SHAPE, { required: ['count', 'timeline'], name: 'generate' });

/** The fault keys (Fault), each checked. */
export const FAULT_SHAPE: Record<string, Check> = {
  service: oneOf(SERVICE_NAMES),
  type: oneOf(FAULT_TYPES),
  requests: list(integer(1, Number.MAX_SAFE_INTEGER), MAX_SCENARIO_LIST),
  first: integer(0, Number.MAX_SAFE_INTEGER),
  rate: number(0, 1),
  retryAfter: number(0, 86_400),
  status: integer(100, 599),
  ms: duration,
};

/** Each service's section. */
const SECTIONS: { [K in ServiceName]: Check } = {
  kendra: object({
    indexes: record(
      object({ documents: record(TIMELINE), generate: GENERATE, processing: duration, failing: list(string, MAX_SCENARIO_DOCUMENTS), deleting: duration }),
    ),
  }),
  'bedrock-kb': object({
    knowledgeBases: record(
      object({
        dataSources: record(
          object({ type: oneOf(['CUSTOM', 'S3']), documents: record(TIMELINE), generate: GENERATE, processing: duration, failing: list(string, MAX_SCENARIO_DOCUMENTS), deleting: duration }),
        ),
      }),
    ),
  }),
  translator: object({
    key: string,
    batches: record(
      object({
        documents: record(object({ sourcePath: string, to: string, timeline: TIMELINE }, { required: ['timeline'], name: 'a document' })),
        generate: object({ ...GENERATE_SHAPE, to: string }, { required: ['count', 'timeline'], name: 'generate' }),
        status: TIMELINE,
        startAfter: duration,
      }),
    ),
  }),
};

/** A token bucket's limits for one service: a positive `rps`, a `burst` of at least 1, what a refusal answers. */
const RATE_LIMIT_SHAPE = { rps: number(0.001, 1_000_000), burst: number(1, 1_000_000), answer: oneOf(['throttle', 'quota']) };
/** `rateLimit`: per service; `"answer": "quota"` (402 ServiceQuotaExceededException) is Bedrock's alone. */
const RATE_LIMIT: Check = (v, path) => {
  object(Object.fromEntries(SERVICE_NAMES.map((name) => [name, object(RATE_LIMIT_SHAPE, { required: ['rps'], name: 'a rate limit' })])), { name: 'rateLimit' })(v, path);
  for (const [service, limit] of Object.entries(v as Record<string, { answer?: string }>)) {
    if (limit.answer === 'quota' && service !== 'bedrock-kb') fail(join(join(path, service), 'answer'), `"quota" is Bedrock's (402 ServiceQuotaExceededException)`);
  }
};

/** The whole scenario file (Scenario). */
export const SCENARIO_SHAPE: Record<string, Check> = {
  seed: integer(0, 2 ** 32 - 1),
  latency: duration,
  faults: list(object(FAULT_SHAPE, { required: ['type'], name: 'a fault' }), MAX_SCENARIO_LIST),
  rateLimit: RATE_LIMIT,
  // in the registry's order
  ...Object.fromEntries(SERVICE_NAMES.map((name) => [name, SECTIONS[name]])),
};

/**
 * Parses and checks a scenario file's text in full (SCENARIO_SHAPE): a misspelt section, key or fault type, a value of
 * the wrong type or out of bounds is a UsageError naming the field, before the emulator starts.
 */
export function parseScenario(text: string, where: string): Scenario {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where}: malformed JSON: ${(err as Error).message}`);
  }
  if (!isObject(value)) throw new UsageError(`${where}: a scenario is a JSON object`);
  try {
    object(SCENARIO_SHAPE, { name: 'a scenario' })(value, '');
  } catch (err) {
    if (err instanceof ScenarioError) throw new UsageError(`${where}: ${err.message}`);
    throw err;
  }
  return value as Scenario;
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
