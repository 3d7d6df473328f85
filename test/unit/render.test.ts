import { describe, expect, it } from 'vitest';
import { jsonChunks, ndjsonDocument, ndjsonResult, renderJson, renderMarkdown } from '../../src/render/index.js';
import { kendraColumns } from '../../src/services/kendra/columns.js';
import type { Result } from '../../src/core/result.js';

const result = (n: number, extra: Partial<Result> = {}): Result => ({
  service: 'kendra',
  target: { indexId: 'x' },
  outcome: 'succeeded',
  complete: true,
  summary: { total: n, succeeded: n, failed: 0, pending: 0, error: 0, byStatus: { INDEXED: n } },
  documents: Array.from({ length: n }, (_, i) => ({ id: `d"${i}\n`, status: 'INDEXED', state: 'succeeded', ...(i % 3 === 0 && { error: { code: 'c', innerError: { message: 'm' } } }) })),
  stats: { rounds: 1, requests: Math.ceil(n / 10), elapsedMs: 5 },
  ...extra,
});

describe('JSON output', () => {
  it.each([0, 1, 2, 999, 1000, 1001, 2500])('%i documents: slices join to exactly JSON.stringify(result, null, 2)', (n) => {
    const r = result(n, n === 2 ? { errors: [{ code: 'PageLoop', message: 'x' }] } : {});
    const expected = `${JSON.stringify(r, null, 2)}\n`;
    expect([...jsonChunks(r)].join('')).toBe(expected);
    expect(renderJson(r)).toBe(expected);
    const slices = [...jsonChunks(r, 100)];
    expect(slices.join('')).toBe(expected);
    expect(slices.length).toBe(n === 0 ? 1 : 2 + Math.ceil(n / 100));
  });
});

describe('NDJSON and Markdown', () => {
  it('a document line carries type and at; the result line has no documents', () => {
    expect(JSON.parse(ndjsonDocument({ id: 'a', state: 'pending' }, Date.parse('2026-11-23T10:00:00Z')))).toEqual({
      type: 'document',
      id: 'a',
      state: 'pending',
      at: '2026-11-23T10:00:00.000Z',
    });
    const line = JSON.parse(ndjsonResult(result(3)));
    expect(line.type).toBe('result');
    expect(line.documents).toBeUndefined();
    expect(line.summary.total).toBe(3);
  });

  it('escapes pipes and strips control characters in Markdown cells', () => {
    const md = renderMarkdown(
      { ...result(0), documents: [{ id: 'a|b', status: 'FAILED', state: 'failed', failureReason: 'x\u001b[1m|y\nz' }] },
      { colorLevel: 0, columns: kendraColumns(false) },
    );
    expect(md.split('\n')[2]).toBe('| a\\|b | FAILED | failed | x\\|y z |');
  });
});
