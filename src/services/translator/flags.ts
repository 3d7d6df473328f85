import { type CommandSpec, IDS_FILE_FLAG, OUTPUT_FLAGS, POLL_FLAGS } from '../../core/flags.js';
import { DOCUMENTED_STATUSES } from './status-names.js';

/** The API versions docstatus speaks; the first is the default (README "translate-docs" says why). */
export const API_VERSIONS = ['v1.1', 'v1.0', '2024-05-01', '2026-03-01'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The date-versioned API (`/translator/document/...?api-version=`), as against v1.x (`/translator/text/batch/v1.x/...`). */
export const isDateVersion = (v: ApiVersion): boolean => !v.startsWith('v');

/** The bearer token of both Azure subcommands (the key is the --key flag's): a secret. */
const AZURE_SECRET_ENV = ['AZURE_TRANSLATOR_TOKEN'];

/** Flags of both Azure subcommands. */
const AZURE_FLAGS = {
  endpoint: { flags: '--endpoint <url>', description: 'the Translator resource, e.g. https://NAME.cognitiveservices.azure.com', env: ['AZURE_TRANSLATOR_ENDPOINT'] },
  key: { flags: '--key <key>', description: 'resource key, sent as Ocp-Apim-Subscription-Key (prefer the variable: a flag shows in ps)', env: ['AZURE_TRANSLATOR_KEY'], secret: true },
  region: { flags: '--region <region>', description: 'sent as Ocp-Apim-Subscription-Region', env: ['AZURE_TRANSLATOR_REGION'] },
  apiVersion: { flags: '--api-version <version>', description: 'batch API version', choices: API_VERSIONS, default: 'v1.1' },
  ...POLL_FLAGS,
  ...OUTPUT_FLAGS,
  wide: { ...OUTPUT_FLAGS.wide, description: 'table and markdown: the target PATH, and the MODEL and IMAGES (2026-03-01), instead of the REASON' },
} as const;

/** `docstatus translate-status`, as data. */
export const translateStatusCommand = {
  name: 'translate-status',
  description: 'Azure Document Translation: the status of a batch, or of documents in it',
  args: [
    { name: 'batchId', description: 'the translation batch (operation) ID', required: true },
    { name: 'documentIds', description: "documents of the batch (else --ids-file; '--ids-file -' reads standard input; none: the batch itself)", variadic: true },
  ],
  flags: { idsFile: IDS_FILE_FLAG, ...AZURE_FLAGS },
  secretEnv: AZURE_SECRET_ENV,
  examples: ['docstatus translate-status "$BATCH"', 'docstatus translate-status "$BATCH" DOC_ID_1 DOC_ID_2 --wait'],
  load: async () => (await import('./commands.js')).runStatus,
} as const satisfies CommandSpec;

/** `docstatus translate-docs`, as data. */
export const translateDocsCommand = {
  name: 'translate-docs',
  description: 'Azure Document Translation: every document of a batch, page by page',
  args: [{ name: 'batchId', description: 'the translation batch (operation) ID', required: true }],
  flags: {
    top: { flags: '--top <n>', description: 'at most this many documents in all (top; $top in v1.x)' },
    skip: { flags: '--skip <n>', description: 'skip this many documents first (skip; $skip in v1.x)' },
    maxPageSize: { flags: '--max-page-size <n>', description: 'documents a page, 1-100 ($maxpagesize; default 100)' },
    status: { flags: '--status <list>', description: `only these statuses, comma-separated, any case (statuses): ${DOCUMENTED_STATUSES.join(', ')}` },
    ids: { flags: '--ids <list>', description: 'only these document IDs, comma-separated (ids; sent 10 a request)' },
    createdAfter: { flags: '--created-after <iso>', description: 'created at or after (createdDateTimeUtcStart)' },
    createdBefore: { flags: '--created-before <iso>', description: 'created at or before (createdDateTimeUtcEnd)' },
    orderBy: { flags: '--order-by <order>', description: '"createdDateTimeUtc asc" or "createdDateTimeUtc desc" (orderby; $orderBy in v1.x)' },
    ...AZURE_FLAGS,
  },
  secretEnv: AZURE_SECRET_ENV,
  examples: [
    'docstatus translate-docs "$BATCH" --status Failed -o json | jq -r \'.documents[] | "\\(.sourcePath)\\t\\(.error.message)"\'',
    'docstatus translate-docs "$BATCH" --wait --interval 30s -o table --wide',
  ],
  load: async () => (await import('./commands.js')).runDocs,
} as const satisfies CommandSpec;
