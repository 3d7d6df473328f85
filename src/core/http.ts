import { ServiceError } from './errors.js';
import { faultOpts } from './faults.js';

/** No answer is read past this, for any service (CONTRACT.md "Credentials and endpoints"). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** A response body as undici and node:http hand it over. */
export interface BodyStream extends AsyncIterable<Uint8Array> {
  destroy(err?: Error): unknown;
}

/** The fault of an answer over the cap: not retried, not asked again (the next answer would be as large). */
export function tooLarge(limit = MAX_RESPONSE_BYTES): ServiceError {
  return new ServiceError('ResponseTooLarge', `the response is larger than ${Math.round(limit / 1024 / 1024)} MiB; refused`, faultOpts('document'));
}

/**
 * Reads a whole body, at most `limit` bytes: a larger `content-length` is refused before reading, and a body that
 * passes the cap anyway (a lying or absent content-length) is cut off there. The signal (the run stopping, or
 * --request-timeout) destroys the stream at once, so a server that trickles its answer cannot hold the request.
 */
export async function readBody(body: BodyStream, opts: { signal?: AbortSignal; contentLength?: unknown; limit?: number } = {}): Promise<Buffer> {
  const limit = opts.limit ?? MAX_RESPONSE_BYTES;
  const declared = Number(Array.isArray(opts.contentLength) ? opts.contentLength[0] : opts.contentLength);
  if (Number.isFinite(declared) && declared > limit) {
    body.destroy();
    throw tooLarge(limit);
  }
  const signal = opts.signal;
  const cutOff = () => body.destroy(new ServiceError('RequestAborted', 'the answer was cut off', faultOpts('transient')));
  if (signal?.aborted) cutOff();
  signal?.addEventListener('abort', cutOff, { once: true });
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const part of body) {
      size += part.length;
      if (size > limit) {
        body.destroy();
        throw tooLarge(limit);
      }
      parts.push(part);
    }
  } finally {
    signal?.removeEventListener('abort', cutOff);
  }
  return Buffer.concat(parts, size);
}
