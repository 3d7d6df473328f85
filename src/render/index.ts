import { Chalk } from 'chalk';
import { formatDuration } from '../duration.js';
import { sanitize } from '../sanitize.js';
import type { State } from '../states.js';
import type { DocumentReport, Result } from '../types.js';
import { type Column, columnsFor } from './columns.js';

import type { Format } from './formats.js';

export type { Format } from './formats.js';

export interface RenderOptions {
  colorLevel: 0 | 1 | 2 | 3;
  wide?: boolean;
}

/** The result as --output json prints it. */
export function renderJson(result: Result): string {
  return `${JSON.stringify(result, null, 2)}\n`;
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
  const { default: Table } = await import('cli-table3');
  const chalk = new Chalk({ level: opts.colorLevel });
  const paint: Record<State, (s: string) => string> = {
    succeeded: chalk.green,
    failed: chalk.red,
    pending: chalk.yellow,
    error: chalk.magenta,
  };
  const columns = columnsFor(result.service, opts.wide ?? false);
  const table = new Table({
    head: columns.map((c) => c.header),
    style: { head: opts.colorLevel ? ['bold'] : [], border: [], compact: true },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const doc of result.documents) {
    const row = cells(columns, doc);
    const colour = paint[doc.state];
    table.push(row.map((cell, i) => (columns[i]!.header === 'STATUS' || columns[i]!.header === 'STATE' ? colour(cell) : cell)));
  }
  return `${table.toString()}\n${summaryLine(result)}\n`;
}

/** A GitHub-flavoured Markdown table, for job summaries and pull-request comments. */
export function renderMarkdown(result: Result, opts: RenderOptions): string {
  const columns = columnsFor(result.service, opts.wide ?? false);
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
  const lines = [
    `| ${columns.map((c) => c.header).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...result.documents.map((d) => `| ${cells(columns, d).map(esc).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n\n${summaryLine(result)}\n`;
}

/** The final output for any format but ndjson (whose document lines were streamed as they happened). */
export async function render(result: Result, format: Format, opts: RenderOptions): Promise<string> {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'ndjson':
      return ndjsonResult(result);
    case 'markdown':
      return renderMarkdown(result, opts);
    case 'table':
      return renderTable(result, opts);
  }
}
