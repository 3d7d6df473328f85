import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/index.js';
import { markdownCell, sanitize, xmlText } from '../../src/core/sanitize.js';
import { kendraColumns } from '../../src/services/kendra/columns.js';
import type { Result } from '../../src/core/result.js';

describe('sanitize: nothing invisible or reordering reaches an output', () => {
  it.each([
    ['U+202E right-to-left override', 'exe.\u202Efdp.txt', 'exe.fdp.txt'],
    ['every bidi embedding and override', 'a\u202Ab\u202Bc\u202Cd\u202De\u202Ef', 'abcdef'],
    ['every bidi isolate', 'a\u2066b\u2067c\u2068d\u2069e', 'abcde'],
    ['directional marks', 'a\u200Eb\u200Fc\u061Cd', 'abcd'],
    ['zero-width characters', 'I\u200BN\u200CD\u200DE\u2060X\uFEFFED', 'INDEXED'],
    ['invisible operators', 'a\u2061b\u2062c\u2063d\u2064e', 'abcde'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a b c'],
    ['ANSI, C0 and C1 controls', '\u001b[31mred\u001b[0m\u0007\r\u009b1m!', 'red!'],
    ['tabs and newlines', 'a\tb\nc', 'a b c'],
    ['ordinary text, other scripts and emoji', 'Échec: ファイル 🙂 (x)', 'Échec: ファイル 🙂 (x)'],
  ])('%s', (_name, input, output) => {
    expect(sanitize(input)).toBe(output);
  });
});

describe('xmlText: nothing XML 1.0 forbids reaches a JUnit report', () => {
  it.each([
    ['NUL and the other C0 controls', 'a\u0000b\u0001c\u001fd', 'abcd'],
    ['an escape sequence', 'x\u001b[31my', 'xy'],
    ['lone surrogates, high and low', 'a\ud800b\udfffc', 'abc'],
    ['U+FFFE and U+FFFF', 'a\ufffeb\uffffc', 'abc'],
    ['a pair cut in half at the end (what a length cut leaves)', `ok ${'🙂'.slice(0, 1)}`, 'ok '],
    ['emoji and other planes stay', 'Échec 🙂 𝄞 ファイル', 'Échec 🙂 𝄞 ファイル'],
    ["XML's own markup stays (the writer escapes it)", ']]> <a href="x"> & \'', ']]> <a href="x"> & \''],
  ])('%s', (_name, input, output) => {
    expect(xmlText(input)).toBe(output);
  });
});

describe('markdownCell: GitHub renders text, not markup', () => {
  it.each([
    ['raw HTML', '<img src=x onerror=alert(1)>', '\\<img src=x onerror=alert\\(1\\)\\>'],
    ['a link', '[click](https://evil.example/)', '\\[click\\]\\(https://evil.example/\\)'],
    ['an image', '![x](y)', '\\!\\[x\\]\\(y\\)'],
    ['emphasis and code', '**bold** _it_ `code` ~~gone~~', '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~gone\\~\\~'],
    ['an entity reference', '&#8238;&lt;', '\\&#8238;\\&lt;'],
    ['the cell separator and the escape character', 'a|b\\c', 'a\\|b\\\\c'],
    ['a cell stays on one line', 'one\ntwo\r\nthree\u2028four', 'one two three four'],
    ['bidi and zero-width are gone too', 'x\u202Ey\u200Bz', 'xyz'],
    ['plain text is unchanged', 'Document 7: failed, see log.', 'Document 7: failed, see log.'],
  ])('%s', (_name, input, output) => {
    expect(markdownCell(input)).toBe(output);
  });

  it('a whole table: every cell escaped, one line a document', () => {
    const result: Result = {
      service: 'kendra',
      target: { indexId: 'x' },
      outcome: 'failed',
      complete: true,
      summary: { total: 1, succeeded: 0, failed: 1, pending: 0, error: 0, byStatus: { FAILED: 1 } },
      documents: [{ id: 'a<b>', status: 'FAILED', state: 'failed', failureCode: 'X', failureReason: '[pwn](javascript:alert(1))\n<img src=x>\u202E' }],
      stats: { rounds: 1, requests: 1, elapsedMs: 3 },
    };
    expect(renderMarkdown(result, { colorLevel: 0, columns: kendraColumns(false) })).toBe(
      [
        '| ID | STATUS | STATE | DETAIL |',
        '| --- | --- | --- | --- |',
        '| a\\<b\\> | FAILED | failed | X: \\[pwn\\]\\(javascript:alert\\(1\\)\\) \\<img src=x\\> |',
        '',
        '1 document: 1 failed (outcome failed; 1 round, 1 request, 3ms)',
        '',
      ].join('\n'),
    );
  });
});
