import { type Column, detail, id, state, status, text } from '../../render/columns.js';

/** kb-status's table: the reason the service gives (statusReason) or the error; --wide adds when it last changed. */
export function kbColumns(wide: boolean): Column[] {
  const reason: Column = { header: 'REASON', cell: (d) => text(d.statusReason) || detail(d), long: true };
  return wide ? [id, status, state, reason, { header: 'UPDATED', cell: (d) => text(d.updatedAt) }] : [id, status, state, reason];
}
