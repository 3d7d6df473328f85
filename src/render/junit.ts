import junitReportBuilder, { type Builder, type TestCase } from 'junit-report-builder';
import { xmlText } from '../core/sanitize.js';
import type { DocumentReport, Result } from '../core/result.js';
import { detail, text } from './columns.js';
import { summaryLine } from './index.js';

// -o junit: one <testsuite> (the root form Ant, Maven and the JUnit XSD that Jenkins' tools use know), one <testcase>
// per document. Loaded only for -o junit (render/index.ts imports this file lazily): the library brings in lodash and
// xmlbuilder. The library's builder.build() wraps the suite in a <testsuites> element with counts, which that XSD does
// not allow, so the suite is built on its own, and the elements the XSD requires that the library never writes
// (hostname, system-out, system-err) are added to its tree. The text under a failure or an error goes in the same way,
// as an escaped text node: the library writes it as CDATA through xmlbuilder, whose cdata() splits only the first
// `]]>`, so service text with a second one would end the section and could forge elements.

// The package's types declare an ES default export for a CommonJS file whose module.exports is the builder: under
// NodeNext, TypeScript reads that default import as the module object. At run time (Node, or esbuild's bundle of its
// ES build) it is the builder itself.
const builder = junitReportBuilder as unknown as Builder;

/** When the result was made and on which host: the suite's timestamp and hostname (the XSD requires both). */
export interface JunitOptions {
  finishedAt: number;
  hostname: string;
}

/** The name of the testcase that stands for the run itself (a fault of no document, a listing never read to the end). */
const RUN_CASE = '(run)';

/** Every testcase's classname: the service, then the target's IDs (never the endpoint: its dots would read as packages). */
export function junitClassName(result: Pick<Result, 'service' | 'target'>): string {
  const ids = Object.entries(result.target)
    .filter(([key]) => key !== 'endpoint')
    .map(([, value]) => xmlText(value));
  return [result.service, ...ids].join('.');
}

/** Service text (or anything else from a document) as XML text: a string cleaned, anything else nothing. */
const clean = (v: unknown) => xmlText(text(v));

/** What a dashboard shows under a failure or an error: one line per field the document has. */
function body(doc: DocumentReport): string {
  const fields: Array<[string, unknown]> = [
    ['status', doc.status],
    ['state', doc.state],
    ['failureCode', doc.failureCode],
    ['failureReason', doc.failureReason],
    ['statusReason', doc.statusReason],
    ['errorCode', doc.errorCode],
    ['errorMessage', doc.errorMessage],
  ];
  const azure = doc.error as { code?: unknown; message?: unknown } | undefined;
  if (azure && typeof azure === 'object') fields.push(['error.code', azure.code], ['error.message', azure.message]);
  return fields
    .map(([name, value]) => [name, clean(value)] as const)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

/** What went wrong (columns.ts detail; Bedrock's statusReason as a failure reason), from cleaned parts: a part that was
 * all control characters is left out. */
function why(doc: DocumentReport): string {
  const azure = doc.error as { code?: unknown; message?: unknown } | undefined;
  return detail({
    id: doc.id,
    state: doc.state,
    failureCode: clean(doc.failureCode),
    failureReason: clean(doc.failureReason) || clean(doc.statusReason),
    errorCode: clean(doc.errorCode),
    errorMessage: clean(doc.errorMessage),
    ...(azure && typeof azure === 'object' && { error: { code: clean(azure.code), message: clean(azure.message) } }),
  });
}

/** One document's testcase: nothing for a success, <failure> for failed and pending, <error> for unreadable. Returns
 * the text for under the failure or error. */
function addCase(tc: TestCase, doc: DocumentReport): string | undefined {
  const status = clean(doc.status);
  switch (doc.state) {
    case 'succeeded':
      return undefined;
    case 'failed':
      tc.failure([status, why(doc)].filter(Boolean).join(': ') || 'failed', 'failed');
      return body(doc);
    case 'pending':
      // Not <skipped>: Jenkins and GitLab count a skipped test as no failure, and a CI gate that did not see its
      // documents through must not look green.
      tc.failure(`not final when the run ended (${status ? `status ${status}` : 'no answer yet'})`, 'pending');
      return body(doc);
    default:
      // error, and any state that is not one of the four (a bug upstream): never a pass.
      tc.error(clean(doc.errorMessage) || why(doc) || 'the status could not be read', clean(doc.errorCode) || 'Error');
      return body(doc);
  }
}

/** The result as JUnit XML, valid against the JUnit XSD (test/fixtures/junit). */
export function renderJunit(result: Result, opts: JunitOptions): string {
  const classname = junitClassName(result);
  const startedAt = new Date(opts.finishedAt - result.stats.elapsedMs);
  const s = result.summary;
  const suite = builder
    .newBuilder()
    .testSuite()
    .name(`docstatus ${classname}`)
    // The XSD's timestamp takes no time zone: UTC, always.
    .timestamp(Number.isNaN(startedAt.getTime()) ? '1970-01-01T00:00:00' : startedAt.toISOString().slice(0, 19))
    .time(result.stats.elapsedMs / 1000);
  const properties: Array<[string, string]> = [
    ['service', result.service],
    ...Object.entries(result.target).map(([key, value]): [string, string] => [`target.${key}`, xmlText(value)]),
    ['outcome', result.outcome],
    ['complete', String(result.complete)],
    ...(['total', 'succeeded', 'failed', 'pending', 'error'] as const).map((k): [string, string] => [k, String(s[k])]),
    ['rounds', String(result.stats.rounds)],
    ['requests', String(result.stats.requests)],
  ];
  for (const [name, value] of properties) suite.property(name, value);

  // The text under each testcase's failure or error, in testcase order (undefined: none).
  const bodies: Array<string | undefined> = [];
  for (const doc of result.documents) bodies.push(addCase(suite.testCase().className(classname).name(clean(doc.id)).time(0), doc));
  const flagged = result.documents.some((d) => d.state !== 'succeeded');
  // Nothing unread is a success: a fault of the whole run, or a listing never read to the end (or empty), is a
  // testcase of its own, so the counts never say "all passed" unless the outcome is succeeded.
  const errors = result.errors ?? [];
  if (errors.length > 0) {
    const first = errors[0]!;
    const lines = errors.map((e) => `${xmlText(e.code)}: ${xmlText(e.message)}`).join('\n');
    const run = suite.testCase().className(classname).name(RUN_CASE).time(0);
    // A run that failed with no document failed (a translation batch that failed, listing nothing): its (run) case is
    // a failure, as a failed document's is; otherwise a fault of the run is an error.
    const failed = result.outcome === 'failed' && !result.documents.some((d) => d.state === 'failed');
    run[failed ? 'failure' : 'error'](xmlText(first.message) || 'the run failed', xmlText(first.code) || 'Error');
    bodies.push(lines);
  } else if (result.outcome !== 'succeeded' && !flagged) {
    suite
      .testCase()
      .className(classname)
      .name(RUN_CASE)
      .time(0)
      .failure('the run ended before every document was known (a listing cut short, or one that found no document)', 'pending');
  }

  const root = suite.build();
  const testcases = root.children.filter((node) => (node as { name?: unknown }).name === 'testcase');
  testcases.forEach((tc, i) => {
    const inner = tc.children[0];
    if (inner && bodies[i]) inner.txt(bodies[i]);
  });
  root.att('hostname', xmlText(opts.hostname).trim() || 'localhost');
  // The line the table prints under itself: the counts and what the run cost.
  root.ele('system-out', {}, summaryLine(result));
  root.ele('system-err');
  return `${root.end({ pretty: true })}\n`;
}
