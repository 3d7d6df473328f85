import { afterEach, describe, expect, it } from 'vitest';
import type { Step } from '../../src/emulator/scenario.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { INDEX, runCli, SECRETS } from '../helpers.js';
import { type JunitCase, junitErrors, readJunit } from '../junit.js';

// -o junit end to end: the built bin, spawned against the emulator, for each service; every report is checked against
// the JUnit XSD that Jenkins' tools use (test/fixtures/junit), with exact counts and attribute values.

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Service text at its worst: NUL, an escape sequence, a lone surrogate, XML's own markup, quotes and an emoji. */
const HOSTILE = 'a\u0000b\u001b[31mc\ud800d ]]> <x/> & "q" \'s\' 🙂 ]]> end';
/** What of it reaches the report. */
const SHOWN = 'abcd ]]> <x/> & "q" \'s\' 🙂 ]]> end';

async function junit(args: string[], env?: Record<string, string>) {
  const r = await runCli([...args, '-o', 'junit'], { env });
  expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuite ')).toBe(true);
  expect(await junitErrors(r.stdout)).toEqual([]);
  return { ...r, report: readJunit(r.stdout) };
}

const outcomes = (cases: JunitCase[]) => cases.map((c) => `${c.name}:${c.outcome ? `${c.outcome.tag}/${c.outcome.type}` : 'pass'}`);

describe('-o junit: kendra-status', () => {
  const start = async (documents: Record<string, Step[]>) => {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents } } } });
    return ['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url];
  };

  it('all succeeded: exit 0, one passing testcase per document', async () => {
    const r = await junit([...(await start({ a: [{ status: 'INDEXED' }], b: [{ status: 'UPDATED' }] })), 'a', 'b']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.report.counts).toEqual({ testcase: 2, failure: 0, error: 0, skipped: 0 });
    expect(r.report.cases).toEqual([
      { classname: `kendra.${INDEX}`, name: 'a', time: '0' },
      { classname: `kendra.${INDEX}`, name: 'b', time: '0' },
    ]);
    expect([r.report.suite.get('name'), r.report.suite.get('tests'), r.report.suite.get('failures'), r.report.suite.get('errors')]).toEqual([`docstatus kendra.${INDEX}`, '2', '0', '0']);
  });

  it("with the emulator's `test` credentials (README, LocalStack's too): valid JUnit, `test` scrubbed only where it is a word", async () => {
    const args = await start({ 'handbook/test-01.pdf': [{ status: 'FAILED', failureReason: 'rejected by test' }], 'latest.pdf': [{ status: 'INDEXED' }] });
    const r = await junit([...args, 'handbook/test-01.pdf', 'latest.pdf'], { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    expect(r.code).toBe(1);
    expect(r.report.counts).toEqual({ testcase: 2, failure: 1, error: 0, skipped: 0 });
    expect(r.report.cases.map((c) => c.name)).toEqual(['handbook/***-01.pdf', 'latest.pdf']);
    expect(r.stdout).toContain('rejected by ***');
  });

  it('statuses named like Object.prototype members (constructor, __proto__, toString) are unknown: errors, never a pass', async () => {
    const args = await start({ c: [{ status: 'constructor' }], p: [{ status: '__proto__' }], t: [{ status: 'toString' }] });
    const r = await junit([...args, 'c', 'p', 't']);
    expect(r.code).toBe(4);
    expect(r.report.counts).toEqual({ testcase: 3, failure: 0, error: 3, skipped: 0 });
    expect(outcomes(r.report.cases)).toEqual(['c:error/UnknownStatus', 'p:error/UnknownStatus', 't:error/UnknownStatus']);
    expect(emulator!.requests.filter((q) => q.op === 'BatchGetDocumentStatus')).toHaveLength(1);
  });

  it('failed (hostile reason), unreadable and pending documents: exact elements and attributes', async () => {
    const args = await start({
      ok: [{ status: 'INDEXED' }],
      bad: [{ status: 'FAILED', failureCode: '400', failureReason: HOSTILE }],
      broken: [{ errorCode: 'InvalidRequest', errorMessage: `bad id ${HOSTILE}` }],
      slow: [{ status: 'PROCESSING' }],
    });
    const r = await junit([...args, 'ok', 'bad', 'broken', 'slow', 'never-heard-of']);
    expect(r.code).toBe(1);
    expect(r.report.counts).toEqual({ testcase: 5, failure: 3, error: 1, skipped: 0 });
    expect(outcomes(r.report.cases)).toEqual(['ok:pass', 'bad:failure/failed', 'broken:error/InvalidRequest', 'slow:failure/pending', 'never-heard-of:failure/pending']);
    expect(r.report.cases[1]).toEqual({
      classname: `kendra.${INDEX}`,
      name: 'bad',
      time: '0',
      outcome: { tag: 'failure', type: 'failed', message: `FAILED: 400: ${SHOWN}`, text: `status: FAILED\nstate: failed\nfailureCode: 400\nfailureReason: ${SHOWN}` },
    });
    expect(r.report.cases[2]!.outcome).toEqual({ tag: 'error', type: 'InvalidRequest', message: `bad id ${SHOWN}`, text: `state: error\nerrorCode: InvalidRequest\nerrorMessage: bad id ${SHOWN}` });
    expect(r.report.cases[4]!.outcome!.message).toBe('not final when the run ended (status NOT_FOUND)');
    expect(r.report.properties.get('outcome')).toBe('failed');
  });

  it('still pending at --timeout: exit 3, every pending document a failure (a gate that did not finish is not green)', async () => {
    const r = await junit([...(await start({ a: [{ status: 'INDEXED' }], b: [{ status: 'PROCESSING' }] })), 'a', 'b', '--wait', '--interval', '50ms', '--timeout', '300ms']);
    expect(r.code).toBe(3);
    expect(r.report.counts).toEqual({ testcase: 2, failure: 1, error: 0, skipped: 0 });
    expect(r.report.cases[1]).toEqual({
      classname: `kendra.${INDEX}`,
      name: 'b',
      time: '0',
      outcome: { tag: 'failure', type: 'pending', message: 'not final when the run ended (status PROCESSING)', text: 'status: PROCESSING\nstate: pending' },
    });
  });
});

describe('-o junit: translate-status and translate-docs', () => {
  const BATCH = '8d1b6a3e-0000-4000-8000-0000000000b1';
  const start = async (documents: Record<string, Step[]>, faults: NonNullable<Parameters<typeof startEmulator>[0]>['faults'] = []) => {
    emulator = await startEmulator({
      translator: { key: SECRETS.azureKey, batches: { [BATCH]: { documents: Object.fromEntries(Object.entries(documents).map(([id, timeline]) => [id, { timeline, to: 'fr' }])) } } },
      faults,
    });
    return { AZURE_TRANSLATOR_KEY: SECRETS.azureKey, AZURE_TRANSLATOR_ENDPOINT: emulator.url };
  };

  it('all succeeded (translate-docs): exit 0', async () => {
    const env = await start({ a: [{ status: 'Succeeded' }], b: [{ status: 'Succeeded' }], c: [{ status: 'Succeeded' }] });
    const r = await junit(['translate-docs', BATCH], env);
    expect(r.code).toBe(0);
    expect(r.report.counts).toEqual({ testcase: 3, failure: 0, error: 0, skipped: 0 });
    expect(new Set(r.report.cases.map((c) => c.classname))).toEqual(new Set([`translation-documents.${BATCH}`]));
  });

  it('failed (hostile reason), unreadable and pending documents (translate-status)', async () => {
    const env = await start({ ok: [{ status: 'Succeeded' }], bad: [{ status: 'Failed', failureCode: 'WrongDocumentEncoding', failureReason: HOSTILE }], slow: [{ status: 'Running' }] });
    const r = await junit(['translate-status', BATCH, 'ok', 'bad', 'missing', 'slow'], env);
    expect(r.code).toBe(1);
    expect(r.report.counts).toEqual({ testcase: 4, failure: 2, error: 1, skipped: 0 });
    expect(outcomes(r.report.cases)).toEqual(['ok:pass', 'bad:failure/failed', 'missing:error/ResourceNotFound', 'slow:failure/pending']);
    expect(r.report.cases[1]).toMatchObject({
      classname: `translation-document.${BATCH}`,
      name: 'bad',
      outcome: { tag: 'failure', type: 'failed', message: `Failed: WrongDocumentEncoding: ${SHOWN}` },
    });
    expect(r.report.cases[1]!.outcome!.text).toContain(`error.message: ${SHOWN}`);
    expect(r.report.cases[2]!.outcome).toMatchObject({ tag: 'error', type: 'ResourceNotFound', message: 'Document id not found. (DocumentNotFound)' });
    expect(r.report.properties.get('target.endpoint')).toBe(emulator!.url);
  });

  it('a listing that cannot be read (a nextLink to another host): a (run) testcase in error, exit 4', async () => {
    const env = await start({ a: [{ status: 'Succeeded' }], b: [{ status: 'Succeeded' }] }, [{ service: 'translator', type: 'foreign-nextlink', requests: [1] }]);
    const r = await junit(['translate-docs', BATCH, '--max-page-size', '1'], env);
    expect(r.code).toBe(4);
    const run = r.report.cases.at(-1)!;
    expect(run).toMatchObject({ classname: `translation-documents.${BATCH}`, name: '(run)', outcome: { tag: 'error' } });
    expect(r.report.counts.error).toBe(1);
    expect(r.report.counts.testcase).toBe(r.report.cases.length);
    // nothing was listed, so the (run) case is the report's only one, with the fault's exact name and words
    expect(r.report.counts).toEqual({ testcase: 1, failure: 0, error: 1, skipped: 0 });
    const message = `refused to follow a nextLink to another host (attacker.example): the key is only sent to ${new URL(emulator!.url).host}`;
    expect(run.outcome).toEqual({ tag: 'error', type: 'ForeignNextLink', message, text: `ForeignNextLink: ${message}` });
    expect(emulator!.requests.filter((q) => q.service === 'translator')).toHaveLength(1);
  });
});

describe('-o junit: kb-status', () => {
  const KB = 'KB12345678';
  const DS = 'DS12345678';
  const start = async (documents: Record<string, Step[]>) => {
    emulator = await startEmulator({ 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents } } } } } });
    return ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', emulator.url];
  };

  it('all succeeded: exit 0', async () => {
    const r = await junit([...(await start({ a: [{ status: 'INDEXED' }], b: [{ status: 'INDEXED' }] })), 'a', 'b']);
    expect(r.code).toBe(0);
    expect(r.report.counts).toEqual({ testcase: 2, failure: 0, error: 0, skipped: 0 });
    expect(r.report.cases[0]).toEqual({ classname: `bedrock-kb.${KB}.${DS}`, name: 'a', time: '0' });
  });

  it('failed (hostile reason), unknown status and pending documents', async () => {
    const args = await start({ ok: [{ status: 'INDEXED' }], bad: [{ status: 'FAILED', failureReason: HOSTILE }], odd: [{ status: 'SOMETHING_NEW' }], slow: [{ status: 'IN_PROGRESS' }] });
    const r = await junit([...args, 'ok', 'bad', 'odd', 'slow']);
    expect(r.code).toBe(1);
    expect(r.report.counts).toEqual({ testcase: 4, failure: 2, error: 1, skipped: 0 });
    expect(outcomes(r.report.cases)).toEqual(['ok:pass', 'bad:failure/failed', 'odd:error/UnknownStatus', 'slow:failure/pending']);
    expect(r.report.cases[1]).toEqual({
      classname: `bedrock-kb.${KB}.${DS}`,
      name: 'bad',
      time: '0',
      outcome: { tag: 'failure', type: 'failed', message: `FAILED: ${SHOWN}`, text: `status: FAILED\nstate: failed\nstatusReason: ${SHOWN}` },
    });
    expect(r.report.cases[2]!.outcome).toMatchObject({ message: 'unknown status SOMETHING_NEW' });
  });

  it('--all on an empty data source: a (run) failure, exit 3', async () => {
    const r = await junit([...(await start({})), '--all']);
    expect(r.code).toBe(3);
    expect(r.report.counts).toEqual({ testcase: 1, failure: 1, error: 0, skipped: 0 });
    expect(r.report.cases[0]).toMatchObject({ name: '(run)', outcome: { tag: 'failure', type: 'pending' } });
  });
});
