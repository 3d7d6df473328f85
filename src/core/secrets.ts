import { escapeData, escapeProperty, markdownEscape, sanitize, xmlText } from './sanitize.js';

// The secrets of one run, and the one scrub every byte that leaves the process goes through (app/io.ts sinkOut, the
// Logger, the GitHub files). One Secrets per run (app/runtime.ts execute): two runs in one process share nothing.
//
// A secret is scrubbed in the form it is written in, not only as given: the outputs escape text (JSON for -o json and
// ndjson, XML for -o junit, Markdown for -o markdown and the step summary, @actions/core's escapes for annotations) and
// clean it (sanitize, xmlText), so a secret holding `"`, `\`, `<`, `&`, `|`, `%`, `:` or a control character is
// written in another form than its own. Each form becomes `***`, and so does the start of one that a cut ended (a table
// cell or a summary cell cut with `…`).
//
// A write is scrubbed as a whole: every writer of docstatus writes whole lines, whole documents or whole files, so no
// secret is ever split between two writes.

/**
 * The shortest secret that is scrubbed (README, "Secrets"). A 1- to 3-character secret (a proxy password `a`) would
 * blank every occurrence of an ordinary letter or word in the output, JSON keys included; the run warns instead that
 * it is not scrubbed (Logger.keepSecret).
 */
export const MIN_SECRET = 4;

/** What a scrubbed secret becomes; in Markdown (the step summary), escaped as the text around it is. */
export const SCRUBBED = '***';
export const SCRUBBED_MARKDOWN = '\\*\\*\\*';

/** The inside of a JSON string holding `text` (JSON.stringify without its quotes). */
const json = (text: string) => JSON.stringify(text).slice(1, -1);
/** xmlbuilder's escapes (the JUnit library's): an attribute value, and a text node. */
const xmlAttribute = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
const xmlNode = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');

/** How a text may be cleaned before it is written (services' cleanText, the renderers, workflowCommand's trim). */
const CLEANINGS: ReadonlyArray<(text: string) => string> = [(t) => t, sanitize, xmlText, (t) => sanitize(t).trim()];
/** How a cleaned text may be escaped where it is written. */
// JSON twice: a text shown as a JSON string inside JSON (an unknown status shown escaped, so it can equal no known one).
const ESCAPES: ReadonlyArray<(text: string) => string> = [(t) => t, json, (t) => json(JSON.stringify(t)), xmlAttribute, xmlNode, markdownEscape, escapeData, escapeProperty];

/** Percent-encoding (UTF-8, upper-case hex) of the characters `set` matches. */
const percent = (set: RegExp) => (text: string) =>
  text.replace(set, (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
/**
 * How a text may be percent-encoded in a URL that an output shows (a --verbose line's URL, a nextLink or a document ID
 * in a request path): by encodeURIComponent, by URLSearchParams, and by the WHATWG URL parser in a query, a path, a
 * fragment and a user name or password. A secret holding a space, `"`, `<`, `/` or a non-ASCII letter is written so.
 */
const ENCODINGS: ReadonlyArray<(text: string) => string> = [
  (t) => t,
  percent(/[^A-Za-z0-9\-_.!~*'()]/gu),
  (t) => percent(/[^A-Za-z0-9\-_.* ]/gu)(t).replace(/ /g, '+'),
  percent(/[\u0000-\u0020"#<>'\u007f-\u{10ffff}]/gu),
  percent(/[\u0000-\u0020"#<>?`{}\u007f-\u{10ffff}]/gu),
  percent(/[\u0000-\u0020"<>`\u007f-\u{10ffff}]/gu),
  percent(/[\u0000-\u0020"#<>?`{}/:;=@[\\\]^|\u007f-\u{10ffff}]/gu),
];
/** The Unicode normalizations a service may return a text in (an NFD key echoed back NFC). */
const NORMALIZATIONS = ['NFC', 'NFD', 'NFKC', 'NFKD'] as const;

/**
 * Every form in which an output may carry `secret` (at least MIN_SECRET long): as given or in another Unicode
 * normalization, then as given or percent-encoded, then each cleaning, then each escape. The scrub matches them in any
 * letter case (Secrets.scrub).
 */
export function writtenForms(secret: string): string[] {
  // stage by stage, each stage's results without repeats: most steps leave most texts as they are
  const stage = (texts: Iterable<string>, steps: ReadonlyArray<(text: string) => string>) => new Set([...texts].flatMap((t) => steps.map((step) => step(t))));
  const values = new Set([secret, ...NORMALIZATIONS.map((n) => secret.normalize(n))]);
  return [...stage(stage(stage(values, ENCODINGS), CLEANINGS), ESCAPES)].filter((f) => f.length >= MIN_SECRET);
}

const ELLIPSIS = '…';

/**
 * A form shorter than this is scrubbed only where it stands as a word of its own: not run on into a letter or digit at
 * an end where it has one (README, "Secrets"). The emulator's and LocalStack's `test` must not turn `<testsuite>` into
 * `<***suite>` (no longer XML) or `latest` into `la***`; `doc-test` and `"test"` are still scrubbed. From this length
 * on, a secret is scrubbed wherever it stands, inside any word.
 */
export const WHOLE_WORD_BELOW = 8;

/** One form's part of the scrub's pattern: escaped, and held to word ends when it is short (WHOLE_WORD_BELOW). */
function formPattern(form: string): string {
  const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (form.length >= WHOLE_WORD_BELOW) return escaped;
  const before = /^[a-z0-9]/i.test(form) ? '(?<![a-z0-9])' : '';
  const after = /[a-z0-9]$/i.test(form) ? '(?![a-z0-9])' : '';
  return `${before}${escaped}${after}`;
}

/** The secrets one run knows: keys and tokens from flags and the environment, resolved AWS credentials, proxy users and passwords. */
export class Secrets {
  private readonly values = new Set<string>();
  /** every written form of every secret, the longest first */
  private forms: string[] = [];
  private pattern?: RegExp;

  /**
   * Adds secrets (empty values are none). Returns those too short to scrub (below MIN_SECRET, or so once cleaned of
   * control characters: then only its longer forms are scrubbed): the caller says so.
   */
  add(values: Iterable<string | undefined>): string[] {
    const short: string[] = [];
    let added = false;
    for (const v of values) {
      if (!v || this.values.has(v)) continue;
      if (v.length < MIN_SECRET) {
        short.push(v);
        continue;
      }
      if (CLEANINGS.some((clean) => clean(v).length < MIN_SECRET)) short.push(v);
      this.values.add(v);
      added = true;
    }
    if (added) {
      this.forms = [...new Set([...this.values].flatMap(writtenForms))].sort((a, b) => b.length - a.length);
      // in any letter case: a service or a URL may show a secret upper- or lower-cased (a host name, a hex escape)
      this.pattern = new RegExp(this.forms.map(formPattern).join('|'), 'gi');
    }
    return short;
  }

  /** How many secrets are scrubbed. */
  get size(): number {
    return this.values.size;
  }

  /**
   * The text with every written form of every secret, and the start of one that a `…` cut, replaced by `***` (or
   * `replacement`).
   */
  scrub(text: string, replacement = SCRUBBED): string {
    if (!this.pattern || text.length === 0) return text;
    const out = text.replace(this.pattern, () => replacement);
    return out.includes(ELLIPSIS) ? this.scrubCuts(out, replacement) : out;
  }

  /** A secret's form cut short by a `…` (cutText, cli-table3): the part before it, if at least MIN_SECRET long. */
  private scrubCuts(text: string, replacement: string): string {
    let out = '';
    let from = 0;
    for (let at = text.indexOf(ELLIPSIS); at >= 0; at = text.indexOf(ELLIPSIS, at + 1)) {
      const longest = this.cutBefore(text, at, from);
      out += text.slice(from, at - longest) + (longest > 0 ? replacement : '');
      from = at;
    }
    return out + text.slice(from);
  }

  /** The length of the longest start of a form (MIN_SECRET or more, not all of it) that ends at `at`, after `floor`; else 0. */
  private cutBefore(text: string, at: number, floor: number): number {
    if (at - floor < MIN_SECRET) return 0;
    const tail = text.slice(at - MIN_SECRET, at);
    let longest = 0;
    for (const form of this.forms) {
      // every place the last MIN_SECRET characters before the `…` occur in the form is a candidate end of its start
      for (let i = form.indexOf(tail); i >= 0 && i + MIN_SECRET < form.length; i = form.indexOf(tail, i + 1)) {
        const k = i + MIN_SECRET;
        if (k > longest && k <= at - floor && text.startsWith(form.slice(0, k), at - k)) longest = k;
      }
    }
    return longest;
  }
}
