// BatchGetDocumentStatus's answer, from the published model (botocore kendra 2019-02-03; the subset the tests read is
// test/fixtures/specs/kendra-2019-02-03-subset.json). The SDK client deserializes it, but what it hands over is only
// as typed as the server's JSON was: the output object is checked here before any field is used (core/boundary.ts).
// The model marks no member of these structures as required; a status outside its enum is checked by the status table
// (an unknown status, not a malformed answer).
import * as z from 'zod/mini';
import { maybe, struct, text } from '../../core/boundary.js';

/** DocumentId: a string of 1 to 2048 characters. */
const documentId = z.string({ error: 'a string' });

/** Status: one document's status. */
export const KendraStatus = struct({
  DocumentId: maybe(documentId),
  DocumentStatus: maybe(text()),
  FailureCode: maybe(text()),
  FailureReason: maybe(text()),
});

/** BatchGetDocumentStatusResponseError: one document the service could not read. */
export const KendraStatusError = struct({
  DocumentId: maybe(documentId),
  DataSourceId: maybe(text()),
  ErrorCode: maybe(text()),
  ErrorMessage: maybe(text()),
});

/** BatchGetDocumentStatusResponse: the envelope; its entries are checked one by one (KendraStatus, KendraStatusError). */
export const BatchGetDocumentStatusResponse = struct({
  Errors: maybe(z.array(z.unknown(), { error: 'an array' })),
  DocumentStatusList: maybe(z.array(z.unknown(), { error: 'an array' })),
});
