import { afterEach, describe, expect, it } from 'vitest';
import type { Step } from '../../src/emulator/scenario.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import type { TranslatorBatchScenario } from '../../src/emulator/scenario.js';
import { main } from '../../src/cli.js';
import { fakeClock, memoryIo, runCli, SECRETS } from '../helpers.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000b1';
const doc = (timeline: Step[], to = 'fr') => ({ timeline, to });
const succeeded: Step[] = [{ status: 'Succeeded', characterCharged: 500 }];
const runningThen = (polls: number, end: Step = { status: 'Succeeded' }): Step[] => [{ status: 'Running', progress: 0.4 }, { afterPolls: polls, ...end }];

async function azure(batch: TranslatorBatchScenario, extra: Parameters<typeof startEmulator>[0] = {}) {
  emulator = await startEmulator({ translator: { key: SECRETS.azureKey, batches: { [BATCH]: batch } }, ...extra });
  return emulator;
}
const env = () => ({ AZURE_TRANSLATOR_KEY: SECRETS.azureKey, AZURE_TRANSLATOR_ENDPOINT: emulator!.url });
const calls = (e: Emulator) => e.requests.filter((r) => r.service === 'translator');
const paths = (e: Emulator) => calls(e).map((r) => decodeURIComponent(r.url));
const ids = (stdout: string) => JSON.parse(stdout).documents.map((d: { id: string }) => d.id);

describe('translate-status', () => {
  it('reports the batch itself with batchSummary when no document is named', async () => {
    await azure({ documents: { a: doc(succeeded), b: doc([{ status: 'Failed' }]), c: doc([{ status: 'Running' }]) } });
    const r = await runCli(['translate-status', BATCH], { env: env() });
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.service).toBe('translation-batch');
    expect(out.target).toEqual({ endpoint: emulator!.url, batchId: BATCH });
    expect(out.documents).toHaveLength(1);
    expect(out.documents[0]).toMatchObject({ id: BATCH, status: 'Running', state: 'pending' });
    expect(out.documents[0].batchSummary).toEqual({ total: 3, failed: 1, success: 1, inProgress: 1, notYetStarted: 0, cancelled: 0, totalCharacterCharged: 500 });
    expect(paths(emulator!)).toEqual([`/translator/text/batch/v1.1/batches/${BATCH}`]);
  });

  it('prints the contract JSON field by field: the service\'s fields in camelCase, absent ones omitted', async () => {
    await azure({ documents: { a: doc(succeeded, 'ja'), b: doc([{ status: 'Failed', failureCode: 'InvalidRequest', failureReason: 'corrupt' }]) } });
    const r = await runCli(['translate-status', BATCH, 'a', 'b'], { env: env() });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(out.stats.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(out).toEqual({
      service: 'translation-document',
      target: { endpoint: emulator!.url, batchId: BATCH },
      outcome: 'failed',
      complete: true,
      summary: { total: 2, succeeded: 1, failed: 1, pending: 0, error: 0, byStatus: { Succeeded: 1, Failed: 1 } },
      documents: [
        {
          id: 'a',
          status: 'Succeeded',
          state: 'succeeded',
          path: 'https://target.blob.core.windows.net/out/ja/a.docx',
          sourcePath: 'https://source.blob.core.windows.net/in/a.docx',
          to: 'ja',
          progress: 1,
          characterCharged: 500,
          createdDateTimeUtc: iso,
          lastActionDateTimeUtc: iso,
        },
        {
          id: 'b',
          status: 'Failed',
          state: 'failed',
          sourcePath: 'https://source.blob.core.windows.net/in/b.docx',
          to: 'fr',
          progress: 0,
          createdDateTimeUtc: iso,
          lastActionDateTimeUtc: iso,
          error: {
            code: 'InvalidRequest',
            message: 'corrupt',
            target: 'Document',
            innerError: { code: 'DocumentTranslationFailed', message: 'corrupt' },
          },
        },
      ],
      stats: { rounds: 1, requests: 2, elapsedMs: out.stats.elapsedMs, throttled: 0 },
    });
  });

  it('asks each named document once, in input order; a 404 is that document\'s error', async () => {
    const e = await azure({ documents: { a: doc(succeeded), b: doc([{ status: 'Failed', failureReason: 'corrupt' }]) } });
    const r = await runCli(['translate-status', BATCH, 'b', 'missing', 'a', 'b'], { env: env() });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.service).toBe('translation-document');
    expect(ids(r.stdout)).toEqual(['b', 'missing', 'a']);
    expect(out.documents[1]).toEqual({ id: 'missing', state: 'error', errorCode: 'ResourceNotFound', errorMessage: 'Document id not found. (DocumentNotFound)' });
    expect(out.documents[0]).toMatchObject({ status: 'Failed', state: 'failed', error: { code: 'InvalidRequest', message: 'corrupt' } });
    expect(calls(e)).toHaveLength(3);
  });

  it('--wait re-asks only documents that are not final', async () => {
    const e = await azure({ documents: { a: doc(succeeded), b: doc(runningThen(2)), c: doc(runningThen(1, { status: 'Canceled' })) } });
    const r = await runCli(['translate-status', BATCH, '--ids-file', '-', '--wait', '--interval', '10ms'], { env: env(), input: 'a\nb\nc\n' });
    expect(r.code).toBe(1);
    expect(paths(e).map((p) => p.split('/').pop())).toEqual(['a', 'b', 'c', 'b', 'c', 'b']);
    expect(JSON.parse(r.stdout).documents.map((d: { status: string }) => d.status)).toEqual(['Succeeded', 'Succeeded', 'Canceled']);
  });

  it('sends the key, region and bearer token as headers, and the key nowhere else', async () => {
    const e = await azure({ documents: { a: doc(succeeded) } });
    const r = await runCli(['translate-status', BATCH, 'a', '--region', 'westeurope', '--verbose'], {
      env: { ...env(), AZURE_TRANSLATOR_TOKEN: SECRETS.azureToken },
    });
    expect(r.code).toBe(0);
    const h = calls(e)[0]!.headers;
    expect(h['ocp-apim-subscription-key']).toBe(SECRETS.azureKey);
    expect(h['ocp-apim-subscription-region']).toBe('westeurope');
    expect(h.authorization).toBe(`Bearer ${SECRETS.azureToken}`);
    expect(calls(e)[0]!.url).not.toContain(SECRETS.azureKey);
    expect(r.stderr).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/translator\/text\/batch\/v1\.1\/batches\/.*\/documents\/a 200 \d+ms\n$/);
    for (const s of Object.values(SECRETS)) expect(r.stdout + r.stderr).not.toContain(s);
  });

  it('a wrong key: 401 is not retried, exit 4 with the service message', async () => {
    const e = await azure({ documents: { a: doc(succeeded) } });
    const r = await runCli(['translate-status', BATCH, 'a', '--wait', '--interval', '10ms'], { env: { ...env(), AZURE_TRANSLATOR_KEY: 'wrong-key' } });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents[0]).toEqual({
      id: 'a',
      state: 'error',
      errorCode: 'Unauthorized',
      errorMessage: 'Access denied due to invalid subscription key or wrong API endpoint. (InvalidSubscriptionKey)',
    });
    expect(calls(e)).toHaveLength(1);
  });

  it('an unknown batch: 404, exit 4', async () => {
    await azure({});
    const r = await runCli(['translate-status', 'no-such-batch'], { env: env() });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).documents[0]).toMatchObject({ id: 'no-such-batch', state: 'error', errorCode: 'ResourceNotFound' });
  });
});

describe('translate-docs', () => {
  const many = (n: number, timeline: (i: number) => Step[]) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`doc-${String(i).padStart(3, '0')}`, doc(timeline(i), i % 2 ? 'de' : 'fr')]));

  it('follows @nextLink across pages and reports in service order (createdDateTimeUtc desc)', async () => {
    const e = await azure({ documents: many(23, () => succeeded) });
    const r = await runCli(['translate-docs', BATCH, '--max-page-size', '5'], { env: env() });
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(Array.from({ length: 23 }, (_, i) => `doc-${String(22 - i).padStart(3, '0')}`));
    expect(calls(e)).toHaveLength(5);
    expect(JSON.parse(r.stdout).stats).toMatchObject({ rounds: 1, requests: 5 });
  });

  it('forwards every filter under its query name, on every page', async () => {
    const e = await azure({ documents: many(40, (i) => (i % 3 ? succeeded : [{ status: 'Failed' }])) });
    const r = await runCli(
      [
        'translate-docs', BATCH, '--top', '9', '--skip', '1', '--max-page-size', '2', '--status', 'succeeded,Failed',
        '--created-after', '2000-01-01T00:00:00Z', '--created-before', '2100-01-01', '--order-by', 'createdDateTimeUtc asc',
      ],
      { env: env() },
    );
    expect(r.code).toBe(1);
    expect(ids(r.stdout)).toEqual(['doc-001', 'doc-002', 'doc-003', 'doc-004', 'doc-005', 'doc-006', 'doc-007', 'doc-008', 'doc-009']);
    const qs = calls(e).map((c) => new URL(c.url, 'http://x').searchParams);
    expect(qs).toHaveLength(5);
    expect(Object.fromEntries(qs[0]!)).toEqual({
      $top: '9',
      $skip: '1',
      $maxpagesize: '2',
      statuses: 'Succeeded,Failed',
      createdDateTimeUtcStart: '2000-01-01T00:00:00.000Z',
      createdDateTimeUtcEnd: '2100-01-01T00:00:00.000Z',
      $orderBy: 'createdDateTimeUtc asc',
    });
    for (const q of qs) expect(q.get('statuses')).toBe('Succeeded,Failed');
    expect(qs.map((q) => q.get('$skip'))).toEqual(['1', '3', '5', '7', '9']);
  });

  it('sends --ids at most 10 a request', async () => {
    const e = await azure({ documents: many(30, () => succeeded) });
    const wanted = Array.from({ length: 23 }, (_, i) => `doc-${String(i).padStart(3, '0')}`);
    const r = await runCli(['translate-docs', BATCH, '--ids', wanted.join(',')], { env: env() });
    expect(r.code).toBe(0);
    expect(ids(r.stdout).sort()).toEqual(wanted);
    const sent = calls(e).map((c) => new URL(c.url, 'http://x').searchParams.get('ids')!.split(','));
    expect(sent.map((s) => s.length).sort()).toEqual([10, 10, 3]);
    expect(sent.flat().sort()).toEqual(wanted);
  });

  it('--wait re-lists only pending documents, then reads those that left by ID', async () => {
    // 250 documents, 3 still running after the first listing; they finish one round later.
    const e = await azure({ documents: many(250, (i) => (i < 3 ? runningThen(1) : succeeded)) });
    const r = await runCli(['translate-docs', BATCH, '--wait', '--interval', '10ms'], { env: env() });
    expect(r.code).toBe(0);
    const qs = calls(e).map((c) => new URL(c.url, 'http://x').searchParams);
    // round 1: 3 full pages of 100; round 2: one pending-only page (empty), then one ids request for the 3
    expect(qs.map((q) => q.get('statuses') ?? (q.get('ids') ? `ids:${q.get('ids')}` : 'all'))).toEqual([
      'all',
      'all',
      'all',
      'NotStarted,Running,Cancelling',
      'ids:doc-002,doc-001,doc-000',
    ]);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toMatchObject({ total: 250, succeeded: 250 });
    expect(out.stats).toMatchObject({ rounds: 2, requests: 5 });
  });

  it('--wait reads many leavers with one full listing when that costs fewer requests than reading them by ID', async () => {
    // 30 documents all running, then all final: reading 30 by ID costs 3 requests, one full listing 1
    const e = await azure({ documents: many(30, () => runningThen(1)) });
    const r = await runCli(['translate-docs', BATCH, '--wait', '--interval', '10ms', '--verbose'], { env: env() });
    expect(r.code).toBe(0);
    const qs = calls(e).map((c) => new URL(c.url, 'http://x').searchParams);
    expect(qs.map((q) => q.get('statuses') ?? (q.get('ids') ? 'ids' : 'all'))).toEqual(['all', 'NotStarted,Running,Cancelling', 'all']);
    expect(r.stderr).toContain('30 document(s) left the pending list: reading them with a full listing (1 pages)');
    expect(JSON.parse(r.stdout).summary).toMatchObject({ total: 30, succeeded: 30 });
  });

  it('--status narrows the first listing only: documents that finish outside it are still read, by ID', async () => {
    const e = await azure({ documents: many(30, () => runningThen(1)) });
    const r = await runCli(['translate-docs', BATCH, '--status', 'Running', '--wait', '--interval', '10ms', '--verbose'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('30 document(s) left the pending list: reading them by ID (3 requests)');
    expect(JSON.parse(r.stdout).summary).toMatchObject({ total: 30, succeeded: 30, error: 0 });
    const qs = calls(e).map((c) => new URL(c.url, 'http://x').searchParams);
    expect(qs.map((q) => q.get('statuses') ?? (q.get('ids') ? 'ids' : 'all'))).toEqual(['Running', 'Running', 'ids', 'ids', 'ids']);
  });

  it('streams NDJSON as documents change', async () => {
    await azure({ documents: { a: doc(runningThen(1)), b: doc(succeeded) } });
    const r = await runCli(['translate-docs', BATCH, '--wait', '--interval', '10ms', '-o', 'ndjson'], { env: env() });
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.type}:${l.id ?? ''}:${l.status ?? ''}`)).toEqual(['document:b:Succeeded', 'document:a:Running', 'document:a:Succeeded', 'result::']);
    expect(lines[3]).toMatchObject({ service: 'translation-documents', outcome: 'succeeded', complete: true });
  });

  it('honours Retry-After: no request before it', async () => {
    const e = await azure({ documents: { a: doc(succeeded) } }, { faults: [{ service: 'translator', type: 'throttle', requests: [1], retryAfter: 1 }] });
    const r = await runCli(['translate-docs', BATCH], { env: env() });
    expect(r.code).toBe(0);
    const [first, second] = calls(e);
    expect(first!.status).toBe(429);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(r.stdout).stats.requests).toBe(2);
  });

  it('retries 500 and 503, then succeeds', async () => {
    const e = await azure({ documents: { a: doc(succeeded) } }, { faults: [{ service: 'translator', type: 'error', requests: [1] }, { service: 'translator', type: 'error', status: 503, requests: [2] }] });
    const r = await runCli(['translate-docs', BATCH], { env: env() });
    expect(r.code).toBe(0);
    expect(calls(e).map((c) => c.status)).toEqual([500, 503, 200]);
  });

  it('retries a connection reset', async () => {
    const e = await azure({ documents: { a: doc(succeeded) } }, { faults: [{ service: 'translator', type: 'reset', requests: [1] }] });
    const r = await runCli(['translate-docs', BATCH], { env: env() });
    expect(r.code).toBe(0);
    expect(calls(e).map((c) => c.status)).toEqual([-1, 200]);
    expect(JSON.parse(r.stdout).stats.requests).toBe(2);
  });

  it('prints the result so far on SIGINT and exits 130', async () => {
    const e = await azure({ documents: { a: doc(runningThen(1_000_000)), b: doc(succeeded) } });
    const r = await runCli(['translate-docs', BATCH, '--wait', '--interval', '100ms'], {
      env: env(),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (calls(e).length >= 2) {
            clearInterval(timer);
            child.kill('SIGINT');
          }
        }, 10);
      },
    });
    expect(r.code).toBe(130);
    const out = JSON.parse(r.stdout);
    expect(out.complete).toBe(false);
    expect(out.documents.map((d: { id: string; state: string }) => `${d.id}:${d.state}`)).toEqual(['b:succeeded', 'a:pending']);
  });

  it('refuses a nextLink to another host: exit 4, the key never leaves', async () => {
    const e = await azure({ documents: many(5, () => succeeded) }, { faults: [{ service: 'translator', type: 'foreign-nextlink', requests: [1] }] });
    const r = await runCli(['translate-docs', BATCH, '--max-page-size', '2'], { env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(`docstatus: ForeignNextLink: refused to follow a nextLink to another host (attacker.example): the key is only sent to ${new URL(e.url).host}\n`);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ outcome: 'error', complete: false, errors: [{ code: 'ForeignNextLink' }] });
    expect(calls(e)).toHaveLength(1);
  });

  it('ends a page loop with an error instead of running forever', async () => {
    const e = await azure({ documents: many(5, () => succeeded) }, { faults: [{ service: 'translator', type: 'page-loop', requests: [1] }] });
    const r = await runCli(['translate-docs', BATCH, '--max-page-size', '2'], { env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/PageLoop: the nextLink points back to a page already read/);
    // the nextLink names the first page: caught before asking for it again
    expect(calls(e)).toHaveLength(1);
  });

  it('an unknown batch: exit 4 with the service message on stderr', async () => {
    await azure({});
    const r = await runCli(['translate-docs', 'nope'], { env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('docstatus: ResourceNotFound: Batch id not found. (BatchNotFound)\n');
    expect(JSON.parse(r.stdout)).toMatchObject({ documents: [], errors: [{ code: 'ResourceNotFound' }] });
  });

  it('table columns: ID, status, progress, target language, characters, failure reason (path with --wide)', async () => {
    await azure({ documents: { a: doc(succeeded, 'ja'), b: doc([{ status: 'Failed', failureReason: 'bad \u001b[2Jinput' }]) } });
    const t = await runCli(['translate-docs', BATCH, '-o', 'table'], { env: env() });
    const lines = t.stdout.split('\n');
    expect(lines[1]).toMatch(/│ ID +│ STATUS +│ PROGRESS │ TO │ CHARS │ REASON +│/);
    expect(lines[2]).toMatch(/│ b +│ Failed +│ 0% +│ fr │ +│ InvalidRequest: bad input │/);
    expect(lines[3]).toMatch(/│ a +│ Succeeded │ 100% +│ ja │ 500 +│ +│/);
    const w = await runCli(['translate-docs', BATCH, '-o', 'table', '--wide'], { env: env() });
    expect(w.stdout).toContain('https://target.blob.core.windows.net/out/ja/a.docx');
  });
});

// A batch that failed validation (Azure's answer to a bad storage SAS) lists no document: translate-docs reads the
// batch once and ends failed (exit 1), where it used to wait out --timeout and exit 3 (pending) as if still indexing.
describe('translate-docs on an empty list: the batch decides', () => {
  const SAS = { status: 'ValidationFailed', failureCode: 'InvalidDocumentAccessLevel', failureReason: 'Cannot access source document location with the current permissions.' } as const;
  /** In process, on a fake clock: a --wait that waits out its --timeout costs no real time. */
  async function docs(version: string, extra: string[] = []) {
    const m = memoryIo({ env: env(), clock: fakeClock() });
    const code = await main(['translate-docs', BATCH, '--api-version', version, ...extra], m.io);
    return { code, stdout: m.stdout(), stderr: m.stderr() };
  }
  const prefixOf = (version: string) => (version.startsWith('v') ? `/translator/text/batch/${version}/batches/${BATCH}` : `/translator/document/batches/${BATCH}`);
  const routes = (e: Emulator) => calls(e).map((c) => new URL(c.url, 'http://x').pathname);
  const failedResult = (code: string, message: string, rounds: number, requests: number) => ({
    service: 'translation-documents',
    target: { endpoint: emulator!.url, batchId: BATCH },
    outcome: 'failed',
    complete: false,
    summary: { total: 0, succeeded: 0, failed: 0, pending: 0, error: 0, byStatus: {} },
    documents: [],
    errors: [{ code, message }],
    stats: { rounds, requests, elapsedMs: 0, throttled: 0 },
  });
  const versions = ['v1.0', 'v1.1', '2024-05-01', '2026-03-01'];

  it.each(versions)('%s: a ValidationFailed batch is failed (exit 1) at once: one listing and one batch read, one pass or --wait', async (version) => {
    const e = await azure({ status: [SAS] });
    const message = 'the batch is ValidationFailed: Cannot access source document location with the current permissions. (it lists no document)';
    for (const extra of [[], ['--wait', '--interval', '5s']]) {
      const before = calls(e).length;
      const r = await docs(version, extra);
      expect({ extra, ...r, stdout: JSON.parse(r.stdout) }).toEqual({
        extra,
        code: 1,
        stdout: failedResult('InvalidDocumentAccessLevel', message, 1, 2),
        stderr: `docstatus: InvalidDocumentAccessLevel: ${message}\n`,
      });
      expect(routes(e).slice(before)).toEqual([`${prefixOf(version)}/documents`, prefixOf(version)]);
    }
  });

  it.each(['v1.1', '2026-03-01'])('%s: Failed, Cancelled and Canceled batches are failed too; with no error of its own the code is the status', async (version) => {
    for (const [status, code, why] of [
      ['Failed', 'InvalidRequest', ': No document was found in the source.'], // the emulator's message for a batch with no document
      ['Cancelled', 'Cancelled', ''],
      ['Canceled', 'Canceled', ''],
    ] as const) {
      await emulator?.close();
      await azure({ status: [{ status }] });
      const r = await docs(version);
      expect({ status, code: r.code, errors: JSON.parse(r.stdout).errors, outcome: JSON.parse(r.stdout).outcome, requests: calls(emulator!).length }).toEqual({
        status,
        code: 1,
        errors: [{ code, message: `the batch is ${status}${why} (it lists no document)` }],
        outcome: 'failed',
        requests: 2,
      });
    }
  });

  it.each(['v1.1', '2026-03-01'])('%s: a Succeeded batch whose documents are all filtered away stays pending (exit 3); the warning names --wait only with --wait', async (version) => {
    const e = await azure({ documents: { a: doc(succeeded) } });
    const once = await docs(version, ['--status', 'Failed']);
    expect(once.code).toBe(3);
    expect(JSON.parse(once.stdout)).toMatchObject({ outcome: 'pending', complete: false, documents: [], stats: { rounds: 1, requests: 2 } });
    expect(JSON.parse(once.stdout).errors).toBeUndefined();
    expect(once.stderr).toBe('docstatus: warning: the document list is empty (nothing matched yet): not a success\n');
    expect(routes(e)).toEqual([`${prefixOf(version)}/documents`, prefixOf(version)]);
    const waited = await docs(version, ['--status', 'Failed', '--wait', '--interval', '1m', '--timeout', '3m', '--progress-interval', '0']);
    expect(waited.code).toBe(3);
    // Rounds at 0, 1m and 2m (the third sleep ends at the deadline): a listing and a batch read each.
    expect(JSON.parse(waited.stdout)).toMatchObject({ outcome: 'pending', stats: { rounds: 3, requests: 6 } });
    expect(waited.stderr).toBe('docstatus: warning: the document list is empty (nothing matched yet): not a success; listing again until documents appear or --timeout passes\ndocstatus: warning: --timeout 3m passed\n');
    expect(calls(e)).toHaveLength(2 + 6);
  });

  it.each(['v1.1', '2026-03-01'])('%s: a batch still running is waited for, and ends the run when it fails validation', async (version) => {
    const e = await azure({ status: [{ status: 'NotStarted' }, { afterPolls: 2, ...SAS }] });
    const r = await docs(version, ['--wait', '--interval', '5s']);
    const message = 'the batch is ValidationFailed: Cannot access source document location with the current permissions. (it lists no document)';
    expect({ ...r, stdout: JSON.parse(r.stdout) }).toEqual({
      code: 1,
      stdout: { ...failedResult('InvalidDocumentAccessLevel', message, 3, 6), stats: { rounds: 3, requests: 6, elapsedMs: 10_000, throttled: 0 } },
      stderr: `docstatus: warning: the document list is empty (nothing matched yet): not a success; listing again until documents appear or --timeout passes\ndocstatus: InvalidDocumentAccessLevel: ${message}\n`,
    });
    const p = prefixOf(version);
    expect(routes(e)).toEqual([`${p}/documents`, p, `${p}/documents`, p, `${p}/documents`, p]);
  });
});

describe('every API version', () => {
  it.each([
    ['v1.0', '/translator/text/batch/v1.0/batches/', '@nextLink'],
    ['v1.1', '/translator/text/batch/v1.1/batches/', '@nextLink'],
    ['2024-05-01', '/translator/document/batches/', 'nextLink'],
    ['2026-03-01', '/translator/document/batches/', 'nextLink'],
  ])('%s routes and paging', async (version, prefix) => {
    const e = await azure({ documents: { a: doc(succeeded), b: doc(succeeded), c: doc(succeeded) } });
    const docs = await runCli(['translate-docs', BATCH, '--api-version', version, '--max-page-size', '2'], { env: env() });
    expect(docs.code).toBe(0);
    expect(ids(docs.stdout)).toEqual(['c', 'b', 'a']);
    const one = await runCli(['translate-status', BATCH, 'a', '--api-version', version], { env: env() });
    expect(one.code).toBe(0);
    const batch = await runCli(['translate-status', BATCH, '--api-version', version], { env: env() });
    expect(batch.code).toBe(0);
    const urls = calls(e).map((c) => new URL(c.url, 'http://x'));
    expect(urls.map((u) => u.pathname)).toEqual([`${prefix}${BATCH}/documents`, `${prefix}${BATCH}/documents`, `${prefix}${BATCH}/documents/a`, `${prefix}${BATCH}`]);
    for (const u of urls) expect(u.searchParams.get('api-version')).toBe(version.startsWith('v') ? null : version);
  });

  it.each([
    ['v1.1', { top: '$top', skip: '$skip', maxpagesize: '$maxpagesize', orderby: '$orderBy' }],
    ['v1.0', { top: '$top', skip: '$skip', maxpagesize: '$maxpagesize', orderby: '$orderBy' }],
    ['2024-05-01', { top: 'top', skip: 'skip', maxpagesize: 'maxpagesize', orderby: 'orderby' }],
    ['2026-03-01', { top: 'top', skip: 'skip', maxpagesize: 'maxpagesize', orderby: 'orderby' }],
  ] as const)('%s names the paging parameters as that version does', async (version, name) => {
    const e = await azure({ documents: { a: doc(succeeded), b: doc(succeeded), c: doc(succeeded), d: doc(succeeded) } });
    const r = await runCli(['translate-docs', BATCH, '--api-version', version, '--top', '3', '--skip', '1', '--max-page-size', '2', '--order-by', 'createdDateTimeUtc asc'], { env: env() });
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(['b', 'c', 'd']);
    const first = new URL(calls(e)[0]!.url, 'http://x').searchParams;
    expect([first.get(name.top), first.get(name.skip), first.get(name.maxpagesize), first.get(name.orderby)]).toEqual(['3', '1', '2', 'createdDateTimeUtc asc']);
    const other = version.startsWith('v') ? ['top', 'skip', 'maxpagesize', 'orderby'] : ['$top', '$skip', '$maxpagesize', '$orderBy'];
    expect(other.filter((n) => first.has(n))).toEqual([]);
  });

  it('2026-03-01: the fields the version adds are in the JSON as the service names them, and --wide shows them', async () => {
    await azure({ documents: { a: doc(succeeded) } });
    const r = await runCli(['translate-status', BATCH, 'a', '--api-version', '2026-03-01'], { env: env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents[0]).toMatchObject({ id: 'a', status: 'Succeeded', totalImageScansSucceeded: 0, totalImageScansFailed: 0, imageCharged: 0 });
    const t = await runCli(['translate-status', BATCH, 'a', '--api-version', '2026-03-01', '-o', 'markdown', '--wide'], { env: env() });
    expect(t.stdout.split('\n')[0]).toBe('| ID | STATUS | PROGRESS | TO | CHARS | PATH | MODEL | IMAGES |');
    expect(t.stdout.split('\n')[2]).toMatch(/ \| 0\/0 \|$/);
  });
});

describe('Azure bad input: exit 2, nothing sent', () => {
  it.each([
    [['translate-status', BATCH, 'a'], {}, /--endpoint is required/],
    [['translate-status', BATCH, 'a', '--endpoint', 'http://translator.example.com'], { AZURE_TRANSLATOR_KEY: 'k' }, /refusing to send a key over plain http to translator.example.com/],
    [['translate-status', BATCH, 'a', '--endpoint', 'http://10.1.2.3:8080'], { AZURE_TRANSLATOR_TOKEN: 't' }, /refusing to send a key over plain http/],
    [['translate-status', BATCH, '--endpoint', 'https://x.example', '--api-version', 'v2'], {}, /Allowed choices are v1.1, v1.0, 2024-05-01, 2026-03-01/],
    [['translate-docs', BATCH, '--endpoint', 'https://x.example', '--max-page-size', '101'], {}, /--max-page-size: '101' is not a whole number from 1 to 100/],
    [['translate-docs', BATCH, '--endpoint', 'https://x.example', '--top', '-1'], {}, /--top: '-1' is not a whole number/],
    [['translate-docs', BATCH, '--endpoint', 'https://x.example', '--skip', 'x'], {}, /--skip: 'x' is not a whole number/],
    [['translate-docs', BATCH, '--endpoint', 'https://x.example', '--status', 'Done'], {}, /--status: unknown status 'Done'/],
    [['translate-docs', BATCH, '--endpoint', 'https://x.example', '--ids', 'a,,b'], {}, /--ids: an empty ID in the list/],
    [['translate-docs', BATCH, '--endpoint', 'https://x.example', '--created-after', 'yesterday'], {}, /--created-after: 'yesterday' is not an ISO-8601 date/],
    [['translate-docs', BATCH, '--endpoint', 'https://x.example', '--created-after', '2026-02-01', '--created-before', '2026-01-01'], {}, /--created-after is later than --created-before/],
    [['translate-docs', BATCH, '--endpoint', 'https://x.example', '--order-by', 'name asc'], {}, /--order-by: 'name asc' is not/],
    [['translate-docs', '--endpoint', 'https://x.example'], {}, /missing required argument 'batchId'/],
    [['translate-docs', BATCH, '--endpoint', 'ftp://x.example'], {}, /'ftp:' URLs are not supported/],
    [['translate-docs', BATCH], { AZURE_TRANSLATOR_ENDPOINT: 'https://me:hunter2@x.example' }, /^docstatus: AZURE_TRANSLATOR_ENDPOINT: put no user name or password in the URL/],
    [['translate-status', BATCH, '--endpoint', 'https://x.example', '--ids-file', '/nonexistent'], {}, /--ids-file: cannot read/],
  ])('%j', async (argv, extraEnv, message) => {
    const r = await runCli(argv as string[], { env: extraEnv as Record<string, string> });
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
  });

  it('plain http to loopback with a key is allowed', async () => {
    await azure({ documents: { a: doc(succeeded) } });
    for (const host of ['127.0.0.1', 'localhost']) {
      const url = emulator!.url.replace('127.0.0.1', host);
      const r = await runCli(['translate-status', BATCH, 'a', '--endpoint', url], { env: { AZURE_TRANSLATOR_KEY: SECRETS.azureKey } });
      expect(r.code).toBe(0);
    }
  });
});
