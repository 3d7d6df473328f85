// What a GitHub Actions job shows of a run (--github, or GITHUB_ACTIONS=true): annotations on stderr, the step summary
// and the step outputs, written to the files the runner names. The built bin, spawned against the emulator.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Step } from '../../src/emulator/scenario.js';
import { adHocServer } from '../ad-hoc-server.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { captured, DS, INDEX, KB, leakedSecrets, runCli, SECRETS } from '../helpers.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000d1';
const KENDRA = `Amazon Kendra index ${INDEX}`;

/** The runner's two files, each already holding what an earlier step wrote (they are appended to, never truncated). */
function runnerFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'docstatus-gh-'));
  const summary = join(dir, 'step_summary');
  const output = join(dir, 'output');
  writeFileSync(summary, '## an earlier step\n\n');
  writeFileSync(output, 'earlier=1\n');
  return {
    env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output },
    /** what this run appended to the summary and the outputs (the earlier step's part checked and cut off) */
    read: () => {
      const s = readFileSync(summary, 'utf8');
      const o = readFileSync(output, 'utf8');
      // The secrets scan (test/setup.ts) covers the files too.
      captured.push(s, o);
      expect(s.startsWith('## an earlier step\n\n')).toBe(true);
      expect(o.startsWith('earlier=1\n')).toBe(true);
      return { summary: s.slice('## an earlier step\n\n'.length), outputs: o.slice('earlier=1\n'.length) };
    },
  };
}

const commands = (stderr: string) => stderr.split('\n').filter((l) => l.trimStart().startsWith('::'));
const outputs = (o: Record<string, string | number>) => Object.entries(o).map(([k, v]) => `${k}=${v}\n`).join('');
/** The summary's documents table: its rows, ID first. */
const rows = (summary: string) => summary.split('\n').filter((l) => l.startsWith('| ') && !/^\| (ID|outcome|---) /.test(l) && !/^\| [a-z]+ \| \d+ \| \d+ /.test(l));

const kendraArgs = () => ['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator!.url];
async function kendra(documents: Record<string, Step[]>, generate?: { count: number; prefix: string; timeline: Step[] }) {
  emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents, ...(generate && { generate }) } } } });
  return emulator;
}
const statusCalls = (e: Emulator) => e.requests.filter((r) => r.op === 'BatchGetDocumentStatus');

describe('kendra-status in GitHub Actions', () => {
  it('one pass: exact annotations on stderr, the summary (not succeeded first) and the outputs appended; stdout is the result alone', async () => {
    await kendra({
      ok: [{ status: 'INDEXED' }],
      wip: [{ status: 'PROCESSING' }],
      bad: [{ status: 'FAILED', failureCode: '400', failureReason: 'too big' }],
      err: [{ errorCode: 'InvalidRequest', errorMessage: 'no such version' }],
    });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'ok', 'wip', 'bad', 'err'], { env: gh.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        'docstatus: document err could not be read: InvalidRequest: no such version',
        `::error title=docstatus%3A bad failed::FAILED: 400: too big (${KENDRA})`,
        `::error title=docstatus%3A err could not be read::InvalidRequest: no such version (${KENDRA})`,
        `::warning title=docstatus%3A wip still pending::PROCESSING after one pass, without --wait (${KENDRA})`,
        '',
      ].join('\n'),
    );
    const out = JSON.parse(r.stdout);
    expect(out.documents.map((d: { id: string }) => d.id)).toEqual(['ok', 'wip', 'bad', 'err']);
    expect(r.stdout).not.toContain('::');
    const { summary, outputs: o } = gh.read();
    expect(o).toBe(outputs({ outcome: 'failed', 'exit-code': 1, total: 4, succeeded: 1, failed: 1, pending: 1, error: 1 }));
    expect(summary.replace(/, \d+(\.\d+)?m?s\)/, ', Xms)')).toBe(
      [
        `### docstatus: ${KENDRA}`,
        '',
        '| outcome | exit code | total | succeeded | failed | pending | error |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| failed | 1 | 4 | 1 | 1 | 1 | 1 |',
        '',
        '| ID | STATUS | STATE | DETAIL |',
        '| --- | --- | --- | --- |',
        '| bad | FAILED | failed | 400: too big |',
        '| err | - | error | InvalidRequest: no such version |',
        '| wip | PROCESSING | pending |  |',
        '| ok | INDEXED | succeeded |  |',
        '',
        '4 documents: 1 succeeded, 1 failed, 1 pending, 1 error (outcome failed; 1 round, 1 request, Xms)',
        '',
        '',
      ].join('\n'),
    );
  });

  it('--wait where every document failed: one ::error each, exit 1, failed=3 in the outputs', async () => {
    const failing = (reason: string): Step[] => [{ status: 'PROCESSING' }, { afterPolls: 2, status: 'FAILED', failureCode: '500', failureReason: reason }];
    await kendra({ a: failing('corrupt'), b: failing('too big'), c: failing('unsupported') });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'a', 'b', 'c', '--wait', '--interval', '50ms'], { env: gh.env });
    expect(r.code).toBe(1);
    expect(commands(r.stderr)).toEqual([
      `::error title=docstatus%3A a failed::FAILED: 500: corrupt (${KENDRA})`,
      `::error title=docstatus%3A b failed::FAILED: 500: too big (${KENDRA})`,
      `::error title=docstatus%3A c failed::FAILED: 500: unsupported (${KENDRA})`,
    ]);
    const { summary, outputs: o } = gh.read();
    expect(o).toBe(outputs({ outcome: 'failed', 'exit-code': 1, total: 3, succeeded: 0, failed: 3, pending: 0, error: 0 }));
    expect(summary).toContain('\n| failed | 1 | 3 | 0 | 3 | 0 | 0 |\n');
    expect(rows(summary)).toEqual(['| a | FAILED | failed | 500: corrupt |', '| b | FAILED | failed | 500: too big |', '| c | FAILED | failed | 500: unsupported |']);
  });

  it('caps: 50 ::error and 50 ::warning lines, then a ::notice each with how many more; 100 summary rows, then how many more by state', async () => {
    const pending = Array.from({ length: 60 }, (_, i) => `p-${i}`);
    const failed = Array.from({ length: 120 }, (_, i) => `bulk-${i}`);
    await kendra(Object.fromEntries([['ok', [{ status: 'INDEXED' }]], ...pending.map((id) => [id, [{ status: 'PROCESSING' }]])]), {
      count: 120,
      prefix: 'bulk-',
      timeline: [{ status: 'FAILED', failureReason: 'no' }],
    });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'ok', ...pending, ...failed, '-q'], { env: gh.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = commands(r.stderr);
    expect(lines).toHaveLength(102);
    expect(lines.slice(0, 50)).toEqual(failed.slice(0, 50).map((id) => `::error title=docstatus%3A ${id} failed::FAILED: no (${KENDRA})`));
    expect(lines[50]).toBe('::notice title=docstatus::and 70 more documents failed or could not be read: the step summary and the result list them');
    expect(lines.slice(51, 101)).toEqual(pending.slice(0, 50).map((id) => `::warning title=docstatus%3A ${id} still pending::PROCESSING after one pass, without --wait (${KENDRA})`));
    expect(lines[101]).toBe('::notice title=docstatus::and 10 more documents still pending: the step summary and the result list them');
    const { summary, outputs: o } = gh.read();
    expect(o).toBe(outputs({ outcome: 'failed', 'exit-code': 1, total: 181, succeeded: 1, failed: 120, pending: 60, error: 0 }));
    expect(rows(summary)).toEqual(failed.slice(0, 100).map((id) => `| ${id} | FAILED | failed | no |`));
    expect(summary).toMatch(/\n\n181 documents: 1 succeeded, 120 failed, 60 pending \(outcome failed; [^\n]+\)\n\n81 more documents not shown \(20 failed, 60 pending, 1 succeeded\); the result \(`-o json`\) lists every one\.\n\n$/);
  });

  it('SIGTERM mid-wait: exit 143, and the summary and outputs still say what was known', async () => {
    const e = await kendra({ done: [{ status: 'INDEXED' }], slow: [{ status: 'PROCESSING' }] });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'done', 'slow', '--wait', '--interval', '100ms'], {
      env: gh.env,
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (statusCalls(e).length >= 2) {
            clearInterval(timer);
            child.kill('SIGTERM');
          }
        }, 10);
      },
    });
    expect(r.code).toBe(143);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'pending', complete: false, summary: { total: 2, succeeded: 1, pending: 1 } });
    expect(r.stderr).toBe(
      ['docstatus: warning: interrupted by SIGTERM: the result so far', `::warning title=docstatus%3A slow still pending::PROCESSING when interrupted by SIGTERM (${KENDRA})`, ''].join('\n'),
    );
    const { summary, outputs: o } = gh.read();
    expect(o).toBe(outputs({ outcome: 'pending', 'exit-code': 143, total: 2, succeeded: 1, failed: 0, pending: 1, error: 0 }));
    expect(summary).toContain(`### docstatus: ${KENDRA}\n\n`);
    expect(summary).toContain('\n| pending | 143 | 2 | 1 | 0 | 1 | 0 |\n\n**Interrupted by SIGTERM**: this is what was known then.\n\n');
    expect(rows(summary)).toEqual(['| slow | PROCESSING | pending |  |', '| done | INDEXED | succeeded |  |']);
  });

  it('--timeout: ::warning for each document still pending, exit 3, and the summary says the timeout passed', async () => {
    await kendra({ done: [{ status: 'INDEXED' }], slow: [{ status: 'PROCESSING' }] });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'done', 'slow', '--wait', '--interval', '100ms', '--timeout', '500ms'], { env: gh.env });
    expect(r.code).toBe(3);
    expect(commands(r.stderr)).toEqual([`::warning title=docstatus%3A slow still pending::PROCESSING when --timeout 500ms passed (${KENDRA})`]);
    const { summary, outputs: o } = gh.read();
    expect(o).toBe(outputs({ outcome: 'pending', 'exit-code': 3, total: 2, succeeded: 1, failed: 0, pending: 1, error: 0 }));
    expect(summary).toContain('\n\n**--timeout 500ms passed** with 1 document still pending.\n\n');
  });

  it('--fail-fast: the summary says it stopped the run; the documents not final then are ::warning lines', async () => {
    await kendra({ bad: [{ status: 'FAILED', failureReason: 'corrupt' }], slow: [{ status: 'PROCESSING' }] });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'bad', 'slow', '--wait', '--fail-fast', '--interval', '100ms'], { env: gh.env });
    expect(r.code).toBe(1);
    expect(commands(r.stderr)).toEqual([
      `::error title=docstatus%3A bad failed::FAILED: corrupt (${KENDRA})`,
      `::warning title=docstatus%3A slow still pending::PROCESSING when --fail-fast stopped the run (${KENDRA})`,
    ]);
    expect(gh.read().summary).toContain('\n\n**--fail-fast** stopped the run after a document failed; 1 document was not final then.\n\n');
  });

  it('every document succeeded: no annotation, outcome succeeded and exit-code 0', async () => {
    await kendra({ a: [{ status: 'INDEXED' }], b: [{ status: 'UPDATED' }] });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'a', 'b'], { env: gh.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(gh.read().outputs).toBe(outputs({ outcome: 'succeeded', 'exit-code': 0, total: 2, succeeded: 2, failed: 0, pending: 0, error: 0 }));
  });
});

describe('hostile text cannot break out of its annotation, summary row or output line', () => {
  // An ID and a reason that try every way out: a line break to start a command of their own, `::` and `,` and `:` to
  // end the properties, `%0A` to be unescaped into a line break, escape sequences, C1 controls and Unicode breaks.
  const ID = 'x\n::set-output name=pwned::1,y:z%0A%\r::end';
  const REASON = 'r\u001b[31m %0A, :: \n::error::injected\r\n::add-mask::m\u2028::warning::two\u0085::notice::three|`*';

  it('kendra-status: a hostile document is exactly one annotation line, and no other line starts a command', async () => {
    await kendra({ [ID]: [{ status: 'FAILED', failureCode: '4\r\n::stop-commands::t', failureReason: REASON }] });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), ID], { env: gh.env });
    expect(r.code).toBe(1);
    // Only our own commands start a line (the runner's test: trimmed at the start, a line beginning with `::`).
    expect(commands(r.stderr)).toEqual([
      `::error title=docstatus%3A x %3A%3Aset-output name=pwned%3A%3A1%2Cy%3Az%250A%25%3A%3Aend failed::FAILED: 4 ::stop-commands::t: r %250A, ::  ::error::injected ::add-mask::m ::warning::two::notice::three|\`* (${KENDRA})`,
    ]);
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('::error title=docstatus'))).toEqual([]);
    const { summary, outputs: o } = gh.read();
    expect(o).toBe(outputs({ outcome: 'failed', 'exit-code': 1, total: 1, succeeded: 0, failed: 1, pending: 0, error: 0 }));
    expect(rows(summary)).toEqual(['| x ::set-output name=pwned::1,y:z%0A%::end | FAILED | failed | 4 ::stop-commands::t: r %0A, ::  ::error::injected ::add-mask::m ::warning::two::notice::three\\|\\`\\* |']);
    expect(summary).not.toMatch(/[\r\u0085\u2028\u001b]/);
  });

  it('statuses named like Object.prototype members are unknown: an ::error each, error=3, exit 4', async () => {
    const e = await kendra({ c: [{ status: 'constructor' }], p: [{ status: '__proto__' }], t: [{ status: 'toString' }] });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'c', 'p', 't'], { env: gh.env });
    expect(r.code).toBe(4);
    expect(commands(r.stderr).map((l) => l.slice(0, l.indexOf('::', 2)))).toEqual([
      '::error title=docstatus%3A c could not be read',
      '::error title=docstatus%3A p could not be read',
      '::error title=docstatus%3A t could not be read',
    ]);
    const { summary, outputs: o } = gh.read();
    expect(o).toBe(outputs({ outcome: 'error', 'exit-code': 4, total: 3, succeeded: 0, failed: 0, pending: 0, error: 3 }));
    expect(rows(summary).map((row) => row.split(' | ').slice(0, 3).join(' | '))).toEqual(['| c | constructor | error', '| p | \\_\\_proto\\_\\_ | error', '| t | toString | error']);
    expect(statusCalls(e)).toHaveLength(1);
  });

  it('translate-docs: IDs and errors straight from the service are as harmless', async () => {
    emulator = await startEmulator({
      translator: { key: SECRETS.azureKey, batches: { [BATCH]: { documents: { [ID]: { timeline: [{ status: 'Failed', failureCode: 'Bad,Code:\n::x', failureReason: REASON }] } } } } },
    });
    const gh = runnerFiles();
    const r = await runCli(['translate-docs', BATCH, '--endpoint', emulator.url], { env: { ...gh.env, AZURE_TRANSLATOR_KEY: SECRETS.azureKey } });
    expect(r.code).toBe(1);
    const where = `Azure AI Document Translation batch ${BATCH} at ${new URL(emulator.url).host}`;
    expect(commands(r.stderr)).toEqual([
      `::error title=docstatus%3A x %3A%3Aset-output name=pwned%3A%3A1%2Cy%3Az%250A%25%3A%3Aend failed::Failed: Bad,Code: ::x: r %250A, ::  ::error::injected ::add-mask::m ::warning::two::notice::three|\`* (${where})`,
    ]);
    const { summary } = gh.read();
    expect(summary.startsWith(`### docstatus: ${where}\n\n`)).toBe(true);
    expect(summary).not.toMatch(/[\r\u0085\u2028\u001b]/);
    expect(rows(summary)).toHaveLength(1);
  });
});

describe('kb-status and translate-status in GitHub Actions', () => {
  it('kb-status: the heading names the knowledge base and the data source; failed and pending documents annotated', async () => {
    emulator = await startEmulator({
      'bedrock-kb': {
        knowledgeBases: { [KB]: { dataSources: { [DS]: { documents: { ok: [{ status: 'INDEXED' }], ign: [{ status: 'IGNORED', failureReason: 'unsupported file type' }], wip: [{ status: 'IN_PROGRESS' }] } } } } },
      },
    });
    const gh = runnerFiles();
    const r = await runCli(['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', emulator.url, 'ok', 'ign', 'wip'], { env: gh.env });
    expect(r.code).toBe(1);
    const where = `Amazon Bedrock knowledge base ${KB}, data source ${DS}`;
    expect(commands(r.stderr)).toEqual([
      `::error title=docstatus%3A ign failed::IGNORED: unsupported file type (${where})`,
      `::warning title=docstatus%3A wip still pending::IN_PROGRESS after one pass, without --wait (${where})`,
    ]);
    const { summary, outputs: o } = gh.read();
    expect(summary.startsWith(`### docstatus: ${where}\n\n`)).toBe(true);
    expect(rows(summary).map((row) => row.split(' | ')[0])).toEqual(['| ign', '| wip', '| ok']);
    expect(o).toBe(outputs({ outcome: 'failed', 'exit-code': 1, total: 3, succeeded: 1, failed: 1, pending: 1, error: 0 }));
  });

  it('translate-status BATCH_ID: the batch is the one row; a batch the service does not know is an ::error, exit 4', async () => {
    emulator = await startEmulator({ translator: { key: SECRETS.azureKey, batches: { [BATCH]: { documents: { a: { timeline: [{ status: 'Running' }] } } } } } });
    const env = { AZURE_TRANSLATOR_KEY: SECRETS.azureKey };
    const where = `Azure AI Document Translation batch ${BATCH} at ${new URL(emulator.url).host}`;
    const gh = runnerFiles();
    const r = await runCli(['translate-status', BATCH, '--endpoint', emulator.url], { env: { ...gh.env, ...env } });
    expect(r.code).toBe(3);
    expect(commands(r.stderr)).toEqual([`::warning title=docstatus%3A ${BATCH} still pending::Running after one pass, without --wait (${where})`]);
    expect(gh.read().outputs).toBe(outputs({ outcome: 'pending', 'exit-code': 3, total: 1, succeeded: 0, failed: 0, pending: 1, error: 0 }));

    const other = '8d1b6a3e-0000-4000-8000-00000000dead';
    const gh2 = runnerFiles();
    const unknown = await runCli(['translate-status', other, '--endpoint', emulator.url], { env: { ...gh2.env, ...env } });
    expect(unknown.code).toBe(4);
    // The run-level fault, once: the batch it left unread is counted in it, not repeated.
    expect(commands(unknown.stderr)).toEqual([
      `::error title=docstatus%3A ResourceNotFound::Batch id not found. (BatchNotFound); 1 document could not be read because of it (Azure AI Document Translation batch ${other} at ${new URL(emulator.url).host})`,
    ]);
    expect(gh2.read().outputs).toBe(outputs({ outcome: 'error', 'exit-code': 4, total: 1, succeeded: 0, failed: 0, pending: 0, error: 1 }));
  });
});

describe('when to report, and what happens when the files cannot be written', () => {
  it('a service nobody answers (connection refused, retried, given up): an ::error per document, error=2, exit 4', async () => {
    const dead = await adHocServer(() => {});
    await dead.close();
    const gh = runnerFiles();
    const r = await runCli(['kendra-status', '--index-id', INDEX, '--endpoint-url', dead.url, 'a', 'b', '-o', 'json'], { env: gh.env });
    expect(r.code).toBe(4);
    const host = new URL(dead.url).host;
    const why = `ECONNREFUSED: connection refused by ${host}`;
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `docstatus: 2 documents (the first: a) could not be read: ${why}`,
      `::error title=docstatus%3A a could not be read::${why} (${KENDRA})`,
      `::error title=docstatus%3A b could not be read::${why} (${KENDRA})`,
    ]);
    const out = JSON.parse(r.stdout);
    expect(out.documents).toEqual(['a', 'b'].map((id) => ({ id, state: 'error', errorCode: 'ECONNREFUSED', errorMessage: `connection refused by ${host}` })));
    expect(out.summary).toEqual({ total: 2, succeeded: 0, failed: 0, pending: 0, error: 2, byStatus: {} });
    // one chunk of two IDs: the first try and the transient-fault retries, counted as they were sent
    expect(out.stats).toMatchObject({ rounds: 1, requests: 5 });
    const { summary, outputs: o } = gh.read();
    expect(o).toBe(outputs({ outcome: 'error', 'exit-code': 4, total: 2, succeeded: 0, failed: 0, pending: 0, error: 2 }));
    expect(rows(summary)).toEqual(['a', 'b'].map((id) => `| ${id} | - | error | ${why} |`));
  });

  it('--no-github with GITHUB_ACTIONS=true writes nothing: no annotation, the files as they were', async () => {
    await kendra({ bad: [{ status: 'FAILED' }], wip: [{ status: 'PROCESSING' }] });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'bad', 'wip', '--no-github'], { env: gh.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(gh.read()).toEqual({ summary: '', outputs: '' });
  });

  it('outside GitHub Actions (no GITHUB_ACTIONS) nothing is reported, even with the files named', async () => {
    await kendra({ bad: [{ status: 'FAILED' }] });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'bad'], { env: { ...gh.env, GITHUB_ACTIONS: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(gh.read()).toEqual({ summary: '', outputs: '' });
  });

  it('--github with no runner files: the annotations alone, and a note only with --verbose', async () => {
    await kendra({ bad: [{ status: 'FAILED' }] });
    const r = await runCli([...kendraArgs(), 'bad', '--github']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`::error title=docstatus%3A bad failed::FAILED (${KENDRA})\n`);
    const verbose = await runCli([...kendraArgs(), 'bad', '--github', '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toContain('\n--github: $GITHUB_STEP_SUMMARY is not set: no step summary; $GITHUB_OUTPUT is not set: no step outputs (the annotations are on stderr)\n');
  });

  it('GITHUB_ACTIONS=true with $GITHUB_OUTPUT unset: a warning, once; the summary is still written', async () => {
    await kendra({ bad: [{ status: 'FAILED' }] });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'bad'], { env: { ...gh.env, GITHUB_OUTPUT: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `::error title=docstatus%3A bad failed::FAILED (${KENDRA})\ndocstatus: warning: --github: $GITHUB_OUTPUT is not set: no step outputs (the annotations are on stderr)\n`,
    );
    const { summary, outputs: o } = gh.read();
    expect(summary).toContain(`### docstatus: ${KENDRA}\n`);
    expect(o).toBe('');
  });

  it('a summary file that cannot be written is a warning: the outputs are still written and the exit code is the result\'s', async () => {
    await kendra({ ok: [{ status: 'INDEXED' }] });
    const gh = runnerFiles();
    const dir = mkdtempSync(join(tmpdir(), 'docstatus-gh-'));
    mkdirSync(join(dir, 'a-directory'));
    const r = await runCli([...kendraArgs(), 'ok'], { env: { ...gh.env, GITHUB_STEP_SUMMARY: join(dir, 'a-directory') } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`docstatus: warning: --github: cannot append to $GITHUB_STEP_SUMMARY (${join(dir, 'a-directory')}): EISDIR\n`);
    expect(gh.read().outputs).toBe(outputs({ outcome: 'succeeded', 'exit-code': 0, total: 1, succeeded: 1, failed: 0, pending: 0, error: 0 }));
  });

  it('an outputs file on a full disk (/dev/full) is a warning; the summary is still written and the exit code is the result\'s', async () => {
    const e = await kendra({ ok: [{ status: 'INDEXED' }] });
    const gh = runnerFiles();
    const r = await runCli([...kendraArgs(), 'ok'], { env: { ...gh.env, GITHUB_OUTPUT: '/dev/full' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('docstatus: warning: --github: cannot append to $GITHUB_OUTPUT (/dev/full): ENOSPC\n');
    expect(gh.read().summary).toContain(`### docstatus: ${KENDRA}\n`);
    expect(statusCalls(e)).toHaveLength(1);
  });

  it('a summary path that is a FIFO nobody reads is a warning, not a hang (nor a process SIGTERM cannot end)', async () => {
    await kendra({ ok: [{ status: 'INDEXED' }] });
    const gh = runnerFiles();
    const fifo = join(mkdtempSync(join(tmpdir(), 'docstatus-gh-')), 'fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli([...kendraArgs(), 'ok'], { env: { ...gh.env, GITHUB_STEP_SUMMARY: fifo }, timeoutMs: 15_000 });
    expect(r.signal).toBe(null);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`docstatus: warning: --github: cannot append to $GITHUB_STEP_SUMMARY (${fifo}): ENXIO\n`);
    expect(gh.read().outputs).toBe(outputs({ outcome: 'succeeded', 'exit-code': 0, total: 1, succeeded: 1, failed: 0, pending: 0, error: 0 }));
  });
});

describe('secrets never reach the annotations, the summary or the outputs', () => {
  it('keys a service echoes back are *** everywhere (Kendra and Azure)', async () => {
    emulator = await startEmulator({
      kendra: { indexes: { [INDEX]: { documents: { k: [{ status: 'FAILED', failureCode: SECRETS.awsSecret, failureReason: `signed with ${SECRETS.awsSecret}` }] } } } },
      translator: {
        key: SECRETS.azureKey,
        batches: { [BATCH]: { documents: { t: { timeline: [{ status: 'Failed', failureCode: 'Auth', failureReason: `key ${SECRETS.azureKey} token ${SECRETS.azureToken}` }] } } } },
      },
    });
    const gh = runnerFiles();
    const k = await runCli([...kendraArgs(), 'k'], { env: gh.env });
    const t = await runCli(['translate-status', BATCH, 't', '--endpoint', emulator.url], { env: { ...gh.env, AZURE_TRANSLATOR_KEY: SECRETS.azureKey, AZURE_TRANSLATOR_TOKEN: SECRETS.azureToken } });
    expect([k.code, t.code]).toEqual([1, 1]);
    const { summary, outputs: o } = gh.read();
    const everything = [k.stderr, t.stderr, summary, o].join('\n');
    expect(leakedSecrets(everything)).toEqual([]);
    // The secrets were there to leak: each one is *** where the service put it.
    expect(commands(k.stderr)).toEqual([`::error title=docstatus%3A k failed::FAILED: ***: signed with *** (${KENDRA})`]);
    expect(commands(t.stderr)[0]).toMatch(/::Failed: Auth: key \*\*\* token \*\*\* \(/);
    expect(summary).toContain('| k | FAILED | failed | \\*\\*\\*: signed with \\*\\*\\* |');
    expect(summary).toContain('| t | Failed | 0% | fr |  | Auth: key \\*\\*\\* token \\*\\*\\* |');
  });
});
