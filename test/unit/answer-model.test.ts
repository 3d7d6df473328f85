// The boundary, as a property (issue 15): valid answers are generated from each operation's schema (the models of
// src/services/*/model.ts), then mutated: wrong types, required fields removed, counts negative, fractional, huge or
// strings, whole answers replaced. Every mutant that breaks the model must end as `error` (exit 4), never `succeeded`;
// a mutant that only adds fields the model does not name must give the valid answer's result. Each run is one real
// command, in process (main() with an in-memory Io), against a loopback server that sends the answer: the AWS SDK
// clients and undici deserialize it as they would a real service's.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import * as z from 'zod/mini';
import { maybe, struct } from '../../src/core/boundary.js';
import { DetailKey, KnowledgeBaseDocumentDetail } from '../../src/services/bedrock-kb/model.js';
import { KendraStatus, KendraStatusError } from '../../src/services/kendra/model.js';
import { API_VERSIONS } from '../../src/services/translator/flags.js';
import { azureModel } from '../../src/services/translator/model.js';
import { type AdHocServer, adHocServer } from '../ad-hoc-server.js';
import { DS, INDEX, KB, memoryIo, SECRETS, testAwsProcessEnv } from '../helpers.js';
import { propertyParams } from '../property.js';

testAwsProcessEnv();
let server: AdHocServer;
/** What the server sends next: a JSON text. */
let answer = '{}';
beforeAll(async () => {
  server = await adHocServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(answer);
  });
});
afterAll(async () => {
  await server.close();
});

type Def = { type: string; shape?: Record<string, Schema>; innerType?: Schema; element?: Schema; format?: string; getter?: () => Schema; values?: unknown[] };
type Schema = { _zod: { def: Def } };
const defOf = (s: unknown) => (s as Schema)._zod.def;

/** A valid value of a schema; `pin` fixes the value at a path ("summary.failed", "DocumentStatusList") or, with
 * `undefined`, leaves an optional field out. Recursion (Azure's innerError) stops at depth 3. */
function arbitraryOf(schema: unknown, pin: Record<string, fc.Arbitrary<unknown> | undefined> = {}, path = '', depth = 0): fc.Arbitrary<unknown> {
  if (Object.hasOwn(pin, path)) return pin[path] ?? fc.constant(undefined);
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const parts: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, field] of Object.entries(def.shape!)) {
        const at = path ? `${path}.${key}` : key;
        const optional = defOf(field).type === 'optional';
        if (optional && (depth >= 3 || (Object.hasOwn(pin, at) && pin[at] === undefined))) continue;
        const value = arbitraryOf(field, pin, at, depth + 1);
        parts[key] = optional && !Object.hasOwn(pin, at) ? fc.option(value, { nil: undefined }) : value;
      }
      return fc.record(parts).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    case 'optional':
    case 'nullable':
      return arbitraryOf(def.innerType, pin, path, depth);
    case 'lazy':
      return arbitraryOf(def.getter!(), pin, path, depth);
    case 'literal':
      return fc.constant(def.values![0]);
    case 'string':
      return fc.string({ maxLength: 12 });
    case 'number':
      return def.format === 'safeint' ? fc.nat(100_000) : fc.double({ min: 0, max: 1, noNaN: true });
    case 'date':
      return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'array':
      return fc.array(arbitraryOf(def.element, pin, `${path}[]`, depth + 1), { maxLength: 2 });
    default:
      return fc.constant(undefined);
  }
}

/** Every place of a value a mutation can hit, with what the schema says of it. */
interface Place {
  path: Array<string | number>;
  required: boolean;
  kind: 'count' | 'number' | 'string' | 'date' | 'object' | 'array' | 'other';
}

function placesOf(schema: unknown, value: unknown, path: Array<string | number> = [], required = true, out: Place[] = []): Place[] {
  let def = defOf(schema);
  let optional = false;
  while (def.type === 'optional' || def.type === 'nullable' || def.type === 'lazy') {
    if (def.type === 'optional') optional = true;
    def = def.type === 'lazy' ? defOf(def.getter!()) : defOf(def.innerType);
  }
  const kind: Place['kind'] =
    def.type === 'literal' ? 'string' : def.type === 'number' ? (def.format === 'safeint' ? 'count' : 'number') : def.type === 'string' || def.type === 'date' || def.type === 'object' || def.type === 'array' ? def.type : 'other';
  if (path.length > 0) out.push({ path, required: required && !optional, kind });
  if (def.type === 'object' && typeof value === 'object' && value !== null) {
    for (const [key, field] of Object.entries(def.shape!)) if (Object.hasOwn(value, key)) placesOf(field, (value as Record<string, unknown>)[key], [...path, key], true, out);
  }
  if (def.type === 'array' && Array.isArray(value)) value.forEach((v, i) => placesOf(def.element, v, [...path, i], true, out));
  return out;
}

/** Values of another JSON type than a place's (never null: an optional field may be null). */
const wrongFor = (kind: Place['kind']): unknown[] => {
  const all: Record<string, unknown[]> = { string: [7, true, {}, ['x']], number: ['0.5', true, {}, []], count: ['3', true, {}, []], date: [true, {}, []], object: ['x', 3, []], array: ['x', 3, {}] };
  return all[kind] ?? [];
};

type Mutation = { breaks: true; what: string; apply: (v: unknown) => unknown } | { breaks: false; what: string; apply: (v: unknown) => unknown };

const setAt = (root: unknown, path: Array<string | number>, f: (parent: Record<string | number, unknown>, key: string | number) => void): unknown => {
  const copy = structuredClone(root);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  f(parent, path[path.length - 1]!);
  return copy;
};

/** The mutations of one valid value: each breaks the model, but for the added fields. */
function mutationsOf(schema: unknown, value: unknown, skip: (p: Place) => boolean): fc.Arbitrary<Mutation> {
  const places = placesOf(schema, value).filter((p) => !skip(p));
  const options: Array<fc.Arbitrary<Mutation>> = [
    fc.constantFrom<unknown>(null, [], 'x', 3).map((whole) => ({ breaks: true as const, what: `the answer is ${JSON.stringify(whole)}`, apply: () => whole })),
  ];
  const typed = places.filter((p) => wrongFor(p.kind).length > 0);
  if (typed.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...typed), fc.nat()).map(([p, i]) => {
        const wrong = wrongFor(p.kind)[i % wrongFor(p.kind).length];
        return { breaks: true as const, what: `${p.path.join('.')} = ${JSON.stringify(wrong)}`, apply: (v: unknown) => setAt(v, p.path, (o, k) => (o[k] = wrong)) };
      }),
    );
  }
  const required = places.filter((p) => p.required && typeof p.path[p.path.length - 1] === 'string');
  if (required.length > 0) {
    options.push(fc.constantFrom(...required).map((p) => ({ breaks: true as const, what: `${p.path.join('.')} removed`, apply: (v: unknown) => setAt(v, p.path, (o, k) => delete o[k]) })));
  }
  const counts = places.filter((p) => p.kind === 'count');
  if (counts.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...counts), fc.constantFrom(-1, -3, 1.5, 2 ** 53, 1e300)).map(([p, n]) => ({
        breaks: true as const,
        what: `${p.path.join('.')} = ${n}`,
        apply: (v: unknown) => setAt(v, p.path, (o, k) => (o[k] = n)),
      })),
    );
  }
  const objects = [{ path: [], required: true, kind: 'object' } as Place, ...places.filter((p) => p.kind === 'object')];
  options.push(
    fc.tuple(fc.constantFrom(...objects), fc.constantFrom('extra', 'x-ms-new', '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 2 })).map(([p, key, extra]) => ({
      breaks: false as const,
      what: `${[...p.path, key].join('.')} added`,
      apply: (v: unknown) => {
        const copy = structuredClone(v) as Record<string, unknown>;
        let o = copy;
        for (const k of p.path) o = o[k] as Record<string, unknown>;
        Object.defineProperty(o, key, { value: extra, enumerable: true, writable: true, configurable: true });
        return copy;
      },
    })),
  );
  return fc.oneof(...options);
}

interface Operation {
  name: string;
  /** the schema valid answers are generated from (entries with their own schema inlined) */
  schema: unknown;
  pin: Record<string, fc.Arbitrary<unknown> | undefined>;
  /** places no mutation touches (a field the SDK itself rejects or reads another way) */
  skip?: (p: Place) => boolean;
  args: string[];
  env?: Record<string, string>;
}

const kendraEntry = z.extend(KendraStatus, { DocumentId: z.literal('a'), DocumentStatus: z.literal('INDEXED') });
const kbEntry = z.extend(KnowledgeBaseDocumentDetail, {
  knowledgeBaseId: z.literal(KB),
  dataSourceId: z.literal(DS),
  status: z.literal('INDEXED'),
  identifier: z.extend(DetailKey.shape.identifier, { dataSourceType: z.literal('CUSTOM'), custom: struct({ id: z.literal('a') }), s3: maybe(struct({ uri: z.string() })) }),
});
const BATCH = '8d1b6a3e-0000-4000-8000-0000000000c1';
const azureEnv = { AZURE_TRANSLATOR_KEY: SECRETS.azureKey };

const operations: Operation[] = [
  {
    name: 'Kendra BatchGetDocumentStatus',
    schema: struct({ DocumentStatusList: z.array(kendraEntry), Errors: maybe(z.array(KendraStatusError)) }),
    pin: { DocumentStatusList: arbitraryOf(kendraEntry).map((e) => [e]), Errors: fc.constant([]) },
    args: ['kendra-status', '--index-id', INDEX, '--endpoint-url', '', '--region', 'eu-west-1', 'a'],
  },
  {
    name: 'Bedrock GetKnowledgeBaseDocuments',
    schema: struct({ documentDetails: z.array(kbEntry) }),
    pin: { documentDetails: arbitraryOf(kbEntry, { 'identifier.s3': undefined }).map((e) => [e]) },
    // updatedAt is read by the SDK itself (a timestamp): what it makes of a wrong type is its own (tested apart).
    skip: (p) => p.path.includes('updatedAt'),
    args: ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', '', '--region', 'eu-west-1', 'a'],
  },
  {
    name: 'Bedrock ListKnowledgeBaseDocuments',
    schema: struct({ documentDetails: z.array(kbEntry) }),
    pin: { documentDetails: arbitraryOf(kbEntry, { 'identifier.s3': undefined }).map((e) => [e]) },
    skip: (p) => p.path.includes('updatedAt'),
    args: ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', '', '--region', 'eu-west-1', '--all'],
  },
  ...API_VERSIONS.flatMap((version): Operation[] => {
    const m = azureModel(version);
    const doc = z.extend(m.document, { id: z.literal('a'), status: z.literal('Succeeded') });
    const flags = ['--endpoint', '', '--api-version', version];
    return [
      {
        name: `Azure ${version} batch (TranslationStatus)`,
        schema: z.extend(m.batch, { id: z.literal(BATCH), status: z.literal('Succeeded') }),
        pin: { 'summary.failed': fc.constant(0), 'summary.cancelled': fc.constant(0) },
        args: ['translate-status', BATCH, ...flags],
        env: azureEnv,
      },
      { name: `Azure ${version} document (DocumentStatus)`, schema: doc, pin: {}, args: ['translate-status', BATCH, 'a', ...flags], env: azureEnv },
      {
        name: `Azure ${version} document list (DocumentsStatus)`,
        schema: struct({ value: z.array(doc) }),
        pin: { value: arbitraryOf(doc).map((e) => [e]) },
        args: ['translate-docs', BATCH, ...flags],
        env: azureEnv,
      },
    ];
  }),
];

async function run(op: Operation, body: unknown): Promise<{ code: number; out: { outcome: string; documents: Array<{ state: string }> } }> {
  answer = JSON.stringify(body) ?? 'null';
  const args = op.args.map((a) => (a === '' ? server.url : a));
  const { io, stdout, stderr } = memoryIo({ env: op.env ?? {} });
  const code = await main([...args, '-o', 'json'], io);
  if (stdout() === '') throw new Error(`no result (exit ${code}): ${stderr()}`);
  return { code, out: JSON.parse(stdout()) };
}

describe('every answer that breaks its model ends as error, never succeeded; added fields change nothing', () => {
  it.each(operations.map((op) => [op.name, op] as const))('%s', async (_name, op) => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryOf(op.schema, op.pin).chain((valid) => fc.tuple(fc.constant(valid), mutationsOf(op.schema, valid, op.skip ?? (() => false)))),
        async ([valid, mutation]) => {
          const good = await run(op, valid);
          expect({ code: good.code, outcome: good.out.outcome }).toEqual({ code: 0, outcome: 'succeeded' });
          const mutant = await run(op, mutation.apply(valid));
          if (mutation.breaks) {
            expect({ what: mutation.what, code: mutant.code, outcome: mutant.out.outcome }).toEqual({ what: mutation.what, code: 4, outcome: 'error' });
            expect(mutant.out.documents.filter((d) => d.state === 'succeeded')).toEqual([]);
          } else {
            expect({ what: mutation.what, code: mutant.code, out: mutant.out.documents }).toEqual({ what: mutation.what, code: 0, out: good.out.documents });
          }
        },
      ),
      propertyParams(15),
    );
  }, 120_000);
});
