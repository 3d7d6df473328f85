/**
 * How long the service asked us to wait, in ms: retry-after-ms, then x-ms-retry-after-ms (milliseconds), then
 * Retry-After (delay-seconds or an HTTP-date). A malformed value (negative, garbage, a number with junk, a date in
 * any other form) counts as absent, so the scheduler falls back to its own backoff: never "no wait at all".
 */
export function retryAfterMs(headers: Record<string, string | string[] | undefined>, now: number): number | undefined {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = decimal(one(name));
    if (ms !== undefined) return ms;
  }
  const ra = one('retry-after');
  if (ra === undefined) return undefined;
  const seconds = decimal(ra);
  if (seconds !== undefined) return seconds * 1000;
  const date = httpDate(ra, now);
  return date === undefined ? undefined : Math.max(0, date - now);
}

/** A non-negative decimal number and nothing else (delay-seconds, leniently with a fraction), else undefined. */
function decimal(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = `(?<month>${MONTHS.join('|')})`;
const TIME = '(?<h>\\d{2}):(?<m>\\d{2}):(?<s>\\d{2})';
// RFC 9110 section 5.6.7: IMF-fixdate, and the two obsolete forms a recipient must accept (RFC 850, asctime).
const FORMS = [
  new RegExp(`^${DAY}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`, 'i'),
  new RegExp(`^${LONG_DAY}, (?<day>\\d{2})-${MONTH}-(?<yy>\\d{2}) ${TIME} GMT$`, 'i'),
  new RegExp(`^${DAY} ${MONTH} (?<day>[ \\d]\\d) ${TIME} (?<year>\\d{4})$`, 'i'),
];

/** An HTTP-date (RFC 9110) as ms since the epoch; undefined for anything else, whatever Date.parse would make of it. */
export function httpDate(text: string, now: number): number | undefined {
  const t = text.trim();
  const g = FORMS.map((re) => re.exec(t)?.groups).find((groups) => groups !== undefined);
  if (!g) return undefined;
  let year = Number(g.year);
  if (g.yy !== undefined) {
    // A two-digit year more than 50 years in the future is the most recent past year with those digits (RFC 9110).
    const thisYear = new Date(now).getUTCFullYear();
    year = Math.floor(thisYear / 100) * 100 + Number(g.yy);
    if (year > thisYear + 50) year -= 100;
  }
  const [day, h, m, s] = [Number(g.day), Number(g.h), Number(g.m), Number(g.s)];
  if (day < 1 || h > 23 || m > 59 || s > 60) return undefined;
  const ms = Date.UTC(year, MONTHS.indexOf(g.month!.toLowerCase()), day, h, m, Math.min(s, 59));
  // 31 Feb and the like roll over into the next month: not a date.
  return new Date(ms).getUTCDate() === day ? ms : undefined;
}
