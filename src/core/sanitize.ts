// ANSI escape sequences (CSI, OSC, two-byte ESC forms), then any remaining C0/C1 control character.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Characters that change how text around them is shown without being seen: bidi embeddings, overrides and isolates
// (U+202A-U+202E, U+2066-U+2069), directional marks (U+200E, U+200F, U+061C), zero-width and invisible characters
// (U+200B-U+200D, U+2060-U+2064, U+FEFF). A failure reason with U+202E can show a terminal or a GitHub page text
// that reads backwards from what it says.
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// Line and paragraph separators break a line where a renderer honours them, like \n.
const BREAKS = /[\t\n\u2028\u2029]/g;

/** Service text is untrusted: remove escape sequences, control and invisible characters; line breaks and tabs become spaces. */
export function sanitize(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '').replace(INVISIBLE, '').replace(BREAKS, ' ');
}

/** sanitize() for optional values straight from a response; non-strings become undefined. */
export function cleanText(value: unknown): string | undefined {
  return typeof value === 'string' ? sanitize(value) : undefined;
}

// Everything GitHub's Markdown could read as markup inside a table cell: emphasis, code, links and images, raw HTML,
// entity references (`&#8238;` is U+202E), strikethrough, the cell separator and the escape character itself.
const MARKDOWN = /[\\`*_[\]()<>!|~&]/g;

/** One Markdown table cell: sanitised, on one line, every markup character backslash-escaped so it renders as text. */
export function markdownCell(text: string): string {
  return sanitize(text).replace(MARKDOWN, '\\$&');
}
