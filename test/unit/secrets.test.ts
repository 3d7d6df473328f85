import { describe, expect, it } from 'vitest';
import { captured, SECRETS } from '../helpers.js';

describe('the secrets scan (test/setup.ts)', () => {
  it('would see a secret: captured output is what the scan reads', () => {
    captured.push('harmless');
    expect(captured.join('\n')).toContain('harmless');
    expect(Object.values(SECRETS).every((s) => s.length >= 20)).toBe(true);
  });
});
