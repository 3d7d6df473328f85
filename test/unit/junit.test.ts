import fc from 'fast-check';
import junitReportBuilder, { type Builder } from 'junit-report-builder';
import { describe, expect, it } from 'vitest';
import { outcomeOf, type State } from '../../src/core/outcome.js';
import { summarize, type DocumentReport, type Result } from '../../src/core/result.js';
import { xmlText } from '../../src/core/sanitize.js';
import { render } from '../../src/render/index.js';
import { junitClassName, renderJunit } from '../../src/render/junit.js';
import { junitErrors, readJunit } from '../junit.js';
import { propertyParams } from '../property.js';

// -o junit from results built by hand: valid against the JUnit XSD Jenkins' tools use (test/fixtures/junit), with
// exact counts and attribute values. test/e2e/junit.test.ts does the same through the spawned tool for each service.

const AT = Date.parse('2026-11-23T10:00:15.250Z');
const opts = { finishedAt: AT, hostname: 'ci-runner-7' };
const INDEX = 'a1b2c3d4-0000-4000-8000-00000000beef';

function result(documents: DocumentReport[], extra: Partial<Result> = {}): Result {
  const summary = summarize(documents);
  return {
    service: 'kendra',
    target: { indexId: INDEX },
    outcome: outcomeOf({ ...summary, error: summary.error + (extra.errors?.length ?? 0) }),
    complete: summary.pending === 0 && summary.error === 0,
    summary,
    documents,
    stats: { rounds: 3, requests: 4, elapsedMs: 15_250 },
    ...extra,
  };
}

async function valid(xml: string) {
  expect(await junitErrors(xml)).toEqual([]);
  return readJunit(xml);
}

describe('-o junit', () => {
  it('all succeeded: one testcase per document, no failure, the suite attributes exact', async () => {
    const xml = renderJunit(result([{ id: 'a', status: 'INDEXED', state: 'succeeded' }, { id: 'b', status: 'UPDATED', state: 'succeeded' }]), opts);
    // system-out: the table's own summary line
    expect(xml).toContain('  <system-out>2 documents: 2 succeeded (outcome succeeded; 3 rounds, 4 requests, 15.3s)</system-out>\n');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuite ')).toBe(true);
    const r = await valid(xml);
    expect(r.counts).toEqual({ testcase: 2, failure: 0, error: 0, skipped: 0 });
    expect(Object.fromEntries(r.suite)).toEqual({
      name: `docstatus kendra.${INDEX}`,
      timestamp: '2026-11-23T10:00:00',
      time: '15.25',
      tests: '2',
      failures: '0',
      errors: '0',
      skipped: '0',
      hostname: 'ci-runner-7',
    });
    expect(r.cases).toEqual([
      { classname: `kendra.${INDEX}`, name: 'a', time: '0' },
      { classname: `kendra.${INDEX}`, name: 'b', time: '0' },
    ]);
    expect(Object.fromEntries(r.properties)).toEqual({
      service: 'kendra',
      'target.indexId': INDEX,
      outcome: 'succeeded',
      complete: 'true',
      total: '2',
      succeeded: '2',
      failed: '0',
      pending: '0',
      error: '0',
      rounds: '3',
      requests: '4',
    });
  });

  it('failed, pending and unreadable documents: <failure type="failed">, <failure type="pending">, <error type=code>', async () => {
    const r = await valid(
      renderJunit(
        result([
          { id: 'ok', status: 'INDEXED', state: 'succeeded' },
          { id: 'bad', status: 'FAILED', state: 'failed', failureCode: '400', failureReason: 'too big' },
          { id: 'slow', status: 'PROCESSING', state: 'pending' },
          { id: 'never', state: 'pending' },
          { id: 'lost', state: 'error', errorCode: 'InternalError', errorMessage: 'try again' },
        ]),
        opts,
      ),
    );
    expect(r.counts).toEqual({ testcase: 5, failure: 3, error: 1, skipped: 0 });
    expect([r.suite.get('tests'), r.suite.get('failures'), r.suite.get('errors')]).toEqual(['5', '3', '1']);
    expect(r.cases.map((c) => [c.name, c.outcome])).toEqual([
      ['ok', undefined],
      ['bad', { tag: 'failure', type: 'failed', message: 'FAILED: 400: too big', text: 'status: FAILED\nstate: failed\nfailureCode: 400\nfailureReason: too big' }],
      ['slow', { tag: 'failure', type: 'pending', message: 'not final when the run ended (status PROCESSING)', text: 'status: PROCESSING\nstate: pending' }],
      ['never', { tag: 'failure', type: 'pending', message: 'not final when the run ended (no answer yet)', text: 'state: pending' }],
      ['lost', { tag: 'error', type: 'InternalError', message: 'try again', text: 'state: error\nerrorCode: InternalError\nerrorMessage: try again' }],
    ]);
    expect(r.properties.get('outcome')).toBe('failed');
  });

  it("an Azure document's error object is the failure's reason", async () => {
    const r = await valid(
      renderJunit(
        {
          ...result([{ id: 'd1', status: 'Failed', state: 'failed', error: { code: 'InvalidRequest', message: 'The document is corrupt', innerError: { code: 'x' } } }]),
          service: 'translation-documents',
          target: { endpoint: 'https://my-translator.cognitiveservices.azure.com', batchId: 'b-1' },
        },
        opts,
      ),
    );
    // the endpoint is a property, not part of the class name (its dots would read as Java packages)
    expect(r.cases).toEqual([
      {
        classname: 'translation-documents.b-1',
        name: 'd1',
        time: '0',
        outcome: { tag: 'failure', type: 'failed', message: 'Failed: InvalidRequest: The document is corrupt', text: 'status: Failed\nstate: failed\nerror.code: InvalidRequest\nerror.message: The document is corrupt' },
      },
    ]);
    expect(r.properties.get('target.endpoint')).toBe('https://my-translator.cognitiveservices.azure.com');
  });

  it('a fault of the whole run, with no document: a (run) testcase in error', async () => {
    const r = await valid(renderJunit(result([], { errors: [{ code: 'ResourceNotFoundException', message: 'no such batch' }, { code: 'PageLoop', message: 'again' }] }), opts));
    expect(r.counts).toEqual({ testcase: 1, failure: 0, error: 1, skipped: 0 });
    expect(r.cases).toEqual([
      {
        classname: `kendra.${INDEX}`,
        name: '(run)',
        time: '0',
        outcome: { tag: 'error', type: 'ResourceNotFoundException', message: 'no such batch', text: 'ResourceNotFoundException: no such batch\nPageLoop: again' },
      },
    ]);
  });

  it('a batch that failed with no document (outcome failed, one errors entry): a (run) failure, not an error', async () => {
    const errors = [{ code: 'InvalidDocumentAccessLevel', message: 'the batch is ValidationFailed: no access (it lists no document)' }];
    const r = await valid(renderJunit({ ...result([]), outcome: 'failed', complete: false, errors }, opts));
    expect(r.counts).toEqual({ testcase: 1, failure: 1, error: 0, skipped: 0 });
    expect(r.cases[0]!.outcome).toEqual({ tag: 'failure', type: 'InvalidDocumentAccessLevel', message: errors[0]!.message, text: `InvalidDocumentAccessLevel: ${errors[0]!.message}` });
  });

  it('a listing never read to the end (or empty): a (run) failure, never a green report', async () => {
    const r = await valid(renderJunit({ ...result([{ id: 'a', status: 'INDEXED', state: 'succeeded' }]), outcome: 'pending', complete: false }, opts));
    expect(r.counts).toEqual({ testcase: 2, failure: 1, error: 0, skipped: 0 });
    expect(r.cases[1]).toEqual({
      classname: `kendra.${INDEX}`,
      name: '(run)',
      time: '0',
      outcome: { tag: 'failure', type: 'pending', message: 'the run ended before every document was known (a listing cut short, or one that found no document)', text: '' },
    });
    const empty = await valid(renderJunit({ ...result([]), outcome: 'pending', complete: false }, opts));
    expect(empty.counts).toEqual({ testcase: 1, failure: 1, error: 0, skipped: 0 });
  });

  it('hostile service text: control characters, lone surrogates, U+FFFE, ]]>, <, &, quotes and emoji; still valid, text kept', async () => {
    const hostile = 'a\u0000b\u001b[31mc\u0007d\ud800e\udfffg\ufffeh\uffff ]]> <x> & "q" \'s\' 🙂\u202e\r\n end';
    const r = await valid(
      renderJunit(
        result([
          { id: `id ${hostile}`, status: `FAILED${hostile}`, state: 'failed', failureReason: hostile },
          { id: 'e', state: 'error', errorCode: `Code${hostile}`, errorMessage: hostile },
          { id: ']]></failure></testcase><testcase name="forged">', status: 'INDEXED', state: 'succeeded' },
        ]),
        { finishedAt: AT, hostname: 'host\u0000name' },
      ),
    );
    const clean = 'abcdegh ]]> <x> & "q" \'s\' 🙂  end';
    expect(xmlText(hostile)).toBe(clean);
    expect(r.counts).toEqual({ testcase: 3, failure: 1, error: 1, skipped: 0 });
    expect(r.cases[0]).toEqual({
      classname: `kendra.${INDEX}`,
      name: `id ${clean}`,
      time: '0',
      outcome: { tag: 'failure', type: 'failed', message: `FAILED${clean}: ${clean}`, text: `status: FAILED${clean}\nstate: failed\nfailureReason: ${clean}` },
    });
    expect(r.cases[1]!.outcome).toEqual({ tag: 'error', type: `Code${clean}`, message: clean, text: `state: error\nerrorCode: Code${clean}\nerrorMessage: ${clean}` });
    expect(r.cases[2]).toEqual({ classname: `kendra.${INDEX}`, name: ']]></failure></testcase><testcase name="forged">', time: '0' });
    expect(r.suite.get('hostname')).toBe('hostname');
  });

  it('a reason with two ]]> cannot end a CDATA section and forge a testcase (xmlbuilder splits only the first)', async () => {
    const forge = 'a]]>b]]></failure></testcase><testcase classname="forged" name="forged" time="0"/><testcase classname="c" name="n" time="0"><failure type="t">';
    const r = await valid(renderJunit(result([{ id: 'x', status: 'FAILED', state: 'failed', failureReason: forge }]), opts));
    expect(r.counts).toEqual({ testcase: 1, failure: 1, error: 0, skipped: 0 });
    expect(r.cases[0]!.outcome).toEqual({ tag: 'failure', type: 'failed', message: `FAILED: ${forge}`, text: `status: FAILED\nstate: failed\nfailureReason: ${forge}` });
  });

  it('an empty service text falls back to words that say what happened (type is required)', async () => {
    const r = await valid(renderJunit(result([{ id: 'x', state: 'error', errorCode: '\u0000', errorMessage: '\u001b' }, { id: 'y', state: 'failed' }]), { ...opts, hostname: '' }));
    expect(r.cases.map((c) => c.outcome && [c.outcome.type, c.outcome.message])).toEqual([
      ['Error', 'the status could not be read'],
      ['failed', 'failed'],
    ]);
    expect(r.suite.get('hostname')).toBe('localhost');
  });

  it('the class name is the service and the target IDs', () => {
    expect(junitClassName({ service: 'bedrock-kb', target: { knowledgeBaseId: 'KB1', dataSourceId: 'DS1' } })).toBe('bedrock-kb.KB1.DS1');
    expect(junitClassName({ service: 'translation-batch', target: { endpoint: 'https://x.example', batchId: 'b' } })).toBe('translation-batch.b');
  });

  it('render(-o junit) loads the renderer and gives one string', async () => {
    const chunks = [...(await render(result([{ id: 'a', status: 'INDEXED', state: 'succeeded' }]), 'junit', { colorLevel: 0, columns: [], ...opts }))];
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBe(renderJunit(result([{ id: 'a', status: 'INDEXED', state: 'succeeded' }]), opts));
  });

  it('the XSD check can fail: the library’s own builder.build() (a <testsuites> with counts) is not valid', async () => {
    const b = (junitReportBuilder as unknown as Builder).newBuilder();
    b.testSuite().name('s').testCase().className('c').name('n');
    expect((await junitErrors(b.build())).join('\n')).toMatch(/attribute 'tests' is not allowed|testsuites/);
    expect(await junitErrors('<testsuite name="x"')).not.toEqual([]);
  });

  it('property: failures + errors is 0 exactly when the outcome is succeeded, and the counts are the documents', () => {
    const state = fc.constantFrom<State>('succeeded', 'failed', 'pending', 'error');
    fc.assert(
      fc.property(fc.array(state, { maxLength: 30 }), fc.boolean(), fc.boolean(), (states, runError, unfinished) => {
        const docs = states.map((s, i): DocumentReport => ({ id: `d${i}`, state: s, ...(s === 'error' && { errorCode: 'E' }) }));
        const base = result(docs, runError ? { errors: [{ code: 'X', message: 'y' }] } : {});
        const r = unfinished && base.outcome === 'succeeded' ? { ...base, outcome: 'pending' as const } : base;
        const { counts, suite } = readJunit(renderJunit(r, opts));
        const extra = runError || (r.outcome !== 'succeeded' && states.every((s) => s === 'succeeded')) ? 1 : 0;
        expect(counts.testcase).toBe(docs.length + extra);
        expect(counts.failure + counts.error === 0).toBe(r.outcome === 'succeeded');
        expect(suite.get('tests')).toBe(String(counts.testcase));
        expect(counts.error).toBe(states.filter((s) => s === 'error').length + (runError ? 1 : 0));
      }),
      propertyParams(200),
    );
  });
});
