import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';

export const MAX_ID_LENGTH = 2048;

/** Where document IDs may come from, as parsed from argv. */
export interface IdSources {
  positional: string[];
  idsFile?: string;
}

/** Standard input as the commands see it (injected so tests need no real terminal). */
export interface Stdin {
  isTTY?: boolean;
  read(): Promise<Buffer>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a file (or stdin for '-') as UTF-8 text; every failure is a UsageError naming the flag. */
export async function readText(path: string, flag: string, stdin: Stdin): Promise<string> {
  let bytes: Buffer;
  const where = path === '-' ? 'standard input' : path;
  try {
    bytes = path === '-' ? await stdin.read() : await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new UsageError(`${flag}: cannot read ${where}: ${why}`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new UsageError(`${flag}: ${where} is not valid UTF-8`);
  }
}

/** Checks one document ID; `where` names the flag or input line for the message. */
export function checkId(id: string, where: string): string {
  if (id.length === 0) throw new UsageError(`${where}: empty document ID`);
  if (id.length > MAX_ID_LENGTH) {
    throw new UsageError(`${where}: document ID is ${id.length} characters (at most ${MAX_ID_LENGTH})`);
  }
  return id;
}

/** One ID a line; blank lines and surrounding white space ignored. */
export function parseIdLines(text: string, where: string): string[] {
  const ids: string[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const id = raw.trim();
    if (id) ids.push(checkId(id, `${where}:${line}`));
  }
  return ids;
}

/** Positional IDs, then --ids-file; stdin when neither is given and stdin is not a terminal. Deduplicated, first seen first. */
export async function collectIds(src: IdSources, stdin: Stdin, allowEmpty = false): Promise<string[]> {
  const ids: string[] = src.positional.map((id, i) => checkId(id.trim(), `document ID #${i + 1}`));
  if (src.idsFile !== undefined) {
    const name = src.idsFile === '-' ? '<stdin>' : src.idsFile;
    // No push(...list): a million IDs would overflow the call stack as arguments.
    for (const id of parseIdLines(await readText(src.idsFile, '--ids-file', stdin), `--ids-file ${name}`)) ids.push(id);
  } else if (ids.length === 0 && !allowEmpty && !stdin.isTTY) {
    for (const id of parseIdLines(await readText('-', 'standard input', stdin), '<stdin>')) ids.push(id);
  }
  return dedupe(ids);
}

/** Keeps the first of each ID, in order. */
export function dedupe(ids: Iterable<string>): string[] {
  return [...new Set(ids)];
}

/** Reads all of a stream into one Buffer. */
export async function readStream(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  return Buffer.concat(parts);
}
