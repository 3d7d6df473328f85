import { afterAll, expect } from 'vitest';
import { captured, SECRETS } from './helpers.js';

// Runs after every test file: no test secret may appear in anything the tool printed during that file
// (stdout and stderr of every spawned run, and of every in-process run).
afterAll(() => {
  const all = captured.join('\n');
  for (const [name, secret] of Object.entries(SECRETS)) {
    expect(all.includes(secret), `test secret ${name} appeared in the tool's output`).toBe(false);
  }
});
