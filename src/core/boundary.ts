// The one boundary every service answer crosses before any field of it is used (docs/contract.md "JSON": "A service
// answer is checked against the operation's published model before it is believed"). Each service folder writes the
// schemas of its operations from the published model (services/*/model.ts, zod/mini); this file checks an answer
// against one, and turns a mismatch into one line that names the field. zod is only ever loaded by the subcommands'
// chunks (build.mjs): cli.cjs, and so --help and --version, never import this file.
import * as z from 'zod/mini';
import { ServiceError } from './errors.js';
import { faultOpts } from './faults.js';
import { MALFORMED } from './outcome.js';
import { sanitize } from './sanitize.js';

/** A schema of one operation's answer (or of a part of it). */
export type Schema<T> = z.ZodMiniType<T>;

/** What the model's numbers mean, as reasons say it. */
const EXPECT_COUNT = 'a non-negative integer';

/** A count or size of the model (`integer`, `long`): a safe non-negative integer; "3", -3, 1.5 and 2^60 are not. */
export const count = () => z.int({ error: EXPECT_COUNT }).check(z.minimum(0, { error: EXPECT_COUNT }));
/** A string field. */
export const text = () => z.string({ error: 'a string' });
/** A structure of the model (a JSON object); members it does not name are dropped. */
export const struct = <T extends z.core.$ZodLooseShape>(shape: T) => z.object(shape, { error: 'an object' });
/** An optional field: absent, or JSON null (as Azure sends an absent value), or the type given. */
export const maybe = <T extends z.core.SomeType>(schema: T) => z.optional(z.nullable(schema));

/** An answer checked: its value as the schema gives it, or the one-line reason it is malformed. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Checks a value against a schema; the reason names the first field that does not fit, and what it holds. */
export function check<T>(schema: Schema<T>, value: unknown, what = 'the answer'): Checked<T> {
  const r = z.safeParse(schema, value);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  if (!issue) return { ok: false, reason: `malformed answer: ${what} does not fit the model` };
  const path = pathText(issue.path);
  const at = valueAt(value, issue.path);
  const field = path === '' ? what : path;
  const expected = issue.message;
  if (at.missing) return { ok: false, reason: `malformed answer: ${field} is missing, expected ${expected}` };
  return { ok: false, reason: `malformed answer: ${field} is ${shown(at.value)}, expected ${expected}` };
}

/** check(), or a ServiceError MalformedResponse with the reason: the error state of the documents the answer covered
 * (asked again with --wait, as any malformed answer is). */
export function checkAnswer<T>(schema: Schema<T>, value: unknown, what?: string): T {
  const r = check(schema, value, what);
  if (r.ok) return r.value;
  throw malformed(r.reason);
}

/** The fault of a malformed answer. */
export function malformed(reason: string): ServiceError {
  return new ServiceError(MALFORMED, reason, faultOpts('other'));
}

/** `summary.failed`, `value[3].id`, `error.innerError.code`. */
function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += `${out === '' ? '' : '.'}${sanitize(String(key)).slice(0, 100)}`;
  }
  return out;
}

/** The value the path leads to, read with Object.hasOwn (a key from the wire never reaches Object.prototype). */
function valueAt(root: unknown, path: readonly PropertyKey[]): { missing: boolean; value?: unknown } {
  let v: unknown = root;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return { missing: true };
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v === undefined ? { missing: true } : { missing: false, value: v };
}

/** A short, clean picture of a value from the wire: `"3"`, `-3`, `null`, `an array`, `an object`. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : 'a date';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'bigint') return `${value}`;
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  const cut = json.length > 60 ? `${json.slice(0, 60)}…` : json;
  return sanitize(wellFormed(cut));
}

/** Text with every lone surrogate (half of a pair, cut or forged) replaced by U+FFFD: it could not be written as UTF-8. */
export function wellFormed(text: string): string {
  return text.replace(/\p{Cs}/gu, '\ufffd');
}

/**
 * What one listing may hold (README "Failure modes"): a service whose list does not end (fresh documents on every page) must
 * end the run with an error, never fill the memory. 200,000 documents, and 32 Mi characters of their IDs together
 * (IDs of up to 2048 characters each): a few hundred MB at most.
 */
export interface ListingLimit {
  documents: number;
  idChars: number;
}
export const LISTING_LIMIT: ListingLimit = { documents: 200_000, idChars: 32 * 1024 * 1024 };

/** A counter of one listing against its limit: add() throws ListingLimit (an error of the run, not asked again) past it. */
export function listingLimit(limit: ListingLimit = LISTING_LIMIT): { add(id: string): void } {
  let documents = 0;
  let idChars = 0;
  return {
    add(id: string) {
      documents++;
      idChars += id.length;
      if (documents > limit.documents || idChars > limit.idChars) {
        const what = documents > limit.documents ? `more than ${limit.documents} documents` : `more than ${limit.idChars} characters of document IDs`;
        throw new ServiceError('ListingLimit', `the document list holds ${what}, the most one listing may hold; listing stopped`, faultOpts('document'));
      }
    },
  };
}
