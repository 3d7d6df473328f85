import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/core/duration.js';

describe('parseDuration rounding (issue 8, item 20)', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['0ms', 0],
    ['0.4ms', 1],
    ['0.0001', 1],
    ['0.0001ms', 1],
    ['596h', 2_145_600_000],
    ['0.1', 100],
    ['1.1s', 1100],
    ['1.0001s', 1001],
    ['2.5ms', 3],
  ])('%s is %i ms: only an exact 0 means "none"; anything else rounds up', (text, ms) => expect(parseDuration(text, '--timeout')).toBe(ms));
});

describe('parseDuration limits', () => {
  it.each(['597h', '720h', '2147483648ms', '1e9'])('%s is bad input (Node timers hold at most 2^31-1 ms)', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(/^--timeout: /);
  });
});
