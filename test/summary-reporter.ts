import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';

/**
 * Prints the plain closing line CI reads: "tests: N passed, N failed, N skipped". Failed counts failed tests, and
 * also every file that failed to load, every file or suite whose hooks threw (their tests show as skipped, not
 * failed) and every unhandled error: a run vitest fails never reads "0 failed".
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, _reason: TestRunEndReason): void {
    const counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const mod of modules) {
      if (mod.errors().length > 0) counts.failed++;
      for (const suite of mod.children.allSuites()) if (suite.errors().length > 0) counts.failed++;
      for (const test of mod.children.allTests()) counts[test.result().state]++;
    }
    counts.failed += unhandledErrors.length;
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
