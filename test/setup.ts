import { afterAll, expect } from 'vitest';
import { captured, leakedSecrets } from './helpers.js';

// Runs after every test file: no test secret may appear in anything the tool printed during that file
// (stdout and stderr of every spawned run, and of every in-process run).
afterAll(() => {
  expect(leakedSecrets(captured.join('\n')), "test secrets in the tool's output").toEqual([]);
});
