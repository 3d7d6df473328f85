import { constants as bufferConstants } from 'node:buffer';
import { closeSync, constants, createReadStream, fstatSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { isatty, ReadStream } from 'node:tty';
import { UsageError } from './errors.js';

export const MAX_ID_LENGTH = 2048;

/** Where document IDs may come from, as parsed from argv. */
export interface IdSources {
  positional: string[];
  /** every --ids-file, in the order given (the flag is repeatable) */
  idsFiles?: readonly string[];
}

/** Standard input as the commands see it (injected so tests need no real terminal). */
export interface Stdin {
  isTTY?: boolean;
  read(): Promise<Buffer>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The most bytes one input (an ID list, --document-info, a scenario, standard input) is read to: the longest string
 * V8 makes (2^29-24 characters, ~512 MiB). A longer input could not be decoded anyway; /dev/zero must not fill memory.
 */
const MAX_INPUT_BYTES = bufferConstants.MAX_STRING_LENGTH;

/** Thrown when an input passes MAX_INPUT_BYTES (readText names the flag). */
export class InputTooLarge extends Error {
  override readonly name = 'InputTooLarge';
}

/** Reads a file (or stdin for '-') as UTF-8 text; every failure is a UsageError naming the flag. */
export async function readText(path: string, flag: string, stdin: Stdin, signal?: AbortSignal): Promise<string> {
  let bytes: Buffer;
  const where = path === '-' ? 'standard input' : path;
  try {
    bytes = path === '-' ? await stdin.read() : await readPath(path, signal);
  } catch (err) {
    if (err instanceof InputInterrupted) throw err;
    if (err instanceof InputTooLarge) throw new UsageError(`${flag}: ${where} is larger than ${Math.round(MAX_INPUT_BYTES / 2 ** 20)} MiB, the most docstatus reads`);
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

// '.' and '..' (also spelt %2e: WHATWG URL parsing reads %2e%2e as ..) are dot segments: in a URL path they change
// which resource is asked (`batches/B1/documents/..` is `batches/B1`), whatever encoding is applied.
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** The characters of a string as the services count them (an emoji is one, not two UTF-16 units); stops past atMost. */
export function codePoints(text: string, atMost = Number.POSITIVE_INFINITY): number {
  let n = 0;
  for (const _ of text) if (++n > atMost) break;
  return n;
}

/** Checks one document ID; `where` names the flag or input line for the message. `inPath`: the ID goes into a URL path. */
export function checkId(id: string, where: string, inPath = false): string {
  if (id.length === 0) throw new UsageError(`${where}: empty document ID`);
  // The services count characters (code points), JavaScript UTF-16 units: count again only when it can matter.
  if (id.length > MAX_ID_LENGTH && codePoints(id) > MAX_ID_LENGTH) {
    throw new UsageError(`${where}: document ID is ${codePoints(id)} characters (at most ${MAX_ID_LENGTH})`);
  }
  if (inPath && DOT_SEGMENT.test(id)) throw new UsageError(`${where}: '${id}' is not an ID (in a URL path it would name another resource)`);
  return id;
}

/**
 * Why an ID from a line of an ID list looks like a mistake, if it does: it starts with `#` (a comment), or white space
 * is inside it (two IDs on one line, a comment after an ID). `id` is the line with its surrounding white space (a
 * Windows `\r` too) already removed: that is ignored, never a mistake. The ID is asked all the same: IDs may contain
 * anything.
 */
export function oddIdLine(id: string): string | undefined {
  if (id.startsWith('#')) return "starts with '#'";
  if (/\s/.test(id)) return 'holds white space';
  return undefined;
}

/**
 * One ID a line; blank lines and surrounding white space ignored. Lines that look like mistakes (oddIdLine) make one
 * `warn` call for the whole list, naming the first and counting the others.
 */
export function parseIdLines(text: string, where: string, inPath = false, warn?: (message: string) => void): string[] {
  const ids: string[] = [];
  let line = 0;
  let odd = 0;
  let first = '';
  for (const raw of text.split('\n')) {
    line++;
    const id = raw.trim();
    if (!id) continue;
    ids.push(checkId(id, `${where}:${line}`, inPath));
    const why = oddIdLine(id);
    if (why && odd++ === 0) first = `${where} line ${line} ${why}`;
  }
  if (odd > 0 && warn) {
    const more = odd - 1;
    const others = more === 0 ? '' : ` (and ${more} more line${more === 1 ? ' looks like a comment or holds' : 's look like comments or hold'} white space)`;
    warn(`${first}${others}; IDs are used as written`);
  }
  return ids;
}

export interface CollectOptions {
  /** read standard input when no ID is given and it is not a terminal (default true) */
  readStdin?: boolean;
  /** the IDs go into URL paths: '.' and '..' are refused */
  inPath?: boolean;
  /** told once per ID list (--ids-file, standard input) whose lines look like mistakes (oddIdLine) */
  warn?: (message: string) => void;
  /** the run's interrupt: ends the wait for an --ids-file that never opens (readText) */
  signal?: AbortSignal;
  /** filled, when given, with where each ID was first seen, as the input's own messages name it */
  origins?: Map<string, string>;
}

/**
 * Positional IDs, then each --ids-file in turn; stdin when neither is given and stdin is not a terminal. Deduplicated,
 * first seen first. An --ids-file with no ID in it is bad input (a pipeline that wrote nothing); empty stdin gives no
 * IDs. Positional IDs are never warned about: the shell split them, so a space or `#` in one was quoted on purpose.
 */
export async function collectIds(src: IdSources, stdin: Stdin, opts: CollectOptions = {}): Promise<string[]> {
  const inPath = opts.inPath ?? false;
  const ids: string[] = [];
  const add = (list: readonly string[], where: (i: number) => string) => {
    // No push(...list): a million IDs would overflow the call stack as arguments.
    for (let i = 0; i < list.length; i++) {
      ids.push(list[i]!);
      if (opts.origins && !opts.origins.has(list[i]!)) opts.origins.set(list[i]!, where(i));
    }
  };
  add(
    src.positional.map((id, i) => checkId(id.trim(), `document ID #${i + 1}`, inPath)),
    (i) => `document ID #${i + 1}`,
  );
  const files = src.idsFiles ?? [];
  if (files.filter((path) => path === '-').length > 1) throw new UsageError('--ids-file - is given twice: standard input can be read only once');
  for (const path of files) {
    const name = `--ids-file ${path === '-' ? '<stdin>' : path}`;
    const fromFile = parseIdLines(await readText(path, '--ids-file', stdin, opts.signal), name, inPath, opts.warn);
    if (fromFile.length === 0) throw new UsageError(`--ids-file ${path}: no document IDs ${path === '-' ? 'on standard input' : 'in the file'}`);
    add(fromFile, () => name);
  }
  if (files.length === 0 && ids.length === 0 && (opts.readStdin ?? true) && !stdin.isTTY) {
    add(parseIdLines(await readText('-', 'standard input', stdin), '<stdin>', inPath, opts.warn), () => '<stdin>');
  }
  return dedupe(ids);
}

/** Keeps the first of each ID, in order. */
export function dedupe(ids: Iterable<string>): string[] {
  return [...new Set(ids)];
}

/** Thrown when the user interrupts the run while it still reads its input (nothing was sent yet). */
export class InputInterrupted extends Error {
  override readonly name = 'InputInterrupted';
}

/**
 * A file's bytes. A FIFO (mkfifo, `<(cmd)`) is opened without blocking and read as a pipe, which an interrupt (the
 * signal) ends: a blocking open() of a FIFO nobody writes waits in a libuv worker thread that nothing can wake, and
 * the process cannot even exit over it (libuv joins its threads at exit), so SIGTERM would never end the run.
 * A terminal (`--ids-file /dev/stdin` or `/dev/tty` at a prompt) is read as `-` reads one, for the same reason: a
 * blocking read() of it in a worker thread outlived Ctrl-C and SIGTERM.
 */
async function readPath(path: string, signal?: AbortSignal): Promise<Buffer> {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let stream: (AsyncIterable<Buffer | string> & { destroy(): void }) | undefined;
  let size = 0;
  try {
    const info = fstatSync(fd);
    if (info.isFIFO()) stream = new Socket({ fd, readable: true, writable: false });
    else if (isatty(fd)) stream = new ReadStream(fd);
    // A device (/dev/zero, a disk): a stream too, which the signal ends and MAX_INPUT_BYTES cuts off.
    else if (!info.isFile() && !info.isDirectory()) stream = createReadStream(path, { fd });
    size = info.size;
  } finally {
    if (!stream) closeSync(fd);
  }
  if (stream) return readStream(stream, signal, `interrupted while reading ${path}`);
  if (size > MAX_INPUT_BYTES) throw new InputTooLarge();
  return readFile(path);
}

/**
 * Reads all of a stream into one Buffer; an interrupt (the signal) ends the wait for a stream that never closes, and
 * one longer than `max` bytes is cut off (InputTooLarge).
 */
export async function readStream(
  stream: AsyncIterable<Buffer | string>,
  signal?: AbortSignal,
  why = 'interrupted while reading standard input',
  max = MAX_INPUT_BYTES,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  // A stream still open would keep the process alive after the result (or read on): let it go.
  const release = () => (stream as { destroy?: () => void }).destroy?.();
  const read = (async () => {
    for await (const part of stream) {
      const bytes = typeof part === 'string' ? Buffer.from(part) : part;
      total += bytes.length;
      if (total > max) {
        release();
        throw new InputTooLarge();
      }
      parts.push(bytes);
    }
  })();
  if (signal) {
    let onAbort: () => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        release();
        reject(new InputInterrupted(why));
      };
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([read, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  } else await read;
  return Buffer.concat(parts);
}

/** Splits a list into chunks of at most size items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
