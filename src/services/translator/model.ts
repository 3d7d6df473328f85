// Azure Document Translation answers, from the published OpenAPI files (test/fixtures/specs/: v1.1, 2024-05-01,
// 2026-03-01; the published v1.0 file has the definitions of v1.1, the same `required` lists included):
// TranslationStatus (GET batches/{id}), DocumentStatus (GET .../documents/{id}) and DocumentsStatus (GET
// .../documents). Checked before any field is used (core/boundary.ts). As the model says (README "Answers are checked"):
// - every property the model of the version marks `required` is required, in nested structures too (the batch's
//   `summary` counts, `code` and `message` of `error` and of each `innerError`); a required property that is missing
//   or JSON null makes the answer malformed, though the tool only shows some of them (sourcePath, to, progress, dates);
// - every other property is optional, and may be JSON null (absent), as the service sends absent values;
// - `status` is any string: a status outside the model's enum is an unknown status (the status table), not a
//   malformed answer; the other spelling `Canceled` is one the service sends. `error.code` is any string too (the
//   model's TranslationErrorCode is an open enum, `modelAsString`);
// - `id` of a list entry is read apart (entryId in source.ts): an entry with no usable id cannot be any document's
//   error; the entry is then checked as a DocumentStatus, `id` included;
// - formats (`date-time`, `uuid`) are not checked: the tool never reads them, it only shows them.
import * as z from 'zod/mini';
import { count, maybe, struct, text } from '../../core/boundary.js';
import type { ApiVersion } from './flags.js';

/** InnerTranslationError: code and message are required; it nests. (Azure.Core's `innererror` belongs to error
 * answers, not to these: a member of that name here is one the model does not name, and is dropped.) */
const innerError: z.ZodMiniType<unknown> = z.lazy(() => struct({ code: text(), message: text(), target: maybe(text()), innerError: maybe(innerError) }));

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

/** TranslationStatus: a batch; every property but `error` is required. */
const translationStatusOf = (version: ApiVersion) =>
  struct({
    id: text(),
    createdDateTimeUtc: text(),
    lastActionDateTimeUtc: text(),
    status: text(),
    summary: summaryOf(version),
    error: maybe(TranslationError),
  });

/** DocumentStatus: a document of a batch; required: id, sourcePath, the two dates, status, to and progress. */
const documentStatusOf = (version: ApiVersion) =>
  struct({
    id: text(),
    path: maybe(text()),
    sourcePath: text(),
    createdDateTimeUtc: text(),
    lastActionDateTimeUtc: text(),
    status: text(),
    to: text(),
    progress: z.number({ error: 'a number' }),
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
