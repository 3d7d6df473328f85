import { AWS_SECRET_ENV, awsFlags, type CommandSpec, GOAL_FLAGS, IDS_FILE_FLAG, OUTPUT_FLAGS, POLL_FLAGS } from '../../core/flags.js';

/** kb-status's own flags. */
const KB_FLAGS = {
  knowledgeBaseId: { flags: '--knowledge-base-id <id>', description: 'the knowledge base (10 letters and digits)', env: ['BEDROCK_KNOWLEDGE_BASE_ID'] },
  dataSourceId: { flags: '--data-source-id <id>', description: 'its data source (10 letters and digits)', env: ['BEDROCK_DATA_SOURCE_ID'] },
  idsFile: IDS_FILE_FLAG,
  all: { flags: '--all', description: 'every document of the data source (ListKnowledgeBaseDocuments, every page) instead of named ones' },
  dataSourceType: {
    flags: '--data-source-type <type>',
    description: 'CUSTOM (IDs) or S3 (s3:// URIs); default: S3 when the IDs start with s3://',
    choices: ['CUSTOM', 'S3'],
  },
  ...GOAL_FLAGS,
  acceptPartial: { flags: '--accept-partial', description: 'count PARTIALLY_INDEXED and METADATA_PARTIALLY_INDEXED as indexed (default: failed)' },
} as const;

/** `docstatus kb-status`, as data. */
export const kbStatusCommand = {
  name: 'kb-status',
  description: 'Amazon Bedrock Knowledge Bases: the ingestion status of documents of a data source (GetKnowledgeBaseDocuments)',
  args: [{ name: 'documentIds', description: 'document IDs or s3:// URIs (else --ids-file or standard input; or --all)', variadic: true }],
  flags: { ...KB_FLAGS, ...awsFlags('AWS_ENDPOINT_URL_BEDROCK_AGENT', 'Bedrock Agent'), ...POLL_FLAGS, ...OUTPUT_FLAGS, wide: { ...OUTPUT_FLAGS.wide, description: 'table and markdown: when each status last changed (UPDATED)' } },
  secretEnv: AWS_SECRET_ENV,
  examples: [
    'docstatus kb-status --knowledge-base-id KB12345678 --data-source-id DS12345678 doc-1 doc-2 --wait',
    'docstatus kb-status --knowledge-base-id "$KB" --data-source-id "$DS" s3://bucket/a.pdf s3://bucket/b.pdf',
    'docstatus kb-status --knowledge-base-id "$KB" --data-source-id "$DS" --all --wait --timeout 20m',
  ],
  load: async () => (await import('./command.js')).run,
} as const satisfies CommandSpec;
