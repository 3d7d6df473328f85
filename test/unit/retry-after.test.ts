import { describe, expect, it } from 'vitest';
import { httpDate, retryAfterMs } from '../../src/core/retry-after.js';

const now = Date.parse('2026-11-23T10:00:00Z');

describe('retryAfterMs: exact parses (item 14)', () => {
  it.each([
    // delay-seconds
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': ' 3 ' }, 3000],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': '1000000000' }, 1_000_000_000_000],
    // HTTP-date: IMF-fixdate, and the obsolete RFC 850 and asctime forms, all in GMT
    [{ 'retry-after': 'Mon, 23 Nov 2026 10:00:03 GMT' }, 3000],
    [{ 'retry-after': 'Monday, 23-Nov-26 10:00:04 GMT' }, 4000],
    [{ 'retry-after': 'Mon Nov 23 10:00:05 2026' }, 5000],
    [{ 'retry-after': 'Mon Nov  2 10:00:05 2026' }, 0],
    [{ 'retry-after': 'Fri, 01 Jan 2100 00:00:00 GMT' }, Date.parse('2100-01-01T00:00:00Z') - now],
    // a date in the past: no wait
    [{ 'retry-after': 'Mon, 23 Nov 2026 09:00:00 GMT' }, 0],
    // the ms headers come first
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'x-ms-retry-after-ms': '40' }, 40],
    [{ 'retry-after-ms': '12.5' }, 12.5],
    [{ 'retry-after': ['2', '7'] }, 2000],
    [{}, undefined],
  ])('%j is %s ms', (headers, ms) => expect(retryAfterMs(headers, now)).toBe(ms));

  it.each([
    '-5',
    '-0.5',
    '+5',
    'soon',
    '',
    ' ',
    '5s',
    '5 seconds',
    '1e3',
    '0x10',
    'Infinity',
    'NaN',
    '5,6',
    '1'.repeat(400),
    '2026-11-23T10:00:03Z',
    '23 Nov 2026 10:00:03 GMT',
    'Mon, 23 Nov 2026 10:00:03',
    'Mon, 23 Nov 2026 10:00:03 +0000',
    'Mon, 23 Nov 2026 10:00:03 PST',
    'Mon, 31 Feb 2026 10:00:03 GMT',
    'Mon, 23 Nov 2026 25:00:00 GMT',
    'Mon, 23 Foo 2026 10:00:03 GMT',
    'Mon, 23 Nov 2026 10:00:03 GMT junk',
  ])('Retry-After %j is malformed: no value (the normal backoff applies)', (value) => {
    expect(retryAfterMs({ 'retry-after': value }, now)).toBeUndefined();
  });

  it.each(['-5', 'soon', '1e3', '5ms', 'Infinity', ''])('retry-after-ms %j is malformed: Retry-After is read instead', (value) => {
    expect(retryAfterMs({ 'retry-after-ms': value }, now)).toBeUndefined();
    expect(retryAfterMs({ 'x-ms-retry-after-ms': value, 'retry-after': '2' }, now)).toBe(2000);
  });

  it('reads RFC 850 two-digit years as the most recent past century within 50 years', () => {
    expect(httpDate('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(Date.parse('1994-11-06T08:49:37Z'));
    expect(httpDate('Thursday, 06-Nov-70 08:49:37 GMT', now)).toBe(Date.parse('2070-11-06T08:49:37Z'));
    expect(httpDate('Saturday, 06-Nov-77 08:49:37 GMT', now)).toBe(Date.parse('1977-11-06T08:49:37Z'));
  });
});
