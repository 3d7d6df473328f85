import { describe, expect, it } from 'vitest';
import { collectIds, oddIdLine, parseIdLines } from '../../src/core/input.js';

const warnings = () => {
  const seen: string[] = [];
  return { seen, warn: (m: string) => seen.push(m) };
};

describe('ID lines that look like mistakes', () => {
  it.each([
    ['#doc-1', "starts with '#'"],
    ['# a comment', "starts with '#'"],
    ['doc-1 doc-2', 'holds white space'],
    ['doc-1\tdoc-2', 'holds white space'],
    ['doc-1 # the first', 'holds white space'],
    ['s3://bucket/my file.pdf', 'holds white space'],
    ['doc\u00a01', 'holds white space'],
    ['doc-1', undefined],
    ['doc#1', undefined],
    ['a|b', undefined],
  ])('%j: %s', (id, why) => expect(oddIdLine(id)).toBe(why));

  it('one warning for the list: the first such line and how many more; the IDs are kept as written', () => {
    const w = warnings();
    const ids = parseIdLines('doc-1\n\n# old ones:\ndoc-2  doc-3\r\n #doc-4 \ndoc-5\n', '--ids-file ids.txt', false, w.warn);
    expect(ids).toEqual(['doc-1', '# old ones:', 'doc-2  doc-3', '#doc-4', 'doc-5']);
    expect(w.seen).toEqual(["--ids-file ids.txt line 3 starts with '#' (and 2 more lines look like comments or hold white space); IDs are used as written"]);
  });

  it('one more line, or none', () => {
    const two = warnings();
    parseIdLines('a b\n#c\n', '<stdin>', false, two.warn);
    expect(two.seen).toEqual(['<stdin> line 1 holds white space (and 1 more line looks like a comment or holds white space); IDs are used as written']);
    const one = warnings();
    parseIdLines('a\nb c\n', '<stdin>', false, one.warn);
    expect(one.seen).toEqual(['<stdin> line 2 holds white space; IDs are used as written']);
  });

  it('surrounding white space and a Windows \\r are not mistakes (they are ignored, as ever)', () => {
    const w = warnings();
    expect(parseIdLines('  doc-1  \r\n\tdoc-2\r\n\r\n', 'f', false, w.warn)).toEqual(['doc-1', 'doc-2']);
    expect(w.seen).toEqual([]);
  });

  it('a bad line is the one error, with no warning before it', () => {
    const w = warnings();
    expect(() => parseIdLines(`# x\n${'z'.repeat(2049)}\n`, '<stdin>', false, w.warn)).toThrow('<stdin>:2: document ID is 2049 characters (at most 2048)');
    expect(w.seen).toEqual([]);
  });

  it('collectIds warns for --ids-file and standard input, never for positional IDs', async () => {
    const stdin = (text: string, isTTY = false) => ({ isTTY, read: async () => Buffer.from(text) });
    const positional = warnings();
    expect(await collectIds({ positional: ['# a', 'b c'] }, stdin('', true), { warn: positional.warn })).toEqual(['# a', 'b c']);
    expect(positional.seen).toEqual([]);
    const piped = warnings();
    expect(await collectIds({ positional: [] }, stdin('#a\nb\n'), { warn: piped.warn })).toEqual(['#a', 'b']);
    expect(piped.seen).toEqual(["<stdin> line 1 starts with '#'; IDs are used as written"]);
    const file = warnings();
    expect(await collectIds({ positional: ['x'], idsFiles: ['-'] }, stdin('x y\n'), { warn: file.warn })).toEqual(['x', 'x y']);
    expect(file.seen).toEqual(['--ids-file <stdin> line 1 holds white space; IDs are used as written']);
  });
});
