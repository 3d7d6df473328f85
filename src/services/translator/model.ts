// Azure Document Translation answers, from the published OpenAPI files (test/fixtures/specs/: v1.1, 2024-05-01,
// 2026-03-01; v1.0 has the shapes of v1.1): TranslationStatus (GET batches/{id}), DocumentStatus (GET
// .../documents/{id}) and DocumentsStatus (GET .../documents). Checked before any field is used (core/boundary.ts).
// Kept looser than the model, on purpose (README "Answers are checked"):
// - required: what a document's state rests on: `id` and `status`, and a batch's `summary` with every count of it.
//   The other properties the model marks required (sourcePath, to, progress, the two dates) are only shown, never
//   read: they are checked for their type when present, and their absence is no reason to fail a gate.
// - `status` is any string: a status outside the model's enum is an unknown status (the status table), not a
//   malformed answer; the other spelling `Canceled` is one the service sends.
// - an optional property may be JSON null (absent), as the service sends absent values;
// - `id` of a list entry is read apart (entryId in source.ts): an entry with no usable id cannot be any document's error.
// - formats (`date-time`, `uuid`) are not checked: the tool never reads them, it only shows them.
import * as z from 'zod/mini';
import { count, maybe, struct, text } from '../../core/boundary.js';
import type { ApiVersion } from './flags.js';

/** InnerTranslationError / Azure.Core.Foundations.InnerError: nested, code and message. */
const innerError: z.ZodMiniType<unknown> = z.lazy(() => struct({ code: maybe(text()), message: maybe(text()), target: maybe(text()), innerError: maybe(innerError), innererror: maybe(innerError) }));

/** TranslationError: code and message are required. */
const TranslationError = struct({ code: text(), message: text(), target: maybe(text()), innerError: maybe(innerError) });

/** StatusSummary: every count is required, a non-negative integer; 2026-03-01 adds three optional image counts. */
const summaryOf = (version: ApiVersion) =>
  struct({
    total: count(),
    failed: count(),
    success: count(),
    inProgress: count(),
    notYetStarted: count(),
    cancelled: count(),
    totalCharacterCharged: count(),
    ...(version === '2026-03-01' && { totalImageScansSucceeded: maybe(count()), totalImageScansFailed: maybe(count()), totalImageCharged: maybe(count()) }),
  });

/** TranslationStatus: a batch. */
const translationStatusOf = (version: ApiVersion) =>
  struct({
    id: text(),
    createdDateTimeUtc: maybe(text()),
    lastActionDateTimeUtc: maybe(text()),
    status: text(),
    summary: summaryOf(version),
    error: maybe(TranslationError),
  });

/** DocumentStatus: a document of a batch. */
const documentStatusOf = (version: ApiVersion) =>
  struct({
    id: text(),
    path: maybe(text()),
    sourcePath: maybe(text()),
    createdDateTimeUtc: maybe(text()),
    lastActionDateTimeUtc: maybe(text()),
    status: text(),
    to: maybe(text()),
    progress: maybe(z.number({ error: 'a number' })),
    characterCharged: maybe(count()),
    error: maybe(TranslationError),
    ...(version === '2026-03-01' && {
      totalImageScansSucceeded: maybe(count()),
      totalImageScansFailed: maybe(count()),
      imageCharged: maybe(count()),
      imageCharacterDetected: maybe(count()),
      deploymentName: maybe(text()),
    }),
  });

/** DocumentsStatus: one page of the list; `value` is required. The link is `@nextLink` on v1.x and `nextLink` after;
 * either is read on every version (a link under the other name must never pass for the end of the list). Its entries
 * are checked one by one (DocumentStatus). */
const documentsStatus = struct({ value: z.array(z.unknown(), { error: 'an array' }), '@nextLink': maybe(text()), nextLink: maybe(text()) });

export type TranslationStatus = z.infer<ReturnType<typeof translationStatusOf>>;
export type DocumentStatus = z.infer<ReturnType<typeof documentStatusOf>>;

/** The schemas of one API version. */
export function azureModel(version: ApiVersion) {
  return { batch: translationStatusOf(version), document: documentStatusOf(version), page: documentsStatus };
}
export type AzureModel = ReturnType<typeof azureModel>;
