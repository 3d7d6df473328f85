import { type Column, detail, detailColumn, id, num, state, status, text } from '../../render/columns.js';

/** translate-status BATCH_ID: the batch, with its document counts. */
export function batchColumns(): Column[] {
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
      long: true,
    },
    detailColumn,
  ];
}

/** Documents of a batch (translate-status with IDs, translate-docs): --wide trades the failure reason for the target path. */
export function documentColumns(wide: boolean): Column[] {
  return [
    id,
    status,
    { header: 'PROGRESS', cell: (d) => (typeof d.progress === 'number' ? `${Math.round(d.progress * 100)}%` : '') },
    { header: 'TO', cell: (d) => text(d.to) },
    { header: 'CHARS', cell: (d) => text(d.characterCharged) },
    ...(wide
      ? ([
          { header: 'PATH', cell: (d) => text(d.path ?? d.sourcePath), long: true },
          // 2026-03-01: the model that translated it, and its images scanned (succeeded/failed)
          { header: 'MODEL', cell: (d) => text(d.deploymentName), long: true },
          {
            header: 'IMAGES',
            cell: (d) => (num(d.totalImageScansSucceeded) === undefined ? '' : `${num(d.totalImageScansSucceeded)}/${(num(d.totalImageScansSucceeded) ?? 0) + (num(d.totalImageScansFailed) ?? 0)}`),
          },
        ] satisfies Column[])
      : [{ header: 'REASON', cell: detail, long: true }]),
  ];
}
