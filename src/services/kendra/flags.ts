import { AWS_SECRET_ENV, awsFlags, type CommandSpec, GOAL_FLAGS, IDS_FILE_FLAG, OUTPUT_FLAGS, POLL_FLAGS } from '../../core/flags.js';

/** kendra-status's own flags. */
const KENDRA_FLAGS = {
  indexId: { flags: '--index-id <id>', description: 'the Kendra index (36 characters)', env: ['KENDRA_INDEX_ID'] },
  idsFile: IDS_FILE_FLAG,
  documentInfo: {
    flags: '--document-info <path>',
    description: 'a JSON array or JSON Lines of {"DocumentId", "Attributes"} as the API shapes it (repeatable: every file is read)',
    repeatable: true,
  },
  ...GOAL_FLAGS,
  attribute: {
    flags: '--attribute <key=value>',
    description: 'a StringValue attribute for every document: datasourceId and jobExecutionId (together), version (repeatable)',
    repeatable: true,
  },
} as const;

/** `docstatus kendra-status`, as data. */
export const kendraStatusCommand = {
  name: 'kendra-status',
  description: 'Amazon Kendra BatchGetDocumentStatus for documents added or deleted with BatchPutDocument / BatchDeleteDocument',
  args: [{ name: 'documentIds', description: 'document IDs (else --ids-file, --document-info or standard input)', variadic: true }],
  flags: { ...KENDRA_FLAGS, ...awsFlags('AWS_ENDPOINT_URL_KENDRA', 'Kendra'), ...POLL_FLAGS, ...OUTPUT_FLAGS, wide: { ...OUTPUT_FLAGS.wide, description: 'table and markdown: CODE and REASON in columns of their own' } },
  secretEnv: AWS_SECRET_ENV,
  examples: [
    'docstatus kendra-status --index-id "$INDEX" doc-1 doc-2',
    'docstatus kendra-status --index-id "$INDEX" --ids-file ids.txt --wait --timeout 20m',
    "printf '%s\\n' doc-1 doc-2 | docstatus kendra-status --index-id \"$INDEX\" --until deleted --wait",
  ],
  load: async () => (await import('./command.js')).run,
} as const satisfies CommandSpec;
