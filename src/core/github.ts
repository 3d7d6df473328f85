import { closeSync, constants, openSync, writeFileSync } from 'node:fs';
import type { Io } from '../app/io.js';
import type { Logger } from '../app/logger.js';
import { type Column, detail } from '../render/columns.js';
import { renderMarkdown } from '../render/index.js';
import { formatDuration } from './duration.js';
import { EXIT } from './exit-codes.js';
import { cutText } from './wrap.js';
import type { State } from './outcome.js';
import type { DocumentReport, Result } from './result.js';
import { cleanText, escapeData, escapeProperty, markdownCell } from './sanitize.js';

// What a GitHub Actions job shows of a run (CONTRACT.md "Output"): annotations, the step summary and the step's
// outputs. Pure functions of the result, then one writer. Workflow commands are formatted and escaped as
// @actions/core does (packages/core/src/command.ts: `::name key=value,key=value::message`), so the runner
// (actions/runner ActionCommand.TryParseV2) reads back exactly the text given: every line starts with our own `::`,
// and no value can end it, start a line, or close the properties early.

/** At most this many `::error` (and, apart, `::warning`) lines; then one `::notice` says how many more. */
export const MAX_ANNOTATIONS = 50;
/** At most this many document rows in the step summary; then one line says how many more. */
const MAX_SUMMARY_ROWS = 100;
/** A summary cell holds at most this many characters (GitHub takes 1 MiB of summary a step). */
const MAX_CELL = 300;

/** How the run ended, in the words the annotations and the summary use. */
interface RunEnd {
  wait: boolean;
  timeoutMs: number;
  timedOut: boolean;
  interruptedBy?: 'SIGINT' | 'SIGTERM';
  /** --fail-fast ended the run after a document failed */
  failFastStopped: boolean;
  /** standard output went away (EPIPE) or failed, which stops the run */
  stdoutGone: boolean;
}

/** Everything the GitHub views need of one run. */
export interface GitHubReport {
  result: Result;
  /** the service and target, as a person names them ("Amazon Kendra index ...") */
  title: string;
  /** the service's columns (as -o markdown shows them) */
  columns: Column[];
  /** what went wrong with a document, in the service's words (its table's DETAIL or REASON: see reasonOf) */
  reason: (doc: DocumentReport) => string;
  exitCode: number;
  end: RunEnd;
}

// @actions/core's escapeData and escapeProperty live beside the other escapes (core/secrets.ts scrubs their forms too).
export { escapeData, escapeProperty } from './sanitize.js';

/**
 * One workflow command line (no line end): `::name key=value,...::message`, every value cleaned and escaped. Property
 * values are trimmed too: the runner trims the properties it reads, so only a trimmed value reads back as written.
 */
export function workflowCommand(name: 'error' | 'warning' | 'notice', properties: ReadonlyArray<readonly [string, string]>, message: string): string {
  const props = properties.map(([k, v]) => [k, cleanText(v)!.trim()] as const).filter(([, v]) => v).map(([k, v]) => `${k}=${escapeProperty(v)}`);
  return `::${name}${props.length ? ` ${props.join(',')}` : ''}::${escapeData(cleanText(message)!)}`;
}

/** Why a document is still pending: how the run ended. */
function pendingWhen(end: RunEnd): string {
  if (end.interruptedBy) return `when interrupted by ${end.interruptedBy}`;
  if (end.timedOut) return `when --timeout ${formatDuration(end.timeoutMs)} passed`;
  if (end.failFastStopped) return 'when --fail-fast stopped the run';
  if (end.stdoutGone) return 'when the run stopped (standard output went away)';
  if (!end.wait) return 'after one pass, without --wait';
  return 'when the run ended';
}

/** What went wrong with a document as the service's table says it: its DETAIL or REASON column, else the generic one. */
export function reasonOf(columns: readonly Column[]): (doc: DocumentReport) => string {
  return columns.find((c) => c.header === 'DETAIL' || c.header === 'REASON')?.cell ?? detail;
}

/** A document's status and what went wrong, in one line. */
function statusAndReason(report: GitHubReport, doc: DocumentReport, fallback: string): string {
  const status = typeof doc.status === 'string' ? doc.status : '';
  return [status, report.reason(doc)].filter(Boolean).join(': ') || fallback;
}

/** Lines up to the cap, then one notice saying how many more. */
function capped(lines: string[], what: string): string[] {
  if (lines.length <= MAX_ANNOTATIONS) return lines;
  const more = lines.length - MAX_ANNOTATIONS;
  const message = `and ${more} more document${more === 1 ? '' : 's'} ${what}: the step summary and the result list them`;
  return [...lines.slice(0, MAX_ANNOTATIONS), workflowCommand('notice', [['title', 'docstatus']], message)];
}

/**
 * The annotations of a run: `::error` for each run-level fault and each document failed or in error, `::warning` for
 * each document still pending, each kind capped at MAX_ANNOTATIONS. A document in error with the very fault of a
 * run-level error (a permanent fault that ended the run before its status was read) is counted in that one line
 * rather than repeated: an expired key must not be 50 identical lines.
 */
export function annotations(report: GitHubReport): string[] {
  const { result, title } = report;
  const where = ` (${title})`;
  const faults = result.errors ?? [];
  const sameFault = (doc: DocumentReport) => faults.findIndex((e) => e.code === doc.errorCode && e.message === doc.errorMessage);
  const unread = faults.map(() => 0);
  const errors: string[] = [];
  const warnings: string[] = [];
  const when = pendingWhen(report.end);
  let fault: number;
  for (const doc of result.documents) {
    if (doc.state === 'succeeded') continue;
    if (doc.state === 'failed') errors.push(workflowCommand('error', [['title', `docstatus: ${doc.id} failed`]], `${statusAndReason(report, doc, 'failed')}${where}`));
    else if (doc.state === 'pending') warnings.push(workflowCommand('warning', [['title', `docstatus: ${doc.id} still pending`]], `${statusAndReason(report, doc, 'no status yet')} ${when}${where}`));
    else if ((fault = sameFault(doc)) >= 0) unread[fault]!++;
    else errors.push(workflowCommand('error', [['title', `docstatus: ${doc.id} could not be read`]], `${report.reason(doc) || doc.errorCode || 'error'}${where}`));
  }
  const runErrors = faults.map((e, i) => {
    const n = unread[i]!;
    const left = n > 0 ? `; ${n} document${n === 1 ? '' : 's'} could not be read because of it` : '';
    return workflowCommand('error', [['title', `docstatus: ${e.code}`]], `${e.message}${left}${where}`);
  });
  return [...capped([...runErrors, ...errors], 'failed or could not be read'), ...capped(warnings, 'still pending')];
}

/** Not succeeded first (failed, error, pending), then succeeded; input order within each. */
const RANK = new Map<State, number>([
  ['failed', 0],
  ['error', 1],
  ['pending', 2],
  ['succeeded', 3],
]);

/** What the summary says of how the run ended, one note a line (none for a run that ended by itself). */
function notes(report: GitHubReport): string[] {
  const { result, end } = report;
  const out: string[] = [];
  const s = result.summary;
  const notFinal = s.pending + s.error;
  if (end.interruptedBy) out.push(`**Interrupted by ${end.interruptedBy}**: this is what was known then.`);
  else if (end.timedOut) out.push(`**--timeout ${formatDuration(end.timeoutMs)} passed** with ${s.pending} document${s.pending === 1 ? '' : 's'} still pending.`);
  else if (end.failFastStopped) out.push(`**--fail-fast** stopped the run after a document failed${notFinal > 0 ? `; ${notFinal} document${notFinal === 1 ? ' was' : 's were'} not final then` : ''}.`);
  else if (end.stdoutGone) out.push('**Stopped**: standard output went away; this is what was known then.');
  if (report.exitCode === EXIT.output) out.push(`**The result could not be written** to standard output: exit code ${EXIT.output}, whatever the documents' states.`);
  for (const e of result.errors ?? []) out.push(`**Error** ${markdownCell(e.code)}: ${markdownCell(e.message)}`);
  return out;
}

/** The step summary: a heading naming the service and target, the counts, how the run ended, then the documents. */
export function stepSummary(report: GitHubReport): string {
  const { result } = report;
  const row = figures(report);
  const parts = [
    `### docstatus: ${markdownCell(report.title)}`,
    [
      `| ${row.map((f) => f.heading).join(' | ')} |`,
      `| ${row.map((f) => (typeof f.value === 'number' ? '---:' : '---')).join(' | ')} |`,
      `| ${row.map((f) => f.value).join(' | ')} |`,
    ].join('\n'),
    ...notes(report),
  ];
  const sorted = result.documents
    .map((doc, i) => ({ doc, i, rank: RANK.get(doc.state) ?? 1 }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((r) => r.doc);
  const shown = sorted.slice(0, MAX_SUMMARY_ROWS);
  // The -o markdown renderer (its escaping, its summary line), over the rows shown, each cell cut to MAX_CELL.
  const columns = report.columns.map((c) => ({ header: c.header, cell: (d: DocumentReport) => clip(c.cell(d)) }));
  if (shown.length > 0) parts.push(renderMarkdown({ ...result, documents: shown }, { colorLevel: 0, columns }).trimEnd());
  else parts.push('No document was found.');
  const more = sorted.length - shown.length;
  if (more > 0) {
    const rest = countStates(sorted.slice(MAX_SUMMARY_ROWS));
    parts.push(`${more} more document${more === 1 ? '' : 's'} not shown (${rest}); the result (\`-o json\`) lists every one.`);
  }
  return `${parts.join('\n\n')}\n\n`;
}

/** A summary cell's text, cut to MAX_CELL code points (an ID is never cut: it is the first column and short enough). */
const clip = (text: string): string => cutText(text, MAX_CELL);

/** "3 failed, 97 succeeded": the states of a list of documents, in RANK order. */
function countStates(docs: readonly DocumentReport[]): string {
  const counts = new Map<string, number>();
  for (const d of docs) counts.set(d.state, (counts.get(d.state) ?? 0) + 1);
  return [...RANK.keys()].filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${k}`).join(', ');
}

/** The run's seven figures: the step outputs and the summary's first table, under the names each gives them. */
function figures(report: GitHubReport): Array<{ output: string; heading: string; value: string | number }> {
  const s = report.result.summary;
  return [
    { output: 'outcome', heading: 'outcome', value: report.result.outcome },
    { output: 'exit-code', heading: 'exit code', value: report.exitCode },
    { output: 'total', heading: 'total', value: s.total },
    { output: 'succeeded', heading: 'succeeded', value: s.succeeded },
    { output: 'failed', heading: 'failed', value: s.failed },
    { output: 'pending', heading: 'pending', value: s.pending },
    { output: 'error', heading: 'error', value: s.error },
  ];
}

/** The step's outputs, one `name=value` line each: numbers and known words only, so no line can hold another. */
export function stepOutputs(report: GitHubReport): string {
  return figures(report)
    .map(({ output, value }) => `${output}=${String(value).replace(/[^\w.-]/g, '')}\n`)
    .join('');
}

/** Appends to one of the runner's files; a failure is a warning, never a crash and never another exit code. */
function append(variable: string, path: string, text: string, log: Logger, markdown: boolean): void {
  try {
    // O_NONBLOCK: a FIFO that nobody reads would block open() (and with it the signal handlers) for ever; for a
    // regular file it changes nothing. Such a FIFO is ENXIO, one whose reader stops reading EAGAIN: both warnings.
    const { O_WRONLY, O_APPEND, O_CREAT, O_NONBLOCK } = constants;
    const fd = openSync(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK, 0o666);
    try {
      writeFileSync(fd, log.scrub(text, markdown), 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    log.warn(`--github: cannot append to $${variable} (${path}): ${code}`);
  }
}

/**
 * Writes a run's annotations (stderr), step summary ($GITHUB_STEP_SUMMARY) and outputs ($GITHUB_OUTPUT). A file whose
 * variable is unset is skipped: said once, as a warning inside GitHub Actions (something is wrong with the step), with
 * --verbose elsewhere (--github on a laptop shows the annotations, and there are no files to write).
 */
export function writeGitHub(report: GitHubReport, io: Io, log: Logger): void {
  for (const line of annotations(report)) log.workflowCommand(line);
  const files = [
    ['GITHUB_STEP_SUMMARY', 'step summary', () => stepSummary(report)],
    ['GITHUB_OUTPUT', 'step outputs', () => stepOutputs(report)],
  ] as const;
  const skipped: string[] = [];
  for (const [variable, what, text] of files) {
    const path = io.env[variable];
    if (path) append(variable, path, text(), log, variable === 'GITHUB_STEP_SUMMARY');
    else skipped.push(`$${variable} is not set: no ${what}`);
  }
  if (skipped.length > 0) {
    const message = `--github: ${skipped.join('; ')} (the annotations are on stderr)`;
    if (io.env.GITHUB_ACTIONS === 'true') log.warn(message);
    else log.verbose(message);
  }
}
