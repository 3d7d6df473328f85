import { UsageError } from '../../core/errors.js';
import { codePoints } from '../../core/input.js';
import { sanitize } from '../../core/sanitize.js';
import { cutText } from '../../core/wrap.js';

/** knowledgeBaseId and dataSourceId: `^[0-9a-zA-Z]{10}$` (the Bedrock Agent model's Id). */
const ID = /^[0-9a-zA-Z]{10}$/;
/**
 * S3Location.uri: `^s3://.{1,128}$` (the model's S3BucketUri; its length, 1 to 2048, is implied). A Smithy pattern is an
 * ECMA 262 expression without flags, so `.` is no line break; Smithy counts a string in code points, hence `u`.
 */
const S3_URI = /^s3:\/\/.{1,128}$/u;
/** CustomDocumentIdentifier.id: 1 to 2048 characters (Smithy's length counts code points), no pattern. */
const MAX_CUSTOM_ID = 2048;

/** A value as a message quotes it: on one line, no control characters, at most 60 characters of it (a cut marked `…`). */
const quote = (value: string) => `'${sanitize(cutText(value, 60))}'`;

/** The type of a data source, as DocumentIdentifier.dataSourceType names it. */
export type DataSourceType = 'CUSTOM' | 'S3';

/** A knowledge base or data source ID, or a UsageError naming the flag. */
export function checkKbId(value: string | undefined, flag: string, variable: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required (or set ${variable})`);
  if (!ID.test(value)) throw new UsageError(`${flag}: ${quote(value)} is not a Bedrock ID (10 letters and digits)`);
  return value;
}

/**
 * The data source type of the document IDs: --data-source-type when given, else by the `s3://` prefix. The model puts
 * no pattern on a custom ID, so one may start with `s3://` too: then say --data-source-type CUSTOM.
 */
export function dataSourceTypeOf(ids: readonly string[], flag: DataSourceType | undefined): DataSourceType {
  if (flag) return flag;
  let s3 = 0;
  for (const id of ids) if (id.startsWith('s3://')) s3++;
  if (s3 > 0 && s3 < ids.length) {
    throw new UsageError('document IDs mix s3:// URIs and custom IDs, but a data source is one or the other: pass --data-source-type CUSTOM or S3');
  }
  return s3 > 0 ? 'S3' : 'CUSTOM';
}

/** What is wrong with one document identifier for its type, by the model's limits; undefined when nothing is. */
export function identifierProblem(id: string, type: DataSourceType): string | undefined {
  if (type === 'S3') return S3_URI.test(id) ? undefined : `${quote(id)} is not an S3 document URI (s3://, then 1 to 128 characters)`;
  if (id.length === 0) return 'empty document ID';
  const n = id.length > MAX_CUSTOM_ID ? codePoints(id, MAX_CUSTOM_ID) : id.length;
  return n > MAX_CUSTOM_ID ? `document ID is more than ${MAX_CUSTOM_ID} characters` : undefined;
}

/** Checks one document identifier against the model's limits for its type; `where` names the input. */
export function checkIdentifier(id: string, type: DataSourceType, where: string): string {
  const problem = identifierProblem(id, type);
  if (problem) throw new UsageError(`${where}: ${problem}`);
  return id;
}
