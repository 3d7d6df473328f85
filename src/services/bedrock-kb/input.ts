import { UsageError } from '../../core/errors.js';

/** knowledgeBaseId and dataSourceId: `^[0-9a-zA-Z]{10}$` (the Bedrock Agent model's Id). */
const ID = /^[0-9a-zA-Z]{10}$/;
/** S3Location.uri: 1 to 2048 characters matching `^s3://.{1,128}$` (the model's S3BucketUri). */
const S3_URI = /^s3:\/\/.{1,128}$/s;
/** CustomDocumentIdentifier.id: 1 to 2048 characters, no pattern. */
const MAX_CUSTOM_ID = 2048;

/** The type of a data source, as DocumentIdentifier.dataSourceType names it. */
export type DataSourceType = 'CUSTOM' | 'S3';

/** A knowledge base or data source ID, or a UsageError naming the flag. */
export function checkKbId(value: string | undefined, flag: string, variable: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required (or set ${variable})`);
  if (!ID.test(value)) throw new UsageError(`${flag}: '${value.slice(0, 60)}' is not a Bedrock ID (10 letters and digits)`);
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

/** Checks one document identifier against the model's limits for its type; `where` names the input. */
export function checkIdentifier(id: string, type: DataSourceType, where: string): string {
  if (type === 'S3') {
    if (id.length > 2048 || !S3_URI.test(id)) throw new UsageError(`${where}: '${id.slice(0, 60)}' is not an S3 document URI (s3://, then 1 to 128 characters)`);
  } else if (id.length > MAX_CUSTOM_ID) {
    throw new UsageError(`${where}: document ID is ${id.length} characters (at most ${MAX_CUSTOM_ID})`);
  }
  return id;
}
