// GetKnowledgeBaseDocuments and ListKnowledgeBaseDocuments answers, from the published model of bedrock-agent
// 2023-06-05 (the subset the tests read, with its source, is test/fixtures/specs/bedrock-agent-2023-06-05-subset.json).
// The SDK client deserializes them, but a server's wrong types pass through it: its output object is checked here
// before any field is used (core/boundary.ts). Entries are checked one by one, so that one bad entry is the error of
// the document it names, not of the whole page.
import * as z from 'zod/mini';
import { maybe, struct, text } from '../../core/boundary.js';

/** DocumentIdentifier: dataSourceType is required; s3 (S3Location, uri required) or custom (id required). */
export const DocumentIdentifier = struct({
  dataSourceType: text(),
  s3: maybe(struct({ uri: text() })),
  custom: maybe(struct({ id: text() })),
});

/** KnowledgeBaseDocumentDetail: knowledgeBaseId, dataSourceId, status and identifier are required. */
export const KnowledgeBaseDocumentDetail = struct({
  knowledgeBaseId: text(),
  dataSourceId: text(),
  status: text(),
  identifier: DocumentIdentifier,
  statusReason: maybe(text()),
  // DateTimestamp: the SDK gives a Date
  updatedAt: maybe(z.date({ error: 'a date' })),
});
export type KnowledgeBaseDocumentDetail = z.infer<typeof KnowledgeBaseDocumentDetail>;

/** Just enough of a detail to know which document it names (an entry that fails the full model is that document's
 * error when this much of it can be read). */
export const DetailKey = struct({
  knowledgeBaseId: maybe(z.unknown()),
  dataSourceId: maybe(z.unknown()),
  identifier: DocumentIdentifier,
});

const entries = z.array(z.unknown(), { error: 'an array' });

/** GetKnowledgeBaseDocumentsResponse: no member is required. */
export const GetKnowledgeBaseDocumentsResponse = struct({ documentDetails: maybe(entries) });

/** ListKnowledgeBaseDocumentsResponse: documentDetails is required; nextToken (absent, null or "" ends the list). */
export const ListKnowledgeBaseDocumentsResponse = struct({ documentDetails: entries, nextToken: maybe(text()) });
