import { type Command, Help } from 'commander';
import { wrapWords } from '../core/wrap.js';

// How --help fits a terminal. commander wraps a description only when the column beside the terms leaves 40 columns
// (minWidthToWrap); the subcommand terms (`translate-status [options] <batchId> [documentIds...]`) left 23 at 80
// columns, so it printed the lines whole and the terminal broke them in mid-word. Here: the command list shows names,
// a description that cannot sit beside its term goes under it, and the Usage line and the examples wrap at spaces.

const INDENT = '      ';

/** The words of a shell line, quotes kept with their word (`--order-by "createdDateTimeUtc asc"` is two words). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      word += ch;
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"') word += line[++i] ?? '';
    } else if (ch === ' ') {
      if (word) words.push(word);
      word = '';
    } else {
      word += ch;
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '\\') word += line[++i] ?? '';
    }
  }
  if (word) words.push(word);
  return words;
}

/** One example, `  $ ` first, on lines of at most `width` columns continued with ` \` (a shell reads it as one line). */
export function exampleLines(example: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of shellWords(example)) {
    const prefix = lines.length === 0 ? '  $ ' : INDENT;
    // room for the ` \` that continues it
    if (line && prefix.length + line.length + 1 + word.length + 2 > width) {
      lines.push(`${prefix}${line} \\`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(`${lines.length === 0 ? '  $ ' : INDENT}${line}`);
  return lines.join('\n');
}

/** A list of `  term  text` lines (the exit codes) on lines of at most `width` columns, each text wrapped under itself. */
export function listLines(list: string, width: number): string {
  return list
    .split('\n')
    .map((line) => {
      const m = /^( +\S+ +)(\S.*)$/.exec(line);
      return m ? m[1]! + wrapWords(m[2]!, width - m[1]!.length).replace(/\n/g, `\n${' '.repeat(m[1]!.length)}`) : line;
    })
    .join('\n');
}

/** commander's help, configured to fit `helpWidth` columns without breaking a word (see above). */
export const HELP_CONFIG: Partial<Help> = {
  subcommandTerm: (cmd: Command) => cmd.name(),
  formatItem(term: string, termWidth: number, description: string, helper: Help): string {
    const width = helper.helpWidth ?? 80;
    if (!description || width - termWidth - 4 >= helper.minWidthToWrap) return Help.prototype.formatItem.call(helper, term, termWidth, description, helper);
    return `  ${term}\n${helper.boxWrap(description, width - INDENT.length).replace(/^/gm, INDENT)}`;
  },
  formatHelp(cmd: Command, helper: Help): string {
    const text = Help.prototype.formatHelp.call(helper, cmd, helper);
    const end = text.indexOf('\n');
    // "Usage: docstatus translate-status [options] <batchId> [documentIds...]", continued under its first word
    return wrapWords(text.slice(0, end), helper.helpWidth ?? 80, '       ') + text.slice(end);
  },
};
