/**
 * Words of `text` on lines of at most `width` columns, the second and later lines starting with `indent` (counted in
 * the width); a word longer than a line keeps a line of its own, whole. Help (app/help.ts) and the table's summary
 * line (render/index.ts) both wrap with it.
 */
export function wrapWords(text: string, width: number, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && (lines.length ? indent.length : 0) + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

/**
 * Text cut to at most `max` code points (never inside a surrogate pair), marked with `…`: the table's long cells
 * (bounding cli-table3's own cut, one character at a time over the whole string) and the step summary's cells.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (++n > max) return `${out}…`;
    out += ch;
  }
  return out;
}
