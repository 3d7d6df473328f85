import type { DocumentReport, ServiceName } from '../core/result.js';

/** A column of the table and Markdown views: a header and how to read the cell from a document. */
export interface Column {
  header: string;
  cell: (doc: DocumentReport) => string;
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
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const id: Column = { header: 'ID', cell: (d) => text(d.id) };
const status: Column = { header: 'STATUS', cell: (d) => text(d.status) || '-' };
const state: Column = { header: 'STATE', cell: (d) => text(d.state) };

/** The code of what went wrong with a document: its failure code, or its error code. */
const code: Column = { header: 'CODE', cell: (d) => text(d.failureCode) || text(d.errorCode) };
/** The words of what went wrong: the failure reason, or the error message. */
const reason: Column = { header: 'REASON', cell: (d) => text(d.failureReason) || text(d.errorMessage) };

/**
 * The columns of each service's view. --wide: Kendra splits DETAIL into CODE and REASON (a column to sort and
 * filter on); Azure trades the failure reason for the target path.
 */
export function columnsFor(service: ServiceName, wide: boolean): Column[] {
  if (service === 'kendra') return wide ? [id, status, state, code, reason] : [id, status, state, { header: 'DETAIL', cell: detail }];
  if (service === 'translation-batch') {
    return [
      id,
      status,
      state,
      {
        header: 'DOCUMENTS',
        cell: (d) => {
          const s = d.batchSummary;
          if (typeof s !== 'object' || s === null) return '';
          const { success, total, failed, inProgress, notYetStarted } = s as Record<string, unknown>;
          const n = [success, total, failed, inProgress, notYetStarted].map(num);
          if (n.some((v) => v === undefined)) return '';
          const [ok, all, bad, running, waiting] = n as number[];
          return `${ok}/${all} succeeded, ${bad} failed, ${running! + waiting!} pending`;
        },
      },
      { header: 'DETAIL', cell: detail },
    ];
  }
  return [
    id,
    status,
    {
      header: 'PROGRESS',
      cell: (d) => (typeof d.progress === 'number' ? `${Math.round(d.progress * 100)}%` : ''),
    },
    { header: 'TO', cell: (d) => text(d.to) },
    { header: 'CHARS', cell: (d) => text(d.characterCharged) },
    wide ? { header: 'PATH', cell: (d) => text(d.path ?? d.sourcePath) } : { header: 'REASON', cell: detail },
  ];
}
