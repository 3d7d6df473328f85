// ANSI escape sequences (CSI, OSC, two-byte ESC forms), then any remaining C0/C1 control character.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Characters that change how text around them is shown without being seen: bidi embeddings, overrides and isolates
// (U+202A-U+202E, U+2066-U+2069), directional marks (U+200E, U+200F, U+061C), zero-width and invisible characters
// (U+200B-U+200D, U+2060-U+2064, U+FEFF). A failure reason with U+202E can show a terminal or a GitHub page text
// that reads backwards from what it says.
// Unicode tag characters (U+E0000-U+E007F) spell invisible text too.
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/gu;
// Line and paragraph separators break a line where a renderer honours them, like \n.
const BREAKS = /[\t\n\u2028\u2029]/g;

/**
 * Service text is untrusted: remove escape sequences, control and invisible characters; line breaks and tabs become
 * spaces. Pure: the run's secrets are scrubbed where output leaves the process (core/secrets.ts, app/io.ts).
 */
export function sanitize(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '').replace(INVISIBLE, '').replace(BREAKS, ' ');
}

/** The most characters of one piece of service text that an output carries (a 1 MB error message is cut there). */
export const MAX_TEXT = 2000;

/** sanitize() for optional values straight from a response, at most MAX_TEXT characters; non-strings become undefined. */
export function cleanText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // The first cut is marked `…` too: when cleaning leaves less than MAX_TEXT of it, the mark is what tells the sink that a
  // secret may end there cut short (core/secrets.ts, the cut rule).
  const text = sanitize(value.length > 4 * MAX_TEXT ? `${value.slice(0, /[\ud800-\udbff]/.test(value[4 * MAX_TEXT - 1]!) ? 4 * MAX_TEXT - 1 : 4 * MAX_TEXT)}…` : value);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

// Everything GitHub's Markdown could read as markup inside a table cell: emphasis, code, links and images, raw HTML,
// entity references (`&#8238;` is U+202E), strikethrough, the cell separator and the escape character itself.
const MARKDOWN = /[\\`*_[\]()<>!|~&]/g;

/** Every Markdown markup character of a text backslash-escaped, so it renders as text. */
export function markdownEscape(text: string): string {
  return text.replace(MARKDOWN, '\\$&');
}

/** One Markdown table cell: sanitised, on one line, every markup character backslash-escaped so it renders as text. */
export function markdownCell(text: string): string {
  return markdownEscape(sanitize(text));
}

// What XML 1.0 does not allow anywhere in a document (its Char production): C0 controls but tab, line feed and carriage
// return, lone surrogates (a pair that MAX_TEXT's cut split), U+FFFE and U+FFFF. An XML parser stops at the first one.
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Service text for an XML attribute or text node: sanitised, then anything XML 1.0 forbids removed. */
export function xmlText(text: string): string {
  return sanitize(text).replace(NOT_XML, '');
}

/** @actions/core's escapeData: the message of a workflow command. `%` first, so `%0A` in the text stays text. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** @actions/core's escapeProperty: a property value; `:` and `,` would end the value or the properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
