import { formatDuration } from '../core/duration.js';
import { markdownCell, sanitize } from '../core/sanitize.js';
import type { State } from '../core/outcome.js';
import type { DocumentReport, Result } from '../core/result.js';
import type { Column } from './columns.js';

import type { Format } from './formats.js';

export type { Format } from './formats.js';

export interface RenderOptions {
  colorLevel: 0 | 1 | 2 | 3;
  /** the service's columns for this result (table and Markdown) */
  columns: Column[];
  /** JUnit: when the result was made (the suite's timestamp; default: now) and the host (default: localhost) */
  finishedAt?: number;
  hostname?: string;
}

/** The result as --output json prints it. */
export function renderJson(result: Result): string {
  return [...jsonChunks(result)].join('');
}

/**
 * The same text as renderJson, in slices of at most `batch` documents: a million documents are never one string.
 * Byte for byte what JSON.stringify(result, null, 2) gives (a test holds it to that).
 */
export function* jsonChunks(result: Result, batch = 1000): Generator<string> {
  // A key with unescaped quotes cannot occur inside a JSON string value, so this finds the real "documents" key.
  const marker = '"documents": "DOCSTATUS_DOCUMENTS"';
  const frame = JSON.stringify({ ...result, documents: 'DOCSTATUS_DOCUMENTS' }, null, 2);
  const at = frame.indexOf(marker);
  const docs = result.documents;
  if (docs.length === 0) {
    yield `${frame.slice(0, at)}"documents": []${frame.slice(at + marker.length)}\n`;
    return;
  }
  yield `${frame.slice(0, at)}"documents": [\n`;
  for (let i = 0; i < docs.length; i += batch) {
    const part = docs.slice(i, i + batch).map((d) => `    ${JSON.stringify(d, null, 2).replace(/\n/g, '\n    ')}`);
    yield part.join(',\n') + (i + batch < docs.length ? ',\n' : '\n');
  }
  yield `  ]${frame.slice(at + marker.length)}\n`;
}

/** One NDJSON line for a document seen or changed. */
export function ndjsonDocument(doc: DocumentReport, at: number): string {
  return `${JSON.stringify({ type: 'document', ...doc, at: new Date(at).toISOString() })}\n`;
}

/** The last NDJSON line: the result without its documents. */
export function ndjsonResult(result: Result): string {
  const { documents: _documents, ...rest } = result;
  return `${JSON.stringify({ type: 'result', ...rest })}\n`;
}

/** One line under the table: the counts and what the run cost. */
export function summaryLine(result: Result): string {
  const s = result.summary;
  const parts = (['succeeded', 'failed', 'pending', 'error'] as const).filter((k) => s[k] > 0).map((k) => `${s[k]} ${k}`);
  const { rounds, requests, elapsedMs } = result.stats;
  return `${s.total} document${s.total === 1 ? '' : 's'}: ${parts.join(', ') || 'none'} (outcome ${result.outcome}; ${rounds} round${rounds === 1 ? '' : 's'}, ${requests} request${requests === 1 ? '' : 's'}, ${formatDuration(elapsedMs)})`;
}

const cells = (columns: Column[], doc: DocumentReport) => columns.map((c) => sanitize(c.cell(doc)));

/** A terminal table (cli-table3), state coloured when colour is on. */
export async function renderTable(result: Result, opts: RenderOptions): Promise<string> {
  const [{ default: Table }, { Chalk }] = await Promise.all([import('cli-table3'), import('chalk')]);
  const chalk = new Chalk({ level: opts.colorLevel });
  const paint = new Map<State, (s: string) => string>([
    ['succeeded', chalk.green],
    ['failed', chalk.red],
    ['pending', chalk.yellow],
    ['error', chalk.magenta],
  ]);
  const columns = opts.columns;
  const table = new Table({
    head: columns.map((c) => c.header),
    style: { head: opts.colorLevel ? ['bold'] : [], border: [], compact: true },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const doc of result.documents) {
    const row = cells(columns, doc);
    const colour = paint.get(doc.state) ?? chalk.magenta;
    table.push(row.map((cell, i) => (columns[i]!.header === 'STATUS' || columns[i]!.header === 'STATE' ? colour(cell) : cell)));
  }
  return `${table.toString()}\n${summaryLine(result)}\n`;
}

/** A GitHub-flavoured Markdown table, for job summaries and pull-request comments. */
export function renderMarkdown(result: Result, opts: RenderOptions): string {
  const columns = opts.columns;
  const lines = [
    `| ${columns.map((c) => c.header).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...result.documents.map((d) => `| ${columns.map((c) => markdownCell(c.cell(d))).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n\n${summaryLine(result)}\n`;
}

/** The final output, in slices (ndjson: only the result line; its document lines were streamed as they happened). */
export async function render(result: Result, format: Format, opts: RenderOptions): Promise<Iterable<string>> {
  switch (format) {
    case 'json':
      return jsonChunks(result);
    case 'ndjson':
      return [ndjsonResult(result)];
    case 'markdown':
      return [renderMarkdown(result, opts)];
    case 'table':
      return [await renderTable(result, opts)];
    case 'junit': {
      // Loaded only here: the JUnit library (and lodash, xmlbuilder) is no cost to any other format.
      const { renderJunit } = await import('./junit.js');
      return [renderJunit(result, { finishedAt: opts.finishedAt ?? Date.now(), hostname: opts.hostname ?? 'localhost' })];
    }
  }
}
