import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrapWords } from '../../src/core/wrap.js';
import { fitWidths, renderTable, tableWidth } from '../../src/render/index.js';
import type { Column } from '../../src/render/columns.js';
import type { DocumentReport, Result } from '../../src/core/result.js';
import { kbColumns } from '../../src/services/bedrock-kb/columns.js';
import { kendraColumns } from '../../src/services/kendra/columns.js';
import { batchColumns, documentColumns } from '../../src/services/translator/columns.js';
import { propertyParams } from '../property.js';

const LONG = 'The document could not be parsed because its text layer is damaged; export it again and resubmit it';

const result = (documents: DocumentReport[]): Result => ({
  service: 'kendra',
  target: { indexId: 'x' },
  outcome: 'failed',
  complete: true,
  summary: { total: documents.length, succeeded: 0, failed: documents.length, pending: 0, error: 0, byStatus: {} },
  documents,
  stats: { rounds: 1, requests: 1, elapsedMs: 5 },
});

/** Terminal columns of a line of the characters these tests use: CJK ideographs, kana and emoji are two wide. */
function displayWidth(line: string): number {
  let n = 0;
  for (const ch of line) {
    const c = ch.codePointAt(0)!;
    n += (c >= 0x3000 && c <= 0x9fff) || (c >= 0x1f300 && c <= 0x1faff) ? 2 : 1;
  }
  return n;
}

const lines = (text: string) => text.trimEnd().split('\n');
/** The lines of the table, without the summary under it. */
const table = (text: string) => lines(text).slice(0, lines(text).findIndex((l) => l.startsWith('└')) + 1);

// Each service's default columns, with a document whose long column (reason, detail, batch counts) is too wide.
// The Azure tables cannot fit 80 columns: a 36-character ID and the short columns alone take 80 or more.
const SERVICES: Array<[string, Column[], DocumentReport[], fits80?: false]> = [
  [
    'kendra-status',
    kendraColumns(false),
    [
      { id: 'reports/2026/q3-final.pdf', status: 'FAILED', state: 'failed', failureCode: 'InvalidDocument', failureReason: LONG },
      { id: 'doc-2', status: 'INDEXED', state: 'succeeded' },
    ],
  ],
  [
    'kb-status',
    kbColumns(false),
    [
      { id: 's3://bucket/reports/q3-final.pdf', status: 'FAILED', state: 'failed', statusReason: LONG },
      { id: 'doc-2', status: 'INDEXED', state: 'succeeded' },
    ],
  ],
  [
    'translate-status (documents), translate-docs',
    documentColumns(false),
    [
      { id: '0a1b2c3d-0000-4000-8000-00000000d0c1', status: 'ValidationFailed', state: 'failed', progress: 0, to: 'fr', characterCharged: 0, error: { code: 'InvalidRequest', message: LONG } },
      { id: '0a1b2c3d-0000-4000-8000-00000000d0c2', status: 'Succeeded', state: 'succeeded', progress: 1, to: 'fr', characterCharged: 1234 },
    ],
    false,
  ],
  [
    'translate-status (batch)',
    batchColumns(),
    [
      {
        id: '8d1b6a3e-0000-4000-8000-0000000000d1',
        status: 'ValidationFailed',
        state: 'failed',
        batchSummary: { success: 10, total: 20, failed: 5, inProgress: 3, notYetStarted: 2 },
        error: { code: 'InvalidRequest', message: LONG },
      },
    ],
    false,
  ],
];

describe('a table on a terminal fits its width', () => {
  for (const [name, columns, documents, fits80] of SERVICES) {
    it.each(fits80 === false ? [100, 120] : [80, 120])(`${name} at %i columns: every line fits, every ID is whole, the long column ends in …`, async (width) => {
      const text = await renderTable(result(documents), { colorLevel: 0, columns, width });
      for (const line of lines(text)) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      const rows = table(text);
      // the table itself is not narrower than it needs to be: its lines are exactly the width
      expect(rows.map(displayWidth)).toEqual(rows.map(() => width));
      for (const doc of documents) expect(rows.some((r) => r.startsWith(`│ ${doc.id} `))).toBe(true);
      expect(text).toContain('…');
      expect(text).not.toContain(LONG);
    });

    it(`${name} with no width (--wide, not a terminal)${fits80 === false ? ', or at 80 columns' : ''}: every cell whole`, async () => {
      const text = await renderTable(result(documents), { colorLevel: 0, columns });
      expect(text).toContain(LONG);
      expect(text).not.toContain('…');
      expect(displayWidth(table(text)[0]!)).toBeGreaterThan(120);
      if (fits80 === false) expect(table(await renderTable(result(documents), { colorLevel: 0, columns, width: 80 }))).toEqual(table(text));
    });
  }

  it('kendra-status at 80 columns, exactly', async () => {
    const text = await renderTable(result(SERVICES[0]![2]), { colorLevel: 0, columns: kendraColumns(false), width: 80 });
    expect(text).toBe(
      [
        '┌───────────────────────────┬─────────┬───────────┬────────────────────────────┐',
        '│ ID                        │ STATUS  │ STATE     │ DETAIL                     │',
        '│ reports/2026/q3-final.pdf │ FAILED  │ failed    │ InvalidDocument: The docu… │',
        '│ doc-2                     │ INDEXED │ succeeded │                            │',
        '└───────────────────────────┴─────────┴───────────┴────────────────────────────┘',
        '2 documents: 2 failed (outcome failed; 1 round, 1 request, 5ms)',
        '',
      ].join('\n'),
    );
  });

  it('a table that fits keeps every cell whole, and so does one whose IDs alone are too wide (the terminal wraps it)', async () => {
    const short = await renderTable(result([{ id: 'a', status: 'FAILED', state: 'failed', failureReason: 'short' }]), { colorLevel: 0, columns: kendraColumns(false), width: 80 });
    expect(short).toBe(await renderTable(result([{ id: 'a', status: 'FAILED', state: 'failed', failureReason: 'short' }]), { colorLevel: 0, columns: kendraColumns(false) }));
    const id = `s3://bucket/${'x'.repeat(80)}.pdf`;
    const docs = [{ id, status: 'FAILED', state: 'failed' as const, failureReason: LONG }];
    const wide = await renderTable(result(docs), { colorLevel: 0, columns: kendraColumns(false), width: 80 });
    expect(wide).toContain(id);
    expect(wide).toContain(LONG);
  });

  it('wide characters and emoji cut at a character, never half of one, and the columns stay aligned', async () => {
    const reason = `${'日本語のテキスト'.repeat(3)} 😀😀😀😀😀😀😀😀😀😀 ${'😀'.repeat(20)}`;
    for (const width of [60, 61, 62, 63, 64, 65, 66, 67, 80, 81]) {
      const docs: DocumentReport[] = [
        { id: 'doc-😀', status: 'FAILED', state: 'failed', failureReason: reason },
        { id: 'ドキュメント', status: 'FAILED', state: 'failed', failureReason: `a${reason}` },
        { id: 'c', status: 'FAILED', state: 'failed', failureReason: `ab${reason.slice(20)}` },
      ];
      const text = await renderTable(result(docs), { colorLevel: 0, columns: kendraColumns(false), width });
      const rows = table(text);
      expect(new Set(rows.map(displayWidth))).toEqual(new Set([width]));
      expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\uFFFD/);
      expect(rows.filter((r) => r.includes('…'))).toHaveLength(3);
      expect(rows.some((r) => r.startsWith('│ doc-😀 '))).toBe(true);
      expect(rows.some((r) => r.startsWith('│ ドキュメント '))).toBe(true);
    }
  });

  it('colour does not count: a coloured table is as wide as a plain one', async () => {
    const docs = SERVICES[0]![2];
    const plain = await renderTable(result(docs), { colorLevel: 0, columns: kendraColumns(false), width: 80 });
    const coloured = await renderTable(result(docs), { colorLevel: 1, columns: kendraColumns(false), width: 80 });
    expect(coloured).toContain('\u001b[');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('any cells, any width: a table that can fit fits, aligned, IDs whole; one that cannot keeps every cell whole', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '-', '日', '😀', 'é'), maxLength: 70 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ id: cell.filter((s) => s.trim() === s && s !== ''), status: cell, reason: cell }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 30, max: 160 }), async (docs, width) => {
        const documents: DocumentReport[] = docs.map((d) => ({ id: d.id, status: d.status, state: 'failed', failureReason: d.reason }));
        const text = await renderTable(result(documents), { colorLevel: 0, columns: kendraColumns(false), width });
        const rows = table(text);
        const widths = new Set(rows.map(displayWidth));
        expect(widths.size).toBe(1);
        for (const d of documents) expect(rows.some((r) => r.startsWith(`│ ${d.id} `))).toBe(true);
        const [w] = widths;
        if (w! > width) {
          // it could not fit: nothing was cut
          expect(text).not.toContain('…');
          for (const d of docs) if (d.reason) expect(text).toContain(d.reason);
        }
      }),
      propertyParams(200),
    );
  });
});

describe('fitWidths', () => {
  it('shrinks the widest long column first, down to its minimum; undefined when it fits or cannot', () => {
    // 10 + 10 + 30 + 4 borders = 54
    expect(fitWidths([10, 10, 30], [4, 4, 8], [false, false, true], 54)).toBeUndefined();
    expect(fitWidths([10, 10, 30], [4, 4, 8], [false, false, true], 50)).toEqual([10, 10, 26]);
    expect(fitWidths([10, 20, 30], [4, 8, 8], [false, true, true], 44)).toEqual([10, 15, 15]);
    expect(fitWidths([10, 20, 30], [4, 8, 8], [false, true, true], 30)).toEqual([10, 8, 8]);
    expect(fitWidths([10, 20, 30], [4, 8, 8], [false, true, true], 29)).toBeUndefined();
  });
});

describe('tableWidth and wrapWords', () => {
  it('a terminal with a size, not --wide', () => {
    expect(tableWidth({ isTTY: true, columns: 80 }, false)).toBe(80);
    expect(tableWidth({ isTTY: true, columns: 80 }, true)).toBeUndefined();
    expect(tableWidth({ isTTY: false, columns: 80 }, false)).toBeUndefined();
    expect(tableWidth({ isTTY: true, columns: 0 }, false)).toBeUndefined();
    expect(tableWidth({}, false)).toBeUndefined();
  });

  it('wraps at spaces; a word longer than the width keeps a line of its own', () => {
    expect(wrapWords('3 documents: 1 succeeded, 2 failed', 14)).toBe('3 documents: 1\nsucceeded, 2\nfailed');
    expect(wrapWords('a verylongword b', 5)).toBe('a\nverylongword\nb');
    expect(wrapWords('fits', 80)).toBe('fits');
  });
});
