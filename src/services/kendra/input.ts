import type { DocumentAttribute, DocumentInfo } from '@aws-sdk/client-kendra';
import { UsageError } from '../../core/errors.js';
import { checkId } from '../../core/input.js';
import { isObject } from '../../core/json.js';
import { cutText } from '../../core/wrap.js';

const INDEX_ID = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
const ATTRIBUTE_KEY = /^[a-zA-Z0-9_][a-zA-Z0-9_-]*$/;
/** The attributes BatchGetDocumentStatus knows (DocumentInfo.Attributes in the API reference). */
export const STATUS_ATTRIBUTES = ['datasourceId', 'jobExecutionId', 'version'] as const;

/** IndexId: 36 characters, [a-zA-Z0-9][a-zA-Z0-9-]* (the Kendra model). */
export function checkIndexId(id: string | undefined): string {
  if (id === undefined || id === '') {
    throw new UsageError('--index-id is required (or set KENDRA_INDEX_ID)');
  }
  if (id.length !== 36 || !INDEX_ID.test(id)) {
    throw new UsageError(`--index-id: '${cutText(id, 60)}' is not a Kendra index ID (36 characters of letters, digits and '-')`);
  }
  return id;
}

/** --attribute KEY=VALUE: a StringValue attribute for every DocumentInfo. */
export function parseAttributeFlag(text: string): DocumentAttribute {
  const eq = text.indexOf('=');
  const key = eq < 0 ? text : text.slice(0, eq);
  const value = eq < 0 ? '' : text.slice(eq + 1);
  if (eq < 0 || !value) throw new UsageError(`--attribute: '${text}' is not KEY=VALUE`);
  if (!(STATUS_ATTRIBUTES as readonly string[]).includes(key)) {
    throw new UsageError(`--attribute: unknown key '${key}' (BatchGetDocumentStatus takes ${STATUS_ATTRIBUTES.join(', ')})`);
  }
  if (value.length > 2048) throw new UsageError(`--attribute: the value of ${key} is over 2048 characters`);
  return { Key: key, Value: { StringValue: value } };
}

/** datasourceId and jobExecutionId go together (the API reference). */
export function checkAttributeSet(attrs: readonly DocumentAttribute[]): void {
  const keys = new Set(attrs.map((a) => a.Key));
  if (keys.has('datasourceId') !== keys.has('jobExecutionId')) {
    throw new UsageError('--attribute: datasourceId and jobExecutionId must be given together');
  }
  if (keys.size !== attrs.length) throw new UsageError('--attribute: a key is given twice');
}

/** --document-info: a JSON array, or JSON Lines, of DocumentInfo in the API's own shape. */
export function parseDocumentInfo(text: string, where: string, source = 'in the file'): DocumentInfo[] {
  const trimmed = text.trim();
  const none = () => new UsageError(`${where}: no DocumentInfo ${source}`);
  if (!trimmed) throw none();
  if (trimmed.startsWith('[')) {
    let items: unknown;
    try {
      items = JSON.parse(trimmed);
    } catch (err) {
      throw new UsageError(`${where}: malformed JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(items)) throw new UsageError(`${where}: expected a JSON array`);
    if (items.length === 0) throw none();
    return items.map((item, i) => toDocumentInfo(item, `${where}: item ${i + 1}`));
  }
  const out: DocumentInfo[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    if (!raw.trim()) continue;
    let item: unknown;
    try {
      item = JSON.parse(raw);
    } catch (err) {
      throw new UsageError(`${where}:${line}: malformed JSON: ${(err as Error).message}`);
    }
    out.push(toDocumentInfo(item, `${where}:${line}`));
  }
  return out;
}


function toDocumentInfo(item: unknown, where: string): DocumentInfo {
  if (!isObject(item)) throw new UsageError(`${where}: expected an object with DocumentId`);
  for (const key of Object.keys(item)) {
    if (key !== 'DocumentId' && key !== 'Attributes') throw new UsageError(`${where}: unknown field '${key}'`);
  }
  if (typeof item.DocumentId !== 'string') throw new UsageError(`${where}: DocumentId must be a string`);
  const info: DocumentInfo = { DocumentId: checkId(item.DocumentId, where) };
  if (item.Attributes !== undefined) {
    if (!Array.isArray(item.Attributes)) throw new UsageError(`${where}: Attributes must be an array`);
    info.Attributes = item.Attributes.map((a, i) => toAttribute(a, `${where}: Attributes[${i}]`));
  }
  return info;
}

function toAttribute(attr: unknown, where: string): DocumentAttribute {
  if (!isObject(attr) || typeof attr.Key !== 'string' || !isObject(attr.Value)) {
    throw new UsageError(`${where}: expected {"Key": ..., "Value": {...}}`);
  }
  if (attr.Key.length < 1 || attr.Key.length > 200 || !ATTRIBUTE_KEY.test(attr.Key)) {
    throw new UsageError(`${where}: bad Key '${cutText(attr.Key, 60)}'`);
  }
  const entries = Object.entries(attr.Value);
  if (entries.length !== 1) {
    throw new UsageError(`${where}: Value must hold exactly one of StringValue, StringListValue, LongValue, DateValue`);
  }
  const [type, v] = entries[0]!;
  const bad = () => new UsageError(`${where}: bad ${type}`);
  switch (type) {
    case 'StringValue':
      if (typeof v !== 'string' || v.length < 1 || v.length > 2048) throw bad();
      return { Key: attr.Key, Value: { StringValue: v } };
    case 'StringListValue':
      if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s.length >= 1 && s.length <= 2048)) throw bad();
      return { Key: attr.Key, Value: { StringListValue: v } };
    case 'LongValue':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad();
      return { Key: attr.Key, Value: { LongValue: v } };
    case 'DateValue': {
      // The API's JSON carries epoch seconds; ISO-8601 text is accepted too.
      const date = typeof v === 'number' ? new Date(v * 1000) : typeof v === 'string' ? new Date(v) : undefined;
      if (!date || Number.isNaN(date.getTime())) throw bad();
      return { Key: attr.Key, Value: { DateValue: date } };
    }
    default:
      throw new UsageError(`${where}: unknown value type '${type}'`);
  }
}
