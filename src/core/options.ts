import { parseDuration } from './duration.js';
import { UsageError } from './errors.js';
import type { Io } from '../app/io.js';
import type { OUTPUT_FLAGS, POLL_FLAGS, RawFlags } from './flags.js';
import type { OutputFlags, PollFlags } from './run-poll.js';
import { cutText } from './wrap.js';

/** Poll and output flags as commander hands them over: strings, before validation (from their declaration). */
export type RawCommonFlags = RawFlags<typeof POLL_FLAGS & typeof OUTPUT_FLAGS>;

/** What a credential may hold: visible ASCII (it goes into HTTP headers). */
export const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** A whole number in [min, max], or a UsageError naming the flag. */
export function parseInteger(text: string, flag: string, min: number, max: number): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${flag}: '${text}' is not a whole number from ${min} to ${max}`);
  }
  return Number(text);
}

/** A decimal number: digits with an optional point and fraction (5, 0.5, .5, 5.), an optional exponent (1e9, 1.5e2). */
const DECIMAL = /^\s*\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * A positive finite number in decimal form (a fraction allowed: 0.5 is one request every 2 s), or a UsageError naming
 * the flag. No hex, no Infinity, nothing that overflows to it (1e400), no unit.
 */
export function parseRate(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!DECIMAL.test(text) || !(n > 0) || !Number.isFinite(n)) throw new UsageError(`${flag}: '${text}' is not a positive number`);
  return n;
}

/**
 * An http(s) URL, or a UsageError naming where it came from (a flag or an environment variable). The message never
 * repeats the URL: it may hold a secret.
 */
export function parseUrl(text: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${source}: not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${source}: '${url.protocol}' URLs are not supported (use https://)`);
  // A secret in a URL shows in `ps`, shell history and every message that names the URL: credentials go elsewhere.
  if (url.username || url.password) throw new UsageError(`${source}: put no user name or password in the URL (credentials come from the environment)`);
  return url;
}

/**
 * A value as one line of a message: control characters escaped (`\r`, `\n`, `\x1b`), cut to 100 characters with `…`
 * (the mark the sink's cut rule knows: a long secret given as the value is scrubbed, its start included).
 */
export function shown(text: string): string {
  const cut = cutText(text, 100);
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\r' ? '\\r' : c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/**
 * A region (AWS's, or Azure's Ocp-Apim-Subscription-Region), or a UsageError naming where it came from, the value and
 * why it is none. A region is one host name label: letters, digits and '-', 1 to 63 characters, no '-' at either end
 * (the AWS SDK's own rule, isValidHostLabel; every Azure region name fits it too). Checked before any request: the SDK
 * would otherwise call a bad one "no region", and Azure would be sent a header it cannot hold.
 */
export function parseRegion(text: string, source: string): string {
  if (/^(?!-)[A-Za-z0-9-]{1,63}$/.test(text) && !text.endsWith('-')) return text;
  const rule = "a region is letters, digits and '-', such as eu-west-1 or westeurope";
  if (text === '') throw new UsageError(`${source}: an empty value is not a region (${rule})`);
  const bad = [...text].find((c) => !/[A-Za-z0-9-]/.test(c));
  let why: string;
  if (bad === ' ') why = 'it holds a space';
  else if (bad !== undefined && shown(bad) !== bad) why = `it holds a control character (${shown(bad)})`;
  else if (bad !== undefined) why = `it holds '${bad}'`;
  else if (text.length > 63) why = 'it is longer than 63 characters';
  else why = "it starts or ends with '-'";
  throw new UsageError(`${source}: '${shown(text)}' is not a region (${why}; ${rule})`);
}

/** Loopback hosts (`localhost`, 127.0.0.0/8, ::1): the only ones a credential may reach over plain http. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * A service endpoint, checked the same way wherever it comes from (`source` names the flag or variable): an http(s)
 * URL without user name, password, query or fragment, and, when a credential goes with every request, plain http only
 * to loopback. Decided here, before any request.
 */
export function parseEndpoint(text: string, source: string, opts: { credentials: boolean; what?: string }): URL {
  const url = parseUrl(text, source);
  if (url.search || url.hash) throw new UsageError(`${source}: give the endpoint URL without a query or fragment`);
  if (opts.credentials && url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new UsageError(`${source}: refusing to send ${opts.what ?? 'credentials'} over plain http to ${url.host} (use https://; http is allowed only to loopback)`);
  }
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
  // Under a second a heartbeat is a flood in the log, not a sign of life: 0 (none) or at least 1s.
  const progressIntervalMs = parseDuration(raw.progressInterval, '--progress-interval');
  if (progressIntervalMs > 0 && progressIntervalMs < 1000) throw new UsageError('--progress-interval must be 0 (none) or at least 1s');
  return {
    wait,
    intervalMs,
    timeoutMs: parseDuration(raw.timeout, '--timeout'),
    failFast: raw.failFast ?? false,
    concurrency: parseInteger(raw.concurrency, '--concurrency', 1, 64),
    requestTimeoutMs,
    maxRps: parseRate(raw.maxRps, '--max-rps'),
    output: raw.output ?? (io.stdout.isTTY ? 'table' : 'json'),
    quiet: raw.quiet ?? false,
    verbose: raw.verbose ?? false,
    color: raw.color,
    wide: raw.wide ?? false,
    progressIntervalMs,
    // --github / --no-github, else on inside GitHub Actions (the runner sets GITHUB_ACTIONS=true in every step).
    github: raw.github ?? io.env.GITHUB_ACTIONS === 'true',
  };
}
