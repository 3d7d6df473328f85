import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { annotations, reasonOf, escapeData, escapeProperty, type GitHubReport, MAX_ANNOTATIONS, stepOutputs, stepSummary, workflowCommand, writeGitHub } from '../../src/core/github.js';
import { sinkOut } from '../../src/app/io.js';
import { Logger } from '../../src/app/logger.js';
import { Secrets } from '../../src/core/secrets.js';
import { memoryIo, tempFile } from '../helpers.js';
import { type DocumentReport, summarize } from '../../src/core/result.js';
import { sanitize } from '../../src/core/sanitize.js';
import { kbColumns } from '../../src/services/bedrock-kb/columns.js';
import { kendraColumns } from '../../src/services/kendra/columns.js';
import { propertyParams } from '../property.js';

// The escaping rules are @actions/core's (packages/core/src/command.ts escapeData / escapeProperty); the expected
// strings below are the cases of its own test (packages/core/__tests__/command.test.ts). The reader is a model of the
// runner's (actions/runner src/Runner.Common/ActionCommand.cs, TryParseV2): a line is a command when, trimmed at the
// start, it begins with `::`; the first `::` after that ends the command name and properties; properties are split at
// `,`, each at its first `=`, and trimmed as a whole; %-escapes are undone with `%25` last.

interface Parsed {
  name: string;
  properties: Map<string, string>;
  data: string;
}

const unescape = (text: string, codes: ReadonlyArray<[string, string]>) => {
  let out = text;
  for (const [code, char] of [...codes, ['%25', '%'] as [string, string]]) out = out.split(code).join(char);
  return out;
};
const DATA_CODES: Array<[string, string]> = [
  ['%0D', '\r'],
  ['%0A', '\n'],
];
const PROPERTY_CODES: Array<[string, string]> = [...DATA_CODES, ['%3A', ':'], ['%2C', ',']];

/** The runner's reading of one log line (undefined: not a command). */
function readCommand(line: string): Parsed | undefined {
  const text = line.trimStart();
  if (!text.startsWith('::')) return undefined;
  const end = text.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const space = info.indexOf(' ');
  const properties = new Map<string, string>();
  if (space > 0) {
    for (const pair of info.slice(space + 1).trim().split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1) properties.set(pair.slice(0, eq), unescape(pair.slice(eq + 1), PROPERTY_CODES));
    }
  }
  return { name: space < 0 ? info : info.slice(0, space), properties, data: unescape(text.slice(end + 2), DATA_CODES) };
}

/** Every way the runner (or a log viewer) could see a line break. */
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;

describe('workflow-command escaping, as @actions/core does it', () => {
  it('data: every %, CR and LF, % first (a literal %0A stays text)', () => {
    expect(escapeData('percent % percent % cr \r cr \r lf \n lf \n')).toBe('percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A');
    expect(escapeData('%25 %25 %0D %0D %0A %0A')).toBe('%2525 %2525 %250D %250D %250A %250A');
    expect(escapeData('a: b, c')).toBe('a: b, c');
  });

  it('properties: also : and ,', () => {
    expect(escapeProperty('percent % percent % cr \r cr \r lf \n lf \n colon : colon : comma , comma ,')).toBe(
      'percent %25 percent %25 cr %0D cr %0D lf %0A lf %0A colon %3A colon %3A comma %2C comma %2C',
    );
    expect(escapeProperty('%25 %25 %0D %0D %0A %0A %3A %3A %2C %2C')).toBe('%2525 %2525 %250D %250D %250A %250A %253A %253A %252C %252C');
  });

  it('the command line: `::name key=value,key=value::message`; an empty property is left out', () => {
    expect(workflowCommand('error', [['title', 'value 1'], ['file', '']], 'some message')).toBe('::error title=value 1::some message');
    expect(workflowCommand('warning', [['title', 'a: b, c']], 'x:: y, z')).toBe('::warning title=a%3A b%2C c::x:: y, z');
    expect(workflowCommand('notice', [], '')).toBe('::notice::');
  });

  it('hostile text: control characters go, line breaks become spaces, and nothing but the one command is read', () => {
    const line = workflowCommand('error', [['title', 'doc\n::set-output name=x::1,y']], 'r\r\n::add-mask::k\u001b[31m%0A\u2028::stop-commands::t\u0085::warning::w');
    expect(line).toBe('::error title=doc %3A%3Aset-output name=x%3A%3A1%2Cy::r ::add-mask::k%250A ::stop-commands::t::warning::w');
    expect(line).not.toMatch(LINE_BREAK);
    expect(readCommand(line)).toEqual({ name: 'error', properties: new Map([['title', 'doc ::set-output name=x::1,y']]), data: 'r ::add-mask::k%0A ::stop-commands::t::warning::w' });
  });

  it('property: any title and message read back exactly as sanitised, on one line, as the one command written', () => {
    const tricky = fc.constantFrom('%', ':', ',', '::', '=', ' ', '\r', '\n', '\r\n', '%0A', '%25', '%3A', '%2C', '\u0085', '\u2028', '\u001b[2J', '\t', '\0', 'é', '😀');
    const text = fc.array(fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, (title, message) => {
        const line = workflowCommand('error', [['title', title]], message);
        expect(line).not.toMatch(LINE_BREAK);
        const read = readCommand(line)!;
        expect(read.name).toBe('error');
        const wanted = sanitize(title).trim();
        expect(read.properties).toEqual(wanted ? new Map([['title', wanted]]) : new Map());
        expect(read.data).toBe(sanitize(message));
      }),
      propertyParams(500),
    );
  });
});

const INDEX = 'a1b2c3d4-0000-4000-8000-00000000beef';
const TITLE = `Amazon Kendra index ${INDEX}`;
const end = { wait: false, timeoutMs: 1_800_000, timedOut: false, failFastStopped: false, stdoutGone: false };

function report(documents: DocumentReport[], extra: Partial<GitHubReport> = {}): GitHubReport {
  const summary = summarize(documents);
  const outcome = summary.failed ? 'failed' : summary.error ? 'error' : summary.pending ? 'pending' : 'succeeded';
  return {
    result: { service: 'kendra', target: { indexId: INDEX }, outcome, complete: false, summary, documents, stats: { rounds: 1, requests: 1, elapsedMs: 41 } },
    title: TITLE,
    columns: kendraColumns(false),
    reason: reasonOf(kendraColumns(false)),
    exitCode: 1,
    end,
    ...extra,
  };
}

const mixed: DocumentReport[] = [
  { id: 'ok', status: 'INDEXED', state: 'succeeded' },
  { id: 'p', status: 'PROCESSING', state: 'pending' },
  { id: 'bad', status: 'FAILED', state: 'failed', failureCode: '400', failureReason: 'too big' },
  { id: 'e', state: 'error', errorCode: 'InternalError', errorMessage: 'try again' },
];

describe('annotations', () => {
  it('one ::error per failed or unreadable document, one ::warning per pending one, naming how the run ended', () => {
    expect(annotations(report(mixed))).toEqual([
      `::error title=docstatus%3A bad failed::FAILED: 400: too big (${TITLE})`,
      `::error title=docstatus%3A e could not be read::InternalError: try again (${TITLE})`,
      `::warning title=docstatus%3A p still pending::PROCESSING after one pass, without --wait (${TITLE})`,
    ]);
    const timedOut = annotations(report(mixed, { end: { ...end, wait: true, timedOut: true, timeoutMs: 900_000 } }));
    expect(timedOut[2]).toBe(`::warning title=docstatus%3A p still pending::PROCESSING when --timeout 15m passed (${TITLE})`);
    const interrupted = annotations(report([{ id: 'n', state: 'pending' }], { end: { ...end, wait: true, interruptedBy: 'SIGTERM' } }));
    expect(interrupted).toEqual([`::warning title=docstatus%3A n still pending::no status yet when interrupted by SIGTERM (${TITLE})`]);
  });

  it('a run-level fault is an ::error of its own, first; the documents it left unread are counted in it, not repeated', () => {
    const r = report([]);
    r.result.errors = [{ code: 'AccessDeniedException', message: 'not allowed, at all' }];
    expect(annotations(r)).toEqual([`::error title=docstatus%3A AccessDeniedException::not allowed, at all (${TITLE})`]);
    const unread = (id: string): DocumentReport => ({ id, state: 'error', errorCode: 'AccessDeniedException', errorMessage: 'not allowed, at all' });
    const other: DocumentReport = { id: 'o', state: 'error', errorCode: 'AccessDeniedException', errorMessage: 'another message' };
    const r2 = report([unread('a'), other, unread('b')]);
    r2.result.errors = [{ code: 'AccessDeniedException', message: 'not allowed, at all' }];
    expect(annotations(r2)).toEqual([
      `::error title=docstatus%3A AccessDeniedException::not allowed, at all; 2 documents could not be read because of it (${TITLE})`,
      `::error title=docstatus%3A o could not be read::AccessDeniedException: another message (${TITLE})`,
    ]);
  });

  it("the reason is the service's own REASON or DETAIL column (Bedrock's statusReason)", () => {
    const columns = kbColumns(false);
    const r = report([{ id: 'i', status: 'IGNORED', state: 'failed', statusReason: 'unsupported file type' }], { columns, reason: reasonOf(columns) });
    expect(annotations(r)).toEqual([`::error title=docstatus%3A i failed::IGNORED: unsupported file type (${TITLE})`]);
  });

  it(`each kind is capped at ${MAX_ANNOTATIONS}; one ::notice says how many more`, () => {
    const docs: DocumentReport[] = [
      ...Array.from({ length: 53 }, (_, i): DocumentReport => ({ id: `f${i}`, status: 'FAILED', state: 'failed' })),
      ...Array.from({ length: 51 }, (_, i): DocumentReport => ({ id: `p${i}`, status: 'PROCESSING', state: 'pending' })),
    ];
    const lines = annotations(report(docs));
    expect(lines).toHaveLength(2 * MAX_ANNOTATIONS + 2);
    expect(lines.filter((l) => l.startsWith('::error ')).map((l) => readCommand(l)!.properties.get('title'))).toEqual(Array.from({ length: 50 }, (_, i) => `docstatus: f${i} failed`));
    expect(lines[50]).toBe('::notice title=docstatus::and 3 more documents failed or could not be read: the step summary and the result list them');
    expect(lines.filter((l) => l.startsWith('::warning ')).length).toBe(50);
    expect(lines[101]).toBe('::notice title=docstatus::and 1 more document still pending: the step summary and the result list them');
  });

  it("a secret the service echoed back is *** in the annotations and the summary the run's sink writes", () => {
    const secret = 'unit-secret-0123456789';
    const secrets = new Secrets();
    secrets.add([secret]);
    const err: string[] = [];
    const log = new Logger(sinkOut({ write: (s: string) => err.push(s) }, secrets), { secrets });
    const summary = tempFile('summary.md', '');
    const r = report([{ id: 'x', status: 'FAILED', state: 'failed', failureReason: `key ${secret} refused` }]);
    writeGitHub(r, memoryIo({ env: { GITHUB_STEP_SUMMARY: summary } }).io, log);
    expect(err.join('')).toBe(`::error title=docstatus%3A x failed::FAILED: key *** refused (${TITLE})\n`);
    expect(readFileSync(summary, 'utf8')).toContain('| x | FAILED | failed | key \\*\\*\\* refused |');
    expect(readFileSync(summary, 'utf8')).not.toContain(secret);
  });
});

describe('step summary and outputs', () => {
  it('a long cell is cut at 300 code points with …, never inside a surrogate pair', () => {
    const reason = `${'a'.repeat(290)}🙂🙂🙂🙂🙂zz`;
    const summary = stepSummary(report([{ id: 'bad', status: 'FAILED', state: 'failed', failureCode: '400', failureReason: reason }]));
    // DETAIL is "400: " and the reason: its first 300 code points end with the fifth emoji, 305 UTF-16 units (before:
    // 300 units cut the third emoji in half, a lone surrogate in the summary)
    expect(summary).toContain(`| bad | FAILED | failed | 400: ${'a'.repeat(290)}🙂🙂🙂🙂🙂… |`);
    expect(summary).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it('the heading, the counts, the documents not succeeded first (input order within a state), then the summary line', () => {
    expect(stepSummary(report(mixed))).toBe(
      [
        `### docstatus: ${TITLE}`,
        '',
        '| outcome | exit code | total | succeeded | failed | pending | error |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| failed | 1 | 4 | 1 | 1 | 1 | 1 |',
        '',
        '| ID | STATUS | STATE | DETAIL |',
        '| --- | --- | --- | --- |',
        '| bad | FAILED | failed | 400: too big |',
        '| e | - | error | InternalError: try again |',
        '| p | PROCESSING | pending |  |',
        '| ok | INDEXED | succeeded |  |',
        '',
        '4 documents: 1 succeeded, 1 failed, 1 pending, 1 error (outcome failed; 1 round, 1 request, 41ms)',
        '',
        '',
      ].join('\n'),
    );
  });

  it('a run with no document says so; a run-level fault is a line of its own', () => {
    const r = report([], { title: 'Azure AI Document Translation batch b1 at x.example' });
    r.result.errors = [{ code: 'ResourceNotFound', message: 'no batch [b1](x)' }];
    expect(stepSummary(r)).toContain('\n\n**Error** ResourceNotFound: no batch \\[b1\\]\\(x\\)\n\nNo document was found.\n\n');
  });

  it('outputs: seven name=value lines, numbers and known words only', () => {
    expect(stepOutputs(report(mixed))).toBe('outcome=failed\nexit-code=1\ntotal=4\nsucceeded=1\nfailed=1\npending=1\nerror=1\n');
  });
});
