// A listing that never ends (fresh documents on every page, for ever) must end the run with a clear exit 4 and an
// `errors` entry, well before memory is the limit (issue 15: translate-docs reached 5.7 GB and died of a V8
// out-of-memory crash). The limit is the real one (core/boundary.ts LISTING_LIMIT); the peak RSS of the process is
// read by a preload (test/fixtures/max-rss.cjs).
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LISTING_LIMIT } from '../../src/core/boundary.js';
import { adHocServer, type AdHocServer } from '../ad-hoc-server.js';
import { azureDoc, DS, KB, runCli, SECRETS } from '../helpers.js';

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000c1';
const PRELOAD = fileURLToPath(new URL('../fixtures/max-rss.cjs', import.meta.url));
const PAGE = 1000;
let server: AdHocServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const maxRssMiB = (stderr: string) => Number(/max-rss-kib=(\d+)/.exec(stderr)?.[1]) / 1024;
const id = (page: number, i: number) => `${String(page).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;
const message = `the document list holds more than ${LISTING_LIMIT.documents} documents, the most one listing may hold; listing stopped`;

describe('an endless listing of fresh documents: ListingLimit (exit 4), peak memory well under 1 GB', () => {
  it('translate-docs: 1,000 new documents a page, every page linking to the next', async () => {
    server = await adHocServer((req, res, n) => {
      const value = Array.from({ length: PAGE }, (_, i) => azureDoc({ id: id(n, i), status: 'Running', sourcePath: `https://source.blob.core.windows.net/in/${n}-${i}.docx`, to: 'de', progress: 0 }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ value, '@nextLink': `${server!.url}${req.url.split('?')[0]}?page=${n + 1}` }));
    });
    const r = await runCli(['translate-docs', BATCH, '--endpoint', server.url], { env: { AZURE_TRANSLATOR_KEY: SECRETS.azureKey, NODE_OPTIONS: `--require ${PRELOAD}` }, timeoutMs: 120_000 });
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ outcome: 'error', complete: false, documents: [], errors: [{ code: 'ListingLimit', message }] });
    expect(r.stderr).toContain(`docstatus: ListingLimit: ${message}\n`);
    expect(server.requests).toHaveLength(LISTING_LIMIT.documents / PAGE + 1);
    expect(maxRssMiB(r.stderr)).toBeLessThan(400);
  }, 150_000);

  it('kb-status --all: 1,000 new documents a page, every page with a new nextToken', async () => {
    server = await adHocServer((_req, res, n) => {
      const documentDetails = Array.from({ length: PAGE }, (_, i) => ({
        knowledgeBaseId: KB,
        dataSourceId: DS,
        status: 'IN_PROGRESS',
        identifier: { dataSourceType: 'CUSTOM', custom: { id: id(n, i) } },
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ documentDetails, nextToken: `t${n}` }));
    });
    const r = await runCli(['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', server.url, '--all'], { env: { NODE_OPTIONS: `--require ${PRELOAD}` }, timeoutMs: 120_000 });
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ outcome: 'error', complete: false, documents: [], errors: [{ code: 'ListingLimit', message }] });
    expect(server.requests).toHaveLength(LISTING_LIMIT.documents / PAGE + 1);
    expect(maxRssMiB(r.stderr)).toBeLessThan(400);
  }, 150_000);
});
