import { BedrockAgentClient, DeleteKnowledgeBaseDocumentsCommand, IngestKnowledgeBaseDocumentsCommand } from '@aws-sdk/client-bedrock-agent';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import type { BedrockDataSourceScenario } from '../../src/services/bedrock-kb/emulator.js';
import type { Scenario, Step } from '../../src/emulator/scenario.js';
import { type Emulator, type LoggedRequest, startEmulator } from '../../src/emulator/server.js';
import { DS, KB, runCli, SECRETS, tempFile } from '../helpers.js';

// kb-status end to end: the built bin, spawned as a user would, against the emulator in this process.

export const S3DS = 'S3DATASRC1';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** A clock that stands still: every updatedAt the emulator gives is this instant, so the JSON can be compared whole. */
const AT = Date.parse('2026-01-01T00:00:00.000Z');
const still: Clock = { now: () => AT, sleep: async () => {}, every: () => () => {} };

const indexed: Step[] = [{ status: 'INDEXED' }];
const pendingThen = (polls: number, end: Step = { status: 'INDEXED' }, first = 'IN_PROGRESS'): Step[] => [{ status: first }, { afterPolls: polls, ...end }];

async function kb(documents: Record<string, Step[]>, opts: { extra?: Scenario; source?: BedrockDataSourceScenario; s3?: Record<string, Step[]>; clock?: Clock } = {}) {
  emulator = await startEmulator(
    {
      'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents, ...opts.source }, [S3DS]: { type: 'S3', documents: opts.s3 ?? {} } } } } },
      ...opts.extra,
    },
    opts.clock ? { clock: opts.clock } : {},
  );
  return emulator;
}

const gets = (e: Emulator) => e.requests.filter((r) => r.op === 'GetKnowledgeBaseDocuments');
const lists = (e: Emulator) => e.requests.filter((r) => r.op === 'ListKnowledgeBaseDocuments');
const base = (ds = DS) => ['kb-status', '--knowledge-base-id', KB, '--data-source-id', ds, '--endpoint-url', emulator!.url];
const ids = (n: number, prefix = 'doc-') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const states = (out: { documents: Array<{ id: string; status?: string; state: string }> }) => out.documents.map((d) => `${d.id}:${d.status ?? '-'}:${d.state}`);
const identifiersOf = (r: LoggedRequest) => r.input!.documentIdentifiers;

describe('kb-status, one pass', () => {
  it('25 IDs (reversed, with duplicates): 3 requests of 10, 10 and 5, each ID asked once, reported once in input order', async () => {
    const e = await kb(Object.fromEntries(ids(25).map((id) => [id, indexed])));
    const order = [...ids(25)].reverse();
    const r = await runCli([...base(), ...order, 'doc-3', 'doc-24']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.documents.map((d: { id: string }) => d.id)).toEqual(order);
    expect(gets(e).map((c) => c.ids!.length).sort((a, b) => b - a)).toEqual([10, 10, 5]);
    expect(gets(e).flatMap((c) => c.ids!).sort()).toEqual([...ids(25)].sort());
    expect(e.requests).toHaveLength(3);
    expect(out.stats).toMatchObject({ rounds: 1, requests: 3 });
    // CUSTOM identifiers, exactly as the model shapes them
    expect(identifiersOf(gets(e)[0]!)).toEqual(gets(e)[0]!.ids!.map((id) => ({ dataSourceType: 'CUSTOM', custom: { id } })));
  });

  it('prints the contract JSON field by field: service bedrock-kb, the target, statusReason and updatedAt', async () => {
    await kb({ a: indexed, b: [{ status: 'IGNORED', failureReason: 'unsupported file type' }], c: [{ status: 'STARTING' }] }, { clock: still });
    const r = await runCli([...base(), 'a', 'b', 'c', 'typo']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.stats.elapsedMs).toBeGreaterThanOrEqual(0);
    out.stats.elapsedMs = 0;
    const at = '2026-01-01T00:00:00.000Z';
    expect(out).toEqual({
      service: 'bedrock-kb',
      target: { knowledgeBaseId: KB, dataSourceId: DS },
      outcome: 'failed',
      complete: false,
      summary: { total: 4, succeeded: 1, failed: 1, pending: 2, error: 0, byStatus: { INDEXED: 1, IGNORED: 1, STARTING: 1, NOT_FOUND: 1 } },
      documents: [
        { id: 'a', status: 'INDEXED', state: 'succeeded', updatedAt: at },
        { id: 'b', status: 'IGNORED', state: 'failed', statusReason: 'unsupported file type', updatedAt: at },
        { id: 'c', status: 'STARTING', state: 'pending', updatedAt: at },
        { id: 'typo', status: 'NOT_FOUND', state: 'pending', updatedAt: at },
      ],
      stats: { rounds: 1, requests: 1, elapsedMs: 0, throttled: 0, maxRps: 4.5 },
    });
  });

  it('every status of the model maps as the contract table says; --accept-partial makes the partial ones succeed', async () => {
    const table = {
      INDEXED: 'succeeded',
      PARTIALLY_INDEXED: 'failed',
      METADATA_PARTIALLY_INDEXED: 'failed',
      FAILED: 'failed',
      METADATA_UPDATE_FAILED: 'failed',
      IGNORED: 'failed',
      STARTING: 'pending',
      PENDING: 'pending',
      IN_PROGRESS: 'pending',
      NOT_FOUND: 'pending',
      DELETING: 'pending',
      DELETE_IN_PROGRESS: 'pending',
    };
    const names = Object.keys(table);
    await kb(Object.fromEntries(names.map((s) => [s.toLowerCase(), [{ status: s }]])));
    const r = await runCli([...base(), ...names.map((s) => s.toLowerCase())]);
    expect(r.code).toBe(1);
    expect(states(JSON.parse(r.stdout))).toEqual(names.map((s) => `${s.toLowerCase()}:${s}:${table[s as keyof typeof table]}`));
    const partial = await runCli([...base(), 'indexed', 'partially_indexed', 'metadata_partially_indexed', '--accept-partial']);
    expect(partial.code).toBe(0);
    expect(states(JSON.parse(partial.stdout))).toEqual(['indexed:INDEXED:succeeded', 'partially_indexed:PARTIALLY_INDEXED:succeeded', 'metadata_partially_indexed:METADATA_PARTIALLY_INDEXED:succeeded']);
    const without = await runCli([...base(), 'partially_indexed']);
    expect(without.code).toBe(1);
    // --until deleted: only NOT_FOUND is success, every other status is still pending
    const deleted = await runCli([...base(), 'not_found', 'never-there', 'failed', 'deleting', '--until', 'deleted']);
    expect(deleted.code).toBe(3);
    expect(states(JSON.parse(deleted.stdout))).toEqual(['not_found:NOT_FOUND:succeeded', 'never-there:NOT_FOUND:succeeded', 'failed:FAILED:pending', 'deleting:DELETING:pending']);
  });

  it('precedence: failed (1) beats pending (3); pending alone is 3; all indexed is 0', async () => {
    await kb({ f: [{ status: 'FAILED' }], p: [{ status: 'PENDING' }], i: indexed });
    expect((await runCli([...base(), 'f', 'p', 'i'])).code).toBe(1);
    expect((await runCli([...base(), 'p', 'i'])).code).toBe(3);
    expect((await runCli([...base(), 'i'])).code).toBe(0);
  });

  it('s3:// URIs: S3 identifiers are sent (the type comes from the prefix); --data-source-type says it outright', async () => {
    const e = await kb({ 's3://looks/like-a-uri': indexed }, { s3: { 's3://bucket/a.pdf': indexed, 's3://bucket/b.pdf': [{ status: 'FAILED', failureReason: 'encrypted' }] } });
    const r = await runCli([...base(S3DS), 's3://bucket/a.pdf', 's3://bucket/b.pdf']);
    expect(r.code).toBe(1);
    expect(states(JSON.parse(r.stdout))).toEqual(['s3://bucket/a.pdf:INDEXED:succeeded', 's3://bucket/b.pdf:FAILED:failed']);
    expect(JSON.parse(r.stdout).documents[1].statusReason).toBe('encrypted');
    expect(identifiersOf(gets(e)[0]!)).toEqual([
      { dataSourceType: 'S3', s3: { uri: 's3://bucket/a.pdf' } },
      { dataSourceType: 'S3', s3: { uri: 's3://bucket/b.pdf' } },
    ]);
    // a custom ID that starts with s3:// (the model puts no pattern on a custom ID)
    const c = await runCli([...base(), 's3://looks/like-a-uri', '--data-source-type', 'CUSTOM']);
    expect(c.code).toBe(0);
    expect(identifiersOf(gets(e)[1]!)).toEqual([{ dataSourceType: 'CUSTOM', custom: { id: 's3://looks/like-a-uri' } }]);
    const s = await runCli([...base(S3DS), 's3://bucket/a.pdf', '--data-source-type', 'S3']);
    expect(s.code).toBe(0);
    expect(gets(e)).toHaveLength(3);
  });

  it('reads IDs from --ids-file and standard input, deduplicated', async () => {
    const e = await kb({ a: indexed, b: indexed, c: indexed, d: indexed });
    const file = tempFile('ids.txt', ' b \n\na\nb\n');
    let r = await runCli([...base(), 'c', '--ids-file', file]);
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual(['c', 'b', 'a']);
    r = await runCli(base(), { input: 'd\nc\nd\n' });
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual(['d', 'c']);
    r = await runCli([...base(), '--ids-file', '-'], { input: 'a\n' });
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual(['a']);
    expect(gets(e).map((c) => c.ids)).toEqual([['c', 'b', 'a'], ['d', 'c'], ['a']]);
  });

  it('takes the knowledge base, data source and endpoint from BEDROCK_KNOWLEDGE_BASE_ID, BEDROCK_DATA_SOURCE_ID and AWS_ENDPOINT_URL_BEDROCK_AGENT; flags win', async () => {
    const e = await kb({ a: indexed });
    const env = { BEDROCK_KNOWLEDGE_BASE_ID: KB, BEDROCK_DATA_SOURCE_ID: DS, AWS_ENDPOINT_URL_BEDROCK_AGENT: e.url };
    const r = await runCli(['kb-status', 'a'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).target).toEqual({ knowledgeBaseId: KB, dataSourceId: DS });
    // AWS_ENDPOINT_URL is the fallback; another service's variable is not read
    expect((await runCli(['kb-status', 'a'], { env: { ...env, AWS_ENDPOINT_URL_BEDROCK_AGENT: '', AWS_ENDPOINT_URL: e.url } })).code).toBe(0);
    // flags over the environment: the flag's data source is asked (an unknown one: exit 4)
    const f = await runCli(['kb-status', '--data-source-id', 'DSOTHER000', '--endpoint-url', e.url, 'a'], { env: { ...env, AWS_ENDPOINT_URL_BEDROCK_AGENT: 'http://runsc:1' } });
    expect(f.code).toBe(4);
    expect(f.stderr).toBe(`docstatus: ResourceNotFoundException: Data source DSOTHER000 of knowledge base ${KB} was not found.\n`);
    expect(gets(e).map((c) => c.url)).toEqual([
      `/knowledgebases/${KB}/datasources/${DS}/documents/getDocuments`,
      `/knowledgebases/${KB}/datasources/${DS}/documents/getDocuments`,
      `/knowledgebases/${KB}/datasources/DSOTHER000/documents/getDocuments`,
    ]);
    // the signature names the model's signing name, bedrock, and the region
    expect(String(gets(e)[0]!.headers.authorization)).toMatch(new RegExp(`Credential=${SECRETS.awsAccessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request`));
  });
});

describe('kb-status: bad input is exit 2 with one stderr line, and nothing is sent', () => {
  const BAD_S3_FILE = tempFile('uris.txt', 's3://b/ok\n\ns3://\n');
  const GOOD_S3_FILE = tempFile('good-uris.txt', 's3://b/ok\ns3://b/other\n');
  const cases: Array<[string, string[], Record<string, string>, string | RegExp, string?]> = [
    ['no knowledge base', ['kb-status', '--data-source-id', DS, 'a'], {}, '--knowledge-base-id is required (or set BEDROCK_KNOWLEDGE_BASE_ID)'],
    ['no data source', ['kb-status', '--knowledge-base-id', KB, 'a'], {}, '--data-source-id is required (or set BEDROCK_DATA_SOURCE_ID)'],
    ['a short KB ID', ['kb-status', '--knowledge-base-id', 'KB1234567', '--data-source-id', DS, 'a'], {}, "--knowledge-base-id: 'KB1234567' is not a Bedrock ID (10 letters and digits)"],
    ['a KB ID with a dash', ['kb-status', '--knowledge-base-id', 'KB-2345678', '--data-source-id', DS, 'a'], {}, "--knowledge-base-id: 'KB-2345678' is not a Bedrock ID (10 letters and digits)"],
    ['a long DS ID', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', 'DS123456789', 'a'], {}, "--data-source-id: 'DS123456789' is not a Bedrock ID (10 letters and digits)"],
    ['a bad DS ID from the environment', ['kb-status', '--knowledge-base-id', KB, 'a'], { BEDROCK_DATA_SOURCE_ID: 'ds!' }, "--data-source-id: 'ds!' is not a Bedrock ID (10 letters and digits)"],
    ['a custom ID over 2048 characters', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 'a', 'x'.repeat(2049)], {}, 'document ID #2: document ID is 2049 characters (at most 2048)'],
    ['an empty ID', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, ''], {}, 'document ID #1: empty document ID'],
    ['s3:// with nothing after it', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 's3://b/a', 's3://'], {}, "document ID #2: 's3://' is not an S3 document URI (s3://, then 1 to 128 characters)"],
    ['an S3 URI over 128 characters after s3://', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, `s3://${'x'.repeat(129)}`], {}, /^document ID #1: 's3:\/\/x+…' is not an S3 document URI/],
    ['--data-source-type S3 with a custom ID', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 'a', '--data-source-type', 'S3'], {}, "document ID #1: 'a' is not an S3 document URI (s3://, then 1 to 128 characters)"],
    ['an S3 URI with a line break in it (the model\'s . is no line break)', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 's3://b/a\nb'], {}, "document ID #1: 's3://b/a b' is not an S3 document URI (s3://, then 1 to 128 characters)"],
    ['the third argument, after a duplicate: named by its place in the input', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 's3://b/a', 's3://b/a', 's3://'], {}, "document ID #3: 's3://' is not an S3 document URI (s3://, then 1 to 128 characters)"],
    ['a bad S3 URI in --ids-file: the flag is named', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 's3://b/a', '--ids-file', BAD_S3_FILE], {}, `--ids-file ${BAD_S3_FILE}: 's3://' is not an S3 document URI (s3://, then 1 to 128 characters)`],
    ['a bad S3 URI in the second --ids-file: that file is named', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--ids-file', GOOD_S3_FILE, '--ids-file', BAD_S3_FILE], {}, `--ids-file ${BAD_S3_FILE}: 's3://' is not an S3 document URI (s3://, then 1 to 128 characters)`],
    ['--ids-file - twice', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--ids-file', '-', '--ids-file', '-'], {}, '--ids-file - is given twice: standard input can be read only once', 'a\n'],
    ['a bad S3 URI on standard input', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--data-source-type', 'S3', '--ids-file', '-'], {}, "--ids-file <stdin>: 'b/a' is not an S3 document URI (s3://, then 1 to 128 characters)", 's3://b/ok\nb/a\n'],
    ['a KB ID with an escape sequence: quoted without it, on one line', ['kb-status', '--knowledge-base-id', 'KB\u001b[2J\n45', '--data-source-id', DS, 'a'], {}, "--knowledge-base-id: 'KB 45' is not a Bedrock ID (10 letters and digits)"],
    ['mixed custom IDs and s3:// URIs', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 'a', 's3://b/a'], {}, 'document IDs mix s3:// URIs and custom IDs, but a data source is one or the other: pass --data-source-type CUSTOM or S3'],
    ['--all with IDs', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--all', 'a'], {}, '--all lists every document: give no document IDs with it'],
    ['--all with --ids-file', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--all', '--ids-file', '/dev/null'], {}, '--all lists every document: give no document IDs with it'],
    ['no IDs at all', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS], {}, 'no document IDs: give them as arguments, with --ids-file or on standard input, or pass --all'],
    ['a bad --data-source-type', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 'a', '--data-source-type', 'WEB'], {}, /--data-source-type/],
    ['a bad --until', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 'a', '--until', 'gone'], {}, /--until/],
    ['a bad --not-found-grace', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 'a', '--not-found-grace', 'soon'], {}, /--not-found-grace/],
    ['no region', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 'a'], { AWS_REGION: '' }, 'no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or name one in your AWS profile'],
    ['plain http to another host (flag)', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 'a', '--endpoint-url', 'http://bedrock.example.com'], {}, '--endpoint-url: refusing to send AWS credentials over plain http to bedrock.example.com (use https://; http is allowed only to loopback)'],
    ['plain http to another host (AWS_ENDPOINT_URL_BEDROCK_AGENT)', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 'a'], { AWS_ENDPOINT_URL_BEDROCK_AGENT: 'http://vm:8080' }, 'AWS_ENDPOINT_URL_BEDROCK_AGENT: refusing to send AWS credentials over plain http to vm:8080 (use https://; http is allowed only to loopback)'],
    ['plain http to another host (AWS_ENDPOINT_URL)', ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, 'a'], { AWS_ENDPOINT_URL: 'http://bedrock.internal' }, 'AWS_ENDPOINT_URL: refusing to send AWS credentials over plain http to bedrock.internal (use https://; http is allowed only to loopback)'],
  ];

  it.each(cases)('%s', async (_name, argv, env, message, input) => {
    const e = await kb({ a: indexed });
    // every case that names no endpoint of its own would reach the emulator
    const endpoint: Record<string, string> = argv.includes('--endpoint-url') || env.AWS_ENDPOINT_URL_BEDROCK_AGENT || env.AWS_ENDPOINT_URL ? {} : { AWS_ENDPOINT_URL_BEDROCK_AGENT: e.url };
    const r = await runCli(argv, { env: { ...endpoint, ...env }, input });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    if (typeof message === 'string') expect(lines[0]).toBe(`docstatus: ${message}`);
    else expect(lines[0]!.replace(/^docstatus: /, '')).toMatch(message);
    expect(e.requests).toHaveLength(0);
  });
});

describe('kb-status --wait', () => {
  it('re-asks only documents that are not final: exact request counts', async () => {
    // 12 documents: 10 indexed at once, 2 after 2 more polls. Rounds: 12 (2 requests), 2 (1), 2 (1).
    const docs: Record<string, Step[]> = {};
    for (let i = 0; i < 10; i++) docs[`fast-${i}`] = indexed;
    docs['slow-1'] = pendingThen(2);
    docs['slow-2'] = pendingThen(2, { status: 'METADATA_UPDATE_FAILED' }, 'STARTING');
    const e = await kb(docs);
    const r = await runCli([...base(), ...Object.keys(docs), '--wait', '--interval', '20ms']);
    expect(r.code).toBe(1);
    const calls = gets(e);
    expect(calls.slice(0, 2).map((c) => c.ids!.length).sort()).toEqual([10, 2]);
    expect(calls.slice(2).map((c) => c.ids)).toEqual([
      ['slow-1', 'slow-2'],
      ['slow-1', 'slow-2'],
    ]);
    const out = JSON.parse(r.stdout);
    expect(out.stats).toMatchObject({ rounds: 3, requests: 4 });
    expect(out.summary).toMatchObject({ total: 12, succeeded: 11, failed: 1, byStatus: { INDEXED: 11, METADATA_UPDATE_FAILED: 1 } });
    expect(out.complete).toBe(true);
  });

  it('--not-found-grace gives up on a mistyped ID (failed, with the reason); the others are waited for', async () => {
    const e = await kb({ a: pendingThen(3) });
    const r = await runCli([...base(), 'a', 'typo', '--wait', '--interval', '40ms', '--not-found-grace', '60ms']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.documents[0]).toMatchObject({ id: 'a', status: 'INDEXED', state: 'succeeded' });
    expect(out.documents[1]).toMatchObject({ id: 'typo', status: 'NOT_FOUND', state: 'failed', statusReason: 'still NOT_FOUND 60ms after the first round (--not-found-grace)' });
    // typo is asked until the grace has passed (rounds at 0, 40, 80 ms: three times at most), a until it is indexed
    expect(gets(e).filter((c) => c.ids!.includes('typo')).length).toBeLessThanOrEqual(3);
    expect(gets(e).filter((c) => c.ids!.includes('a'))).toHaveLength(4);
    // with --not-found-grace 0 it fails in the first round
    const now = await runCli([...base(), 'typo', '--wait', '--interval', '10ms', '--not-found-grace', '0']);
    expect(now.code).toBe(1);
    expect(JSON.parse(now.stdout).stats).toMatchObject({ rounds: 1, requests: 1 });
  });

  it('--until deleted after DeleteKnowledgeBaseDocuments: DELETING, DELETE_IN_PROGRESS, then NOT_FOUND is success', async () => {
    const e = await kb({ keep: indexed, gone: indexed }, { source: { deleting: 2500, processing: 200 } });
    const sdk = new BedrockAgentClient({ endpoint: e.url, region: 'us-east-1', credentials: { accessKeyId: SECRETS.awsAccessKeyId, secretAccessKey: SECRETS.awsSecret } });
    await sdk.send(new DeleteKnowledgeBaseDocumentsCommand({ knowledgeBaseId: KB, dataSourceId: DS, documentIdentifiers: [{ dataSourceType: 'CUSTOM', custom: { id: 'gone' } }] }));
    // (the emulator test follows the exact timeline with a hand-moved clock; here real time passes, so either)
    const once = await runCli([...base(), 'gone', '--until', 'deleted']);
    expect(once.code).toBe(3);
    expect(['gone:DELETING:pending', 'gone:DELETE_IN_PROGRESS:pending']).toContain(states(JSON.parse(once.stdout))[0]);
    const r = await runCli([...base(), 'gone', '--until', 'deleted', '--wait', '--interval', '50ms', '-o', 'ndjson']);
    expect(r.code).toBe(0);
    const seen = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'document').map((l) => `${l.status}:${l.state}`);
    expect(seen.slice(0, -1).every((s) => s === 'DELETING:pending' || s === 'DELETE_IN_PROGRESS:pending')).toBe(true);
    expect(seen.at(-1)).toBe('NOT_FOUND:succeeded');
    expect(seen.length).toBeGreaterThan(1);
    // and ingested again: STARTING, IN_PROGRESS, INDEXED with --wait
    await sdk.send(
      new IngestKnowledgeBaseDocumentsCommand({
        knowledgeBaseId: KB,
        dataSourceId: DS,
        documents: [{ content: { dataSourceType: 'CUSTOM', custom: { customDocumentIdentifier: { id: 'gone' }, sourceType: 'IN_LINE', inlineContent: { type: 'TEXT', textContent: { data: 'back' } } } } }],
      }),
    );
    const back = await runCli([...base(), 'gone', 'keep', '--wait', '--interval', '50ms']);
    expect(back.code).toBe(0);
    expect(states(JSON.parse(back.stdout))).toEqual(['gone:INDEXED:succeeded', 'keep:INDEXED:succeeded']);
  });

  it('--fail-fast stops after the round in which a document failed', async () => {
    const e = await kb({ bad: [{ status: 'IGNORED', failureReason: 'too large' }], slow: pendingThen(1000) });
    const r = await runCli([...base(), 'bad', 'slow', '--wait', '--fail-fast', '--interval', '10ms']);
    expect(r.code).toBe(1);
    expect(gets(e)).toHaveLength(1);
  });

  it('--timeout ends a wait with exit 3 and a warning', async () => {
    await kb({ a: pendingThen(1_000_000) });
    const r = await runCli([...base(), 'a', '--wait', '--interval', '20ms', '--timeout', '150ms']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'pending', complete: false });
    expect(r.stderr).toBe('docstatus: warning: --timeout 150ms passed with 1 document(s) pending\n');
  });
});

describe('kb-status --all (ListKnowledgeBaseDocuments)', () => {
  const generated = (count: number, timeline: Step[]): BedrockDataSourceScenario => ({ generate: { count, timeline } });

  it('2,500 documents: 3 pages of 1000, every document once in the service order', async () => {
    const e = await kb({}, { source: generated(2500, indexed) });
    const r = await runCli([...base(), '--all']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.documents.map((d: { id: string }) => d.id)).toEqual(ids(2500));
    expect(out.summary).toMatchObject({ total: 2500, succeeded: 2500 });
    expect(out).toMatchObject({ complete: true, stats: { rounds: 1, requests: 3 } });
    const calls = lists(e);
    expect(calls.map((c) => c.input)).toEqual([
      { maxResults: 1000 },
      { maxResults: 1000, nextToken: expect.any(String) },
      { maxResults: 1000, nextToken: expect.any(String) },
    ]);
    expect(calls[1]!.input!.nextToken).not.toBe(calls[2]!.input!.nextToken);
    expect(e.requests).toHaveLength(3);
  });

  it('an empty data source is no success: pending (exit 3) with a warning, one request; --wait lists again', async () => {
    const e = await kb({});
    const r = await runCli([...base(), '--all']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'pending', complete: false, documents: [], stats: { requests: 1 } });
    // Without --wait, the warning says nothing of listing again (it used to say "--wait lists again" to a run without it).
    expect(r.stderr).toBe('docstatus: warning: the data source lists no document: not a success\n');
    expect(lists(e)).toHaveLength(1);
    const waited = await runCli([...base(), '--all', '--wait', '--interval', '100ms', '--timeout', '1s']);
    expect(waited.code).toBe(3);
    expect(waited.stderr.split('\n')[0]).toBe('docstatus: warning: the data source lists no document: not a success; listing again until documents appear or --timeout passes');
    expect(lists(e).length).toBeGreaterThan(3);
  });

  it('--until deleted on an emptied data source: nothing left is success (exit 0, complete), one listing, one pass or --wait', async () => {
    const e = await kb({});
    for (const extra of [[], ['--wait', '--interval', '100ms', '--timeout', '5s']]) {
      const before = lists(e).length;
      const r = await runCli([...base(), '--all', '--until', 'deleted', ...extra]);
      expect({ extra, code: r.code, stderr: r.stderr }).toEqual({ extra, code: 0, stderr: '' });
      expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'succeeded', complete: true, documents: [], summary: { total: 0, succeeded: 0, pending: 0, error: 0 }, stats: { requests: 1 } });
      expect(lists(e).length - before).toBe(1);
    }
  });

  it('--wait: 25 of 2,500 still pending are read by ID (3 requests of 10, 10, 5), not by listing 3 pages again', async () => {
    const documents: Record<string, Step[]> = {};
    for (let i = 0; i < 2500; i++) documents[`doc-${i}`] = i % 100 === 7 ? pendingThen(1) : indexed;
    const e = await kb(documents);
    const r = await runCli([...base(), '--all', '--wait', '--interval', '10ms']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toMatchObject({ total: 2500, succeeded: 2500 });
    expect(out.documents.map((d: { id: string }) => d.id)).toEqual(ids(2500));
    expect(lists(e)).toHaveLength(3);
    const byId = gets(e);
    expect(byId.map((c) => c.ids!.length).sort((a, b) => b - a)).toEqual([10, 10, 5]);
    expect(byId.flatMap((c) => c.ids!).sort()).toEqual(ids(2500).filter((_, i) => i % 100 === 7).sort());
    expect(out.stats).toMatchObject({ rounds: 2, requests: 6 });
  });

  it('--wait: 500 of 2,500 pending are read with one more listing (3 pages, not 50 requests); the last 20 by ID', async () => {
    // 480 documents finish when asked a second time, 20 when asked a third time; a listing shows a document (and asks about it)
    const k = (i: number) => (i % 5 !== 0 ? 0 : i % 125 === 0 ? 2 : 1);
    const documents = Object.fromEntries(ids(2500).map((id, i) => [id, k(i) === 0 ? indexed : pendingThen(k(i))]));
    const e = await kb(documents);
    const r = await runCli([...base(), '--all', '--wait', '--interval', '10ms', '--verbose']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toMatchObject({ total: 2500, succeeded: 2500 });
    expect(out.documents.map((d: { id: string }) => d.id)).toEqual(ids(2500));
    // round 1: 3 pages; round 2: 500 pending, so 3 pages again; round 3: 20 pending, so 2 requests by ID
    expect(lists(e)).toHaveLength(6);
    expect(gets(e).map((c) => c.ids!.length)).toEqual([10, 10]);
    expect(out.stats).toMatchObject({ rounds: 3, requests: 8 });
    expect(r.stderr).toContain('500 document(s) not final: reading them with a full listing (3 pages)');
  });

  it('--wait --until deleted: a document that leaves the list is read by ID and found NOT_FOUND', async () => {
    const documents = Object.fromEntries(ids(30).map((id) => [id, pendingThen(1, { status: 'NOT_FOUND' }, 'DELETING')]));
    const e = await kb(documents);
    const r = await runCli([...base(), '--all', '--wait', '--until', 'deleted', '--interval', '10ms']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(states(out)).toEqual(ids(30).map((id) => `${id}:NOT_FOUND:succeeded`));
    // round 1 lists 30 DELETING; round 2 lists again (1 page beats 3 by ID), finds none, and reads the 30 by ID
    expect(lists(e)).toHaveLength(2);
    expect(gets(e).map((c) => c.ids!.length)).toEqual([10, 10, 10]);
  });

  it('an S3 data source: the listing names documents by URI, and they are read again by URI', async () => {
    const e = await kb({}, { s3: { 's3://b/1.pdf': indexed, 's3://b/2.pdf': pendingThen(1) } });
    const r = await runCli([...base(S3DS), '--all', '--wait', '--interval', '10ms']);
    expect(r.code).toBe(0);
    expect(states(JSON.parse(r.stdout))).toEqual(['s3://b/1.pdf:INDEXED:succeeded', 's3://b/2.pdf:INDEXED:succeeded']);
    expect(gets(e).map(identifiersOf)).toEqual([[{ dataSourceType: 'S3', s3: { uri: 's3://b/2.pdf' } }]]);
  });
});

describe('kb-status output formats', () => {
  it('table and markdown: ID, STATUS, STATE, REASON (the statusReason or the error); --wide adds UPDATED', async () => {
    await kb({ 'a|b': indexed, c: [{ status: 'IGNORED', failureReason: 'bad \u001b[31mred\u001b[0m input' }] }, { clock: still });
    const t = await runCli([...base(), 'a|b', 'c', 'd', '-o', 'table', '--not-found-grace', '0', '--wait']);
    expect(t.code).toBe(1);
    expect(t.stdout).not.toContain('\u001b');
    const rows = t.stdout.split('\n');
    expect(rows[0]).toMatch(/^┌/);
    expect(rows[1]).toMatch(/^│ ID +│ STATUS +│ STATE +│ REASON +│$/);
    expect(rows.find((l) => l.includes('IGNORED'))).toMatch(/^│ c +│ IGNORED +│ failed +│ bad red input +│$/);
    expect(rows.find((l) => l.startsWith('│ d '))).toMatch(/│ NOT_FOUND +│ failed +│ still NOT_FOUND 0ms after the first round \(--not-found-grace\) │$/);
    expect(t.stdout).toMatch(/3 documents: 1 succeeded, 2 failed \(outcome failed; 1 round, 1 request, /);
    const m = await runCli([...base(), 'a|b', 'c', '-o', 'markdown']);
    expect(m.stdout.split('\n').slice(0, 4)).toEqual(['| ID | STATUS | STATE | REASON |', '| --- | --- | --- | --- |', '| a\\|b | INDEXED | succeeded |  |', '| c | IGNORED | failed | bad red input |']);
    const w = await runCli([...base(), 'a|b', 'c', '-o', 'markdown', '--wide']);
    expect(w.stdout.split('\n').slice(0, 4)).toEqual([
      '| ID | STATUS | STATE | REASON | UPDATED |',
      '| --- | --- | --- | --- | --- |',
      '| a\\|b | INDEXED | succeeded |  | 2026-01-01T00:00:00.000Z |',
      '| c | IGNORED | failed | bad red input | 2026-01-01T00:00:00.000Z |',
    ]);
    const tw = await runCli([...base(), 'c', '-o', 'table', '--wide']);
    expect(tw.stdout.split('\n')[1]).toMatch(/^│ ID +│ STATUS +│ STATE +│ REASON +│ UPDATED +│$/);
  });

  it('an error shows in REASON as code: message', async () => {
    await kb({ a: indexed }, { extra: { faults: [{ service: 'bedrock-kb', type: 'garbage' }] } });
    const m = await runCli([...base(), 'a', '-o', 'markdown']);
    expect(m.code).toBe(4);
    expect(m.stdout.split('\n')[2]).toMatch(/^\| a \| - \| error \| MalformedResponse: the answer to GetKnowledgeBaseDocuments from 127\.0\.0\.1:\d+ could not be read \\\(not JSON, or a field of the wrong type\\\) \|$/);
  });

  it('--verbose: one stderr line per request, the route named, no secret', async () => {
    await kb({ a: indexed });
    const r = await runCli([...base(), 'a', '--verbose']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^POST ${emulator!.url}/knowledgebases/${KB}/datasources/${DS}/documents/getDocuments 200 \\d+ms$`));
  });
});
