// The boundary, as a property (issue 15): valid answers are generated from each operation's schema (the models of
// src/services/*/model.ts), then mutated: wrong types, required fields removed, counts negative, fractional, huge or
// strings, whole answers replaced. Every mutant that breaks the model must end as `error` (exit 4), never `succeeded`;
// a mutant that only adds fields the model does not name must give the valid answer's result. For Azure, what is
// required is read from the published OpenAPI files themselves (test/fixtures/specs/), not from the schemas under
// test: removing any property the model of the version marks required, nested ones included, is a breaking mutant,
// and each is also removed in turn from one complete answer (below the property). Each run is one real
// command, in process (main() with an in-memory Io), against a loopback server that sends the answer: the AWS SDK
// clients and undici deserialize it as they would a real service's.
import { readFileSync } from 'node:fs';
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
import { azureBatch, azureDoc, azureSummary, DS, INDEX, KB, memoryIo, SECRETS, testAwsProcessEnv } from '../helpers.js';
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

function placesOf(schema: unknown, value: unknown, specRequired: (path: Array<string | number>) => boolean = () => false, path: Array<string | number> = [], required = true, out: Place[] = []): Place[] {
  let def = defOf(schema);
  let optional = false;
  while (def.type === 'optional' || def.type === 'nullable' || def.type === 'lazy') {
    if (def.type === 'optional') optional = true;
    def = def.type === 'lazy' ? defOf(def.getter!()) : defOf(def.innerType);
  }
  const kind: Place['kind'] =
    def.type === 'literal' ? 'string' : def.type === 'number' ? (def.format === 'safeint' ? 'count' : 'number') : def.type === 'string' || def.type === 'date' || def.type === 'object' || def.type === 'array' ? def.type : 'other';
  // required: by the schema, or by the published model (a schema that forgot one must not escape the mutation)
  if (path.length > 0) out.push({ path, required: (required && !optional) || specRequired(path), kind });
  if (def.type === 'object' && typeof value === 'object' && value !== null) {
    for (const [key, field] of Object.entries(def.shape!)) if (Object.hasOwn(value, key)) placesOf(field, (value as Record<string, unknown>)[key], specRequired, [...path, key], true, out);
  }
  if (def.type === 'array' && Array.isArray(value)) value.forEach((v, i) => placesOf(def.element, v, specRequired, [...path, i], true, out));
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
function mutationsOf(schema: unknown, value: unknown, skip: (p: Place) => boolean, specRequired?: (path: Array<string | number>) => boolean): fc.Arbitrary<Mutation> {
  const places = placesOf(schema, value, specRequired).filter((p) => !skip(p));
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
  /** whether the published model marks the property at a path required (Azure: read from its OpenAPI file) */
  specRequired?: (path: Array<string | number>) => boolean;
}

// The published Azure models, by API version: the OpenAPI files' definitions. v1.0 has no copy: its published file
// (TranslatorText/stable/v1.0/TranslatorBatch.json in Azure/azure-rest-api-specs) has the TranslationStatus,
// StatusSummary, DocumentStatus, DocumentsStatus, TranslationError and InnerTranslationError of v1.1, `required`
// lists included, so v1.0 is checked against v1.1's.
type SpecSchema = { $ref?: string; type?: string; required?: string[]; properties?: Record<string, SpecSchema>; items?: SpecSchema };
const specFile = (name: string): Record<string, SpecSchema> =>
  JSON.parse(readFileSync(new URL(`../fixtures/specs/azure-document-translation-${name}.json`, import.meta.url), 'utf8')).definitions;
const SPECS: Record<(typeof API_VERSIONS)[number], Record<string, SpecSchema>> = {
  'v1.0': specFile('v1.1'),
  'v1.1': specFile('v1.1'),
  '2024-05-01': specFile('2024-05-01'),
  '2026-03-01': specFile('2026-03-01'),
};
const resolve = (defs: Record<string, SpecSchema>, s: SpecSchema | undefined): SpecSchema | undefined => (s?.$ref ? defs[s.$ref.replace('#/definitions/', '')] : s);

/** Whether the model marks the property at `path` required: its parent's definition lists it in `required`. */
function specRequiredOf(defs: Record<string, SpecSchema>, root: string): (path: Array<string | number>) => boolean {
  return (path) => {
    let def: SpecSchema | undefined = defs[root];
    for (const key of path.slice(0, -1)) def = resolve(defs, typeof key === 'number' ? def?.items : def?.properties?.[key]);
    const last = path[path.length - 1];
    return typeof last === 'string' && (def?.required ?? []).includes(last);
  };
}

/** Every path of `value` that the model marks required, nested structures (and array entries) included. */
function requiredPaths(defs: Record<string, SpecSchema>, def: SpecSchema | undefined, value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (!def || typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => requiredPaths(defs, resolve(defs, def.items), v, [...path, i]));
  const out = (def.required ?? []).map((key) => [...path, key]);
  for (const [key, v] of Object.entries(value)) out.push(...requiredPaths(defs, resolve(defs, def.properties?.[key]), v, [...path, key]));
  return out;
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
        // a Succeeded batch whose counts disagree (success short of total, documents in progress) is no success
        pin: {
          'summary.failed': fc.constant(0),
          'summary.cancelled': fc.constant(0),
          'summary.inProgress': fc.constant(0),
          'summary.notYetStarted': fc.constant(0),
          'summary.total': fc.constant(7),
          'summary.success': fc.constant(7),
        },
        args: ['translate-status', BATCH, ...flags],
        env: azureEnv,
        specRequired: specRequiredOf(SPECS[version], 'TranslationStatus'),
      },
      {
        name: `Azure ${version} document (DocumentStatus)`,
        schema: doc,
        pin: {},
        args: ['translate-status', BATCH, 'a', ...flags],
        env: azureEnv,
        specRequired: specRequiredOf(SPECS[version], 'DocumentStatus'),
      },
      {
        name: `Azure ${version} document list (DocumentsStatus)`,
        schema: struct({ value: z.array(doc) }),
        pin: { value: arbitraryOf(doc).map((e) => [e]) },
        args: ['translate-docs', BATCH, ...flags],
        env: azureEnv,
        specRequired: specRequiredOf(SPECS[version], 'DocumentsStatus'),
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
        arbitraryOf(op.schema, op.pin).chain((valid) => fc.tuple(fc.constant(valid), mutationsOf(op.schema, valid, op.skip ?? (() => false), op.specRequired))),
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

describe('Azure: removing any property the published model of the version marks required ends as error (exit 4), never succeeded', () => {
  // One complete answer per operation, with every optional structure the model has (error, two levels of innerError),
  // so that the required properties inside them are removed too.
  const error = { code: 'InvalidRequest', message: 'm', target: 't', innerError: { code: 'C1', message: 'm1', target: 't1', innerError: { code: 'C2', message: 'm2' } } };
  const images = { totalImageScansSucceeded: 0, totalImageScansFailed: 0, totalImageCharged: 0 };
  const cases = API_VERSIONS.flatMap((version) => {
    const defs = SPECS[version];
    const flags = ['--endpoint', '', '--api-version', version];
    const doc = azureDoc({ id: 'a', status: 'Succeeded', path: 'p', characterCharged: 1, error });
    const op = (name: string, args: string[]): Operation => ({ name, schema: undefined, pin: {}, args: [...args, ...flags], env: azureEnv });
    return [
      { version, def: 'TranslationStatus', answer: azureBatch({ id: BATCH, status: 'Succeeded', error, summary: azureSummary({ total: 1, success: 1, ...(version === '2026-03-01' && images) }) }), op: op('batch', ['translate-status', BATCH]) },
      { version, def: 'DocumentStatus', answer: doc, op: op('document', ['translate-status', BATCH, 'a']) },
      { version, def: 'DocumentsStatus', answer: { value: [doc] }, op: op('list', ['translate-docs', BATCH]) },
    ].map((c) => ({ ...c, paths: requiredPaths(defs, defs[c.def], c.answer) }));
  });

  it('the paths come from the OpenAPI files, nested ones included', () => {
    const byDef = (v: string, d: string) => cases.find((c) => c.version === v && c.def === d)!.paths.map((p) => p.join('.'));
    for (const version of API_VERSIONS) {
      expect(byDef(version, 'TranslationStatus').sort()).toEqual(
        [
          'id', 'createdDateTimeUtc', 'lastActionDateTimeUtc', 'status', 'summary',
          ...['total', 'failed', 'success', 'inProgress', 'notYetStarted', 'cancelled', 'totalCharacterCharged'].map((k) => `summary.${k}`),
          'error.code', 'error.message', 'error.innerError.code', 'error.innerError.message', 'error.innerError.innerError.code', 'error.innerError.innerError.message',
        ].sort(),
      );
      const doc = ['id', 'sourcePath', 'createdDateTimeUtc', 'lastActionDateTimeUtc', 'status', 'to', 'progress', 'error.code', 'error.message', 'error.innerError.code', 'error.innerError.message', 'error.innerError.innerError.code', 'error.innerError.innerError.message'];
      expect(byDef(version, 'DocumentStatus').sort()).toEqual([...doc].sort());
      expect(byDef(version, 'DocumentsStatus').sort()).toEqual(['value', ...doc.map((k) => `value.0.${k}`)].sort());
    }
  });

  it.each(cases.map((c) => [`${c.version} ${c.def}`, c] as const))('%s', async (_name, c) => {
    const good = await run(c.op, c.answer);
    expect({ code: good.code, outcome: good.out.outcome }).toEqual({ code: 0, outcome: 'succeeded' });
    for (const path of c.paths) {
      const mutant = setAt(c.answer, path, (o, k) => delete o[k]);
      const r = await run(c.op, mutant);
      expect({ removed: path.join('.'), code: r.code, outcome: r.out.outcome, succeeded: r.out.documents.filter((d) => d.state === 'succeeded') }).toEqual({ removed: path.join('.'), code: 4, outcome: 'error', succeeded: [] });
    }
  });
});
