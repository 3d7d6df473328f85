import { code, type Column, detailColumn, id, reason, state, status } from '../../render/columns.js';

/** kendra-status's table: --wide splits DETAIL into CODE and REASON (a column to sort and filter on). */
export function kendraColumns(wide: boolean): Column[] {
  return wide ? [id, status, state, code, reason] : [id, status, state, detailColumn];
}
