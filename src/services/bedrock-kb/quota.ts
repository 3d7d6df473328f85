import type { Quota } from '../../core/pacer.js';

/**
 * The published request quota of the operations kb-status calls: a run starts at (and by default never goes past) 90 %
 * of it, instead of learning it by being throttled (README "Pacing"; --max-rps replaces it).
 *
 * Source: AWS General Reference, "Amazon Bedrock endpoints and quotas", Knowledge Bases quotas
 * (https://docs.aws.amazon.com/general/latest/gr/bedrock.html): GetKnowledgeBaseDocuments, ListKnowledgeBaseDocuments,
 * IngestKnowledgeBaseDocuments and DeleteKnowledgeBaseDocuments requests per second: 5 each, per account and Region,
 * not adjustable. (The figure as docstatus issue 16 quotes it; read from that page, not from a service answer.)
 */
export const KB_DOCUMENTS_QUOTA: Quota = {
  rps: 5,
  what: 'Amazon Bedrock Knowledge Base document APIs: 5 requests a second per account and Region',
  source: 'https://docs.aws.amazon.com/general/latest/gr/bedrock.html',
};
