import { MALFORMED } from './outcome.js';
import type { DocumentReport } from './result.js';

/**
 * What one answer says of each document it names, for the sources to report. An answer that names a document twice
 * and says the same both times counts once; one that contradicts itself (INDEXED in its status list and an error in
 * its Errors list, Succeeded on one page and Failed on the next) is not trusted either way: MalformedResponse, asked
 * again with --wait. Whichever came first must never win, or the order of a server's list would decide a CI gate.
 */
export class Answers {
  private readonly docs = new Map<string, { doc: DocumentReport; askAgain?: boolean }>();
  private readonly conflicts = new Set<string>();

  /** What the answer says of one document; `askAgain` as RoundContext.report takes it. */
  add(doc: DocumentReport, askAgain?: boolean): void {
    const first = this.docs.get(doc.id)?.doc;
    if (!first) this.docs.set(doc.id, { doc, askAgain });
    else if (first.status !== doc.status || first.state !== doc.state || first.errorCode !== doc.errorCode) this.conflicts.add(doc.id);
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  /** Reports each document once, in the order first named; a contradicted one as MalformedResponse. */
  reportTo(report: (doc: DocumentReport, askAgain?: boolean) => void): void {
    for (const [id, { doc, askAgain }] of this.docs) {
      if (this.conflicts.has(id)) report({ id, state: 'error', errorCode: MALFORMED, errorMessage: 'the answer reports this document more than once, and not alike' });
      else report(doc, askAgain);
    }
  }
}
