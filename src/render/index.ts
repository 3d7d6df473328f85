import { formatDuration } from '../core/duration.js';
import { cutText, wrapWords } from '../core/wrap.js';
import { markdownCell, sanitize } from '../core/sanitize.js';
import type { State } from '../core/outcome.js';
import type { DocumentReport, Result } from '../core/result.js';
import type { Column } from './columns.js';
import type { JunitOptions } from './junit.js';

import type { Format } from './formats.js';

export type { Format } from './formats.js';

export interface RenderOptions {
  colorLevel: 0 | 1 | 2 | 3;
  /** the service's columns for this result (table and Markdown) */
  columns: Column[];
  /** the table fits this many columns (a terminal's: tableWidth); undefined: every cell whole */
  width?: number;
}

// A lone surrogate (half of a pair: a service's "\ud800", or a pair a cut split) is written by JSON.stringify as the
// escape \ud800, which strict parsers (jq) refuse as no UTF-8 text can hold it: it becomes \ufffd. Only an escape with
// an even run of backslashes before it is one (an odd run makes its backslash a literal one).
const LONE_SURROGATE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/** JSON text with every lone-surrogate escape replaced by \ufffd: valid for any strict parser. */
export function wellFormedJson(text: string): string {
  return text.includes('\\ud') ? text.replace(LONE_SURROGATE, '$1\\ufffd') : text;
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
  const frame = wellFormedJson(JSON.stringify({ ...result, documents: 'DOCSTATUS_DOCUMENTS' }, null, 2));
  const at = frame.indexOf(marker);
  const docs = result.documents;
  if (docs.length === 0) {
    yield `${frame.slice(0, at)}"documents": []${frame.slice(at + marker.length)}\n`;
    return;
  }
  yield `${frame.slice(0, at)}"documents": [\n`;
  for (let i = 0; i < docs.length; i += batch) {
    const part = docs.slice(i, i + batch).map((d) => `    ${wellFormedJson(JSON.stringify(d, null, 2)).replace(/\n/g, '\n    ')}`);
    yield part.join(',\n') + (i + batch < docs.length ? ',\n' : '\n');
  }
  yield `  ]${frame.slice(at + marker.length)}\n`;
}

/** One NDJSON line for a document seen or changed. */
export function ndjsonDocument(doc: DocumentReport, at: number): string {
  return `${wellFormedJson(JSON.stringify({ type: 'document', ...doc, at: new Date(at).toISOString() }))}\n`;
}

/** The last NDJSON line: the result without its documents. */
export function ndjsonResult(result: Result): string {
  const { documents: _documents, ...rest } = result;
  return `${wellFormedJson(JSON.stringify({ type: 'result', ...rest }))}\n`;
}

/** One line under the table: the counts and what the run cost. */
export function summaryLine(result: Result): string {
  const s = result.summary;
  const parts = (['succeeded', 'failed', 'pending', 'error'] as const).filter((k) => s[k] > 0).map((k) => `${s[k]} ${k}`);
  const { rounds, requests, elapsedMs } = result.stats;
  return `${s.total} document${s.total === 1 ? '' : 's'}: ${parts.join(', ') || 'none'} (outcome ${result.outcome}; ${rounds} round${rounds === 1 ? '' : 's'}, ${requests} request${requests === 1 ? '' : 's'}, ${formatDuration(elapsedMs)})`;
}

const cells = (columns: Column[], doc: DocumentReport) => columns.map((c) => sanitize(c.cell(doc)));

/**
 * The widths (padding included) that make a table of columns `natural` wide fit in `width` terminal columns: the long
 * columns (`shrinkable`) lose width, the widest first, down to `minimum`; the others keep theirs. Undefined when the
 * table fits as it is, or when it cannot fit even so (then every cell stays whole and the terminal wraps the rows:
 * cutting text would buy nothing).
 */
export function fitWidths(natural: readonly number[], minimum: readonly number[], shrinkable: readonly boolean[], width: number): number[] | undefined {
  // │ a │ b │: one border character before each column and one after the last
  const borders = natural.length + 1;
  let excess = natural.reduce((a, b) => a + b, 0) + borders - width;
  if (excess <= 0) return undefined;
  const room = natural.reduce((sum, w, i) => sum + (shrinkable[i] ? Math.max(0, w - minimum[i]!) : 0), 0);
  if (room < excess) return undefined;
  const widths = [...natural];
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (shrinkable[i] && widths[i]! > minimum[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    widths[widest]!--;
    excess--;
  }
  return widths;
}

/** The terminal width a table fits to: stdout's when it is a terminal that reports one, never with --wide. */
export function tableWidth(stdout: { isTTY?: boolean; columns?: number }, wide: boolean): number | undefined {
  return !wide && stdout.isTTY && stdout.columns ? stdout.columns : undefined;
}


/**
 * A terminal table (cli-table3), state coloured when colour is on. With `opts.width` (a terminal's), the long columns
 * are shortened with `…` so that no line is wider; the ID column never is (it is what users copy).
 */
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
  const draw = (widths?: number[]): string => {
    const table = new Table({
      head: columns.map((c) => c.header),
      style: { head: opts.colorLevel ? ['bold'] : [], border: [], compact: true },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
      ...(widths && { colWidths: widths }),
    });
    for (const doc of result.documents) {
      const row = cells(columns, doc);
      const colour = paint.get(doc.state) ?? chalk.magenta;
      table.push(
        row.map((cell, i) => {
          const header = columns[i]!.header;
          if (header === 'STATUS' || header === 'STATE') return colour(cell);
          return widths && columns[i]!.long ? cutText(cell, 2 * widths[i]!) : cell;
        }),
      );
    }
    return table.toString();
  };
  let text = draw();
  if (opts.width !== undefined) {
    // cli-table3 measures cells itself (wide characters and emoji count two): its top border gives each column's width.
    const natural = text.slice(1, text.indexOf('\n') - 1).split('┬').map((border) => border.length);
    const fitted = fitWidths(
      natural,
      columns.map((c) => c.header.length + 2),
      columns.map((c) => c.long === true),
      opts.width,
    );
    // cli-table3 cuts text one UTF-16 unit at a time: a wide character that does not fit leaves half of its surrogate
    // pair before the `…` (one column wide to cli-table3; a replacement character on the terminal). A space holds its place.
    if (fitted) text = draw(fitted).replace(/[\uD800-\uDBFF]…/g, '… ');
  }
  const summary = summaryLine(result);
  return `${text}\n${opts.width === undefined ? summary : wrapWords(summary, opts.width)}\n`;
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
/** `opts`: also when the result was made and on which host, for -o junit's suite. */
export async function render(result: Result, format: Format, opts: RenderOptions & JunitOptions): Promise<Iterable<string>> {
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
      return [renderJunit(result, opts)];
    }
  }
}
