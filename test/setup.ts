import { afterAll, expect } from 'vitest';
import { captured, leakedSecrets } from './helpers.js';

// Runs after every test file: no test secret may appear in anything the tool printed during that file
// (stdout and stderr of every spawned run, and of every in-process run).
afterAll(() => {
  expect(leakedSecrets(captured.join('\n')), "test secrets in the tool's output").toEqual([]);
});

// Tests that load an AWS SDK client in this process (the emulator's fidelity tests) under Node 20 need not hear that
// its 2027 releases want Node 22: the tool itself silences it the same way (core/aws.ts, quietNodeVersionWarning).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
