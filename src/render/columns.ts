import type { DocumentReport } from '../core/result.js';

/** A column of the table and Markdown views: a header and how to read the cell from a document. */
export interface Column {
  header: string;
  cell: (doc: DocumentReport) => string;
  /** a long text (a message, a path): the column a table on a terminal shortens, with `…`, to fit its width */
  long?: boolean;
}

/** What went wrong with a document, in one line: failure reason, or error code and message. */
export function detail(doc: DocumentReport): string {
  if (doc.failureReason || doc.failureCode) return [doc.failureCode, doc.failureReason].filter(Boolean).join(': ');
  if (doc.errorCode || doc.errorMessage) return [doc.errorCode, doc.errorMessage].filter(Boolean).join(': ');
  const azure = doc.error as { code?: unknown; message?: unknown } | undefined;
  if (azure && typeof azure === 'object') return [azure.code, azure.message].filter((v) => typeof v === 'string' && v).join(': ');
  return '';
}

/** A service value as cell text: strings and numbers only. An object from the wire is never converted with String():
 * its own `toString` key (a JSON string) would make that throw. */
export const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const id: Column = { header: 'ID', cell: (d) => text(d.id) };
export const status: Column = { header: 'STATUS', cell: (d) => text(d.status) || '-' };
export const state: Column = { header: 'STATE', cell: (d) => text(d.state) };

/** The code of what went wrong with a document: its failure code, or its error code. */
export const code: Column = { header: 'CODE', cell: (d) => text(d.failureCode) || text(d.errorCode) };
/** The words of what went wrong: the failure reason, or the error message. */
export const reason: Column = { header: 'REASON', cell: (d) => text(d.failureReason) || text(d.errorMessage), long: true };

/** The DETAIL column: what went wrong, in one line. */
export const detailColumn: Column = { header: 'DETAIL', cell: detail, long: true };

/** A service's columns for the table and Markdown views of one result; --wide may show more. */
export type ColumnsFor = (wide: boolean) => Column[];
