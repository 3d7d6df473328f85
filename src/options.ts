import { parseDuration } from './duration.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';
import type { Format } from './render/index.js';
import type { OutputFlags, PollFlags } from './run.js';

/** Poll and output flags as commander hands them over: strings, before validation. */
export interface RawCommonFlags {
  wait?: boolean;
  interval: string;
  timeout: string;
  failFast?: boolean;
  concurrency: string;
  requestTimeout: string;
  output?: Format;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
  wide?: boolean;
}

/** A whole number in [min, max], or a UsageError naming the flag. */
export function parseInteger(text: string, flag: string, min: number, max: number): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${flag}: '${text}' is not a whole number from ${min} to ${max}`);
  }
  return Number(text);
}

/** An http(s) URL, or a UsageError naming the flag. */
export function parseUrl(text: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag}: not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag}: '${url.protocol}' URLs are not supported (use https://)`);
  // A secret in a URL shows in `ps`, shell history and every message that names the URL: credentials go elsewhere.
  if (url.username || url.password) throw new UsageError(`${flag}: put no user name or password in the URL (credentials come from the environment)`);
  return url;
}

/** Validates the shared flags right after parsing: flag, then environment, then default. */
export function resolveCommon(raw: RawCommonFlags, io: Io): PollFlags & OutputFlags {
  const wait = raw.wait ?? false;
  if (raw.failFast && !wait) throw new UsageError('--fail-fast goes with --wait');
  const intervalMs = parseDuration(raw.interval, '--interval');
  if (intervalMs === 0) throw new UsageError('--interval must be more than 0');
  const requestTimeoutMs = parseDuration(raw.requestTimeout, '--request-timeout');
  if (requestTimeoutMs === 0) throw new UsageError('--request-timeout must be more than 0');
  return {
    wait,
    intervalMs,
    timeoutMs: parseDuration(raw.timeout, '--timeout'),
    failFast: raw.failFast ?? false,
    concurrency: parseInteger(raw.concurrency, '--concurrency', 1, 64),
    requestTimeoutMs,
    output: raw.output ?? (io.stdout.isTTY ? 'table' : 'json'),
    quiet: raw.quiet ?? false,
    verbose: raw.verbose ?? false,
    color: raw.color,
    wide: raw.wide ?? false,
  };
}
