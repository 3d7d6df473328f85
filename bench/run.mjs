#!/usr/bin/env node
// docstatus benchmark: request economy, one pass at scale, time to notice, start-up, memory, and the aws CLI peer.
// Everything runs against `docstatus emulate` in its own process; every number comes from a run on this machine.
//   npm run bench                    full run (medians of 5), writes bench/results.json
//   npm run bench -- --smoke         small sizes, one run each: checks the script works (CI), writes to a temp file
//   npm run bench -- --skip-peer     without the aws CLI row (about 4 minutes shorter)
//   npm run bench -- --only=startup,memory   some steps only (results.json then holds only those rows)
//   npm run bench -- --only=pace --pace-rates=5   the rows at a quota, for some bucket rates only (--smoke: 50/s only)
// Start-up is also measured under every Node that scripts/node-versions.mjs has put in its cache (22, 24: fetch them
// with `node scripts/node-versions.mjs --install`), with V8's compile cache and without.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_VERSIONS, nodeBinary } from '../scripts/node-versions.mjs';

const BIN = fileURLToPath(new URL('../bin/docstatus.js', import.meta.url));
const argv = process.argv.slice(2);
const SMOKE = argv.includes('--smoke');
const SKIP_PEER = argv.includes('--skip-peer');
const RUNS = SMOKE ? 1 : 5;
const SIZE = SMOKE
  ? { economy: 300, onePass: 300, listing: 500, memSmall: 2_000, memLarge: 20_000, peer: 30, startupRuns: 3 }
  : { economy: 10_000, onePass: 10_000, listing: 10_000, memSmall: 100_000, memLarge: 1_000_000, peer: 1_000, startupRuns: 21 };
const INDEX = 'be7c4000-0000-4000-8000-00000000be7c';
const BATCH = 'be7c4000-0000-4000-8000-0000000ba7c0';
const KB = 'BENCHKB001';
const DS = 'BENCHDS001';
const tmp = mkdtempSync(join(os.tmpdir(), 'docstatus-bench-'));
const ENV = {
  PATH: process.env.PATH,
  HOME: tmp,
  NO_COLOR: '1',
  AWS_ACCESS_KEY_ID: 'BENCHKEY',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_PAGER: '',
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ids = (n, prefix = 'doc-') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const log = (m) => process.stderr.write(`bench: ${m}\n`);

/** Starts `docstatus emulate` with a scenario; resolves when it prints its URL. */
async function emulator(scenario) {
  const file = join(tmp, `scenario-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  const child = spawn(process.execPath, [BIN, 'emulate', '--port', '0', '--scenario', file], { env: ENV, stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d).trim()));
    child.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
  });
  const stats = async () => (await fetch(`${url}/_emulator/stats`)).json();
  return {
    url,
    stats,
    reset: () => fetch(`${url}/_emulator/reset`, { method: 'POST' }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/** Runs a command; resolves with its exit code, stdout, stderr and wall time (spawn to exit). */
function run(cmd, args, { input, env = ENV } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms: performance.now() - started, endedAt: Date.now() }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}
const docstatus = (args, opts) => run(process.execPath, [BIN, ...args], opts);

const rows = [];
function row(id, name, value, target, unit, met, detail) {
  rows.push({ id, name, value: Number(value.toFixed(3)), target, unit, met, detail });
  log(`${met ? 'met ' : 'MISS'} ${name}: ${value.toFixed(3)} ${unit} (target ${target})${detail ? ` — ${detail}` : ''}`);
}

// 1. Request economy ----------------------------------------------------------------------------------------------
async function economyKendra() {
  const n = SIZE.economy;
  // document i becomes INDEXED on its (i % 6 + 1)-th query: six rounds, each asking only the ones still pending
  const finishAfter = (i) => i % 6;
  const documents = Object.fromEntries(ids(n).map((id, i) => [id, [{ status: 'PROCESSING' }, { afterPolls: finishAfter(i), status: 'INDEXED' }]]));
  const emu = await emulator({ kendra: { indexes: { [INDEX]: { documents } } } });
  const r = await docstatus(['kendra-status', '--index-id', INDEX, '--endpoint-url', emu.url, '--wait', '--interval', '10ms', '--concurrency', '16', '-o', 'json'], {
    input: ids(n).join('\n'),
  });
  const sent = (await emu.stats()).requests;
  await emu.stop();
  let floor = 0;
  for (let round = 1; round <= 6; round++) floor += Math.ceil(ids(n).filter((_, i) => finishAfter(i) >= round - 1).length / 10);
  const out = JSON.parse(r.stdout);
  row('economy-kendra', `Kendra --wait, ${n} docs over 6 rounds: requests / floor`, sent / floor, '1.00', 'ratio', sent / floor <= 1.0, `${sent} sent, floor ${floor}, ${out.stats.rounds} rounds, exit ${r.code}`);
}

async function economyTranslate() {
  const n = SIZE.listing;
  // a long tail: most documents finish at once, a few take up to five more rounds. Every round's leavers are under a
  // tenth of the batch, so they are read by ID and each pending document is listed exactly once a round (the
  // emulator's afterPolls counts listings, so a full re-listing would move the timelines on).
  const k = (i) => [0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5][i % 12];
  const documents = Object.fromEntries(
    ids(n, 'd-').map((id, i) => [id, { timeline: [{ status: 'Running' }, { afterPolls: k(i), status: i % 97 === 0 ? 'Failed' : 'Succeeded' }] }]),
  );
  const emu = await emulator({ translator: { batches: { [BATCH]: { documents } } } });
  const r = await docstatus(['translate-docs', BATCH, '--endpoint', emu.url, '--wait', '--interval', '10ms', '-o', 'json']);
  const sent = (await emu.stats()).requests;
  await emu.stop();
  // The pending-only re-listing floor: round 1 lists all (pages of 100); round r lists what is still pending (at least
  // one request) and reads the documents that left the pending list by ID (10 a request) or by one full listing.
  const count = (pred) => ids(n).filter((_, i) => pred(k(i))).length;
  let floor = Math.ceil(n / 100);
  for (let round = 2; round <= 6; round++) {
    floor += Math.max(1, Math.ceil(count((x) => x >= round) / 100)) + Math.min(Math.ceil(count((x) => x === round - 1) / 10), Math.ceil(n / 100));
  }
  const out = JSON.parse(r.stdout);
  row('economy-translate', `translate-docs --wait, ${n} docs: requests / pending-only re-listing floor`, sent / floor, '1.00', 'ratio', sent / floor <= 1.0, `${sent} sent, floor ${floor}, ${out.stats.rounds} rounds`);
}

async function economyKb() {
  const n = SIZE.economy;
  // as economy-kendra: document i becomes INDEXED on its (i % 6 + 1)-th query, so each round asks only the ones pending
  const finishAfter = (i) => i % 6;
  const documents = Object.fromEntries(ids(n).map((id, i) => [id, [{ status: 'IN_PROGRESS' }, { afterPolls: finishAfter(i), status: 'INDEXED' }]]));
  const emu = await emulator({ 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: { documents } } } } } });
  // (the emulator has no quota here: the default pace, 4.5/s, is lifted; requests are what this row counts)
  const r = await docstatus(['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', emu.url, '--wait', '--interval', '10ms', '--concurrency', '16', '--max-rps', '100000', '-o', 'json'], {
    input: ids(n).join('\n'),
  });
  const sent = (await emu.stats()).requests;
  await emu.stop();
  if (r.code !== 0) throw new Error(`economy-kb exited ${r.code}: ${r.stderr.slice(-300)}`);
  let floor = 0;
  for (let round = 1; round <= 6; round++) floor += Math.ceil(ids(n).filter((_, i) => finishAfter(i) >= round - 1).length / 10);
  const out = JSON.parse(r.stdout);
  row('economy-kb', `kb-status --wait, ${n} docs over 6 rounds: requests / floor`, sent / floor, '1.00', 'ratio', sent / floor <= 1.0, `${sent} sent, floor ${floor}, ${out.stats.rounds} rounds, exit ${r.code}`);
}

// 2. One pass at scale --------------------------------------------------------------------------------------------
async function onePassKendra(concurrency) {
  const n = SIZE.onePass;
  const latency = 20;
  const emu = await emulator({ latency, kendra: { indexes: { [INDEX]: {} } } });
  const input = ids(n).join('\n');
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await docstatus(['kendra-status', '--index-id', INDEX, '--endpoint-url', emu.url, '--concurrency', String(concurrency), '-q'], { input });
    if (r.code !== 3) throw new Error(`one pass exited ${r.code}: ${r.stderr}`);
    times.push(r.ms);
  }
  await emu.stop();
  const floor = (Math.ceil(n / 10) * latency) / concurrency;
  const ratio = median(times) / floor;
  row(`one-pass-kendra-c${concurrency}`, `Kendra one pass, ${n} IDs, 20 ms latency, --concurrency ${concurrency}: wall / floor`, ratio, '<= 1.3', 'ratio', ratio <= 1.3, `median ${median(times).toFixed(0)} ms, floor ${floor} ms`);
}

async function onePassListing() {
  const n = SIZE.listing;
  const latency = 20;
  const emu = await emulator({ latency, translator: { batches: { [BATCH]: { generate: { count: n, timeline: [{ status: 'Succeeded' }] } } } } });
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await docstatus(['translate-docs', BATCH, '--endpoint', emu.url, '-q']);
    if (r.code !== 0) throw new Error(`translate-docs exited ${r.code}: ${r.stderr}`);
    times.push(r.ms);
  }
  await emu.stop();
  const pages = Math.ceil(n / 100);
  const floor = pages * latency;
  const ratio = median(times) / floor;
  row('one-pass-translate', `translate-docs, ${n} docs in pages of 100, 20 ms latency: wall / (pages x latency)`, ratio, '<= 1.3', 'ratio', ratio <= 1.3, `median ${median(times).toFixed(0)} ms, floor ${floor} ms`);
}

async function onePassKb() {
  const n = SIZE.onePass;
  const latency = 20;
  const concurrency = 4;
  const emu = await emulator({ latency, 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: {} } } } } });
  const input = ids(n).join('\n');
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    // every document is NOT_FOUND, so a pass ends pending (exit 3); the emulator has no quota here, so the default pace
    // (4.5/s, Bedrock's published quota) is lifted: this row measures the cost of a pass, the pace rows measure the pace
    const r = await docstatus(['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', emu.url, '--concurrency', String(concurrency), '--max-rps', '100000', '-q'], { input });
    if (r.code !== 3) throw new Error(`kb-status one pass exited ${r.code}: ${r.stderr}`);
    times.push(r.ms);
  }
  const sent = (await emu.stats()).requests;
  await emu.stop();
  if (sent !== RUNS * Math.ceil(n / 10)) throw new Error(`kb-status one pass sent ${sent} requests, not ${RUNS} x ${Math.ceil(n / 10)}`);
  const floor = (Math.ceil(n / 10) * latency) / concurrency;
  const ratio = median(times) / floor;
  row('one-pass-kb', `kb-status one pass, ${n} IDs, 20 ms latency, --concurrency ${concurrency} --max-rps 100000: wall / floor`, ratio, '<= 1.3', 'ratio', ratio <= 1.3, `median ${median(times).toFixed(0)} ms, floor ${floor} ms`);
}

// 2b. Pace at a quota ----------------------------------------------------------------------------------------------
// One pass against the emulator's token bucket of R requests a second (burst: one second's worth, full at the start;
// 20 ms latency). "rate used" is the rate of the requests the bucket let through, as the emulator saw them arrive,
// from the second on (the first also opens the connection, so it arrives late): (passed - 2) / (last - second), over R; "throttled" is the share of docstatus's requests that got a throttling answer.
// --pace-rates=5,20 runs some R only (the R = 5 rows take about 80 s each).
const PACE_RATES = (argv.find((a) => a.startsWith('--pace-rates='))?.slice('--pace-rates='.length).split(',') ?? (SMOKE ? ['50'] : ['5', '20', '50'])).map(Number);
async function paceRun({ service, rps, answer, n, args, label, id, rateTarget, throttledTarget, target: targetText = '>= 0.90, throttled <= 5 %', perSecond = false }) {
  const latency = 20;
  const scenario =
    service === 'kendra'
      ? { latency, kendra: { indexes: { [INDEX]: {} } }, rateLimit: { kendra: { rps, ...(answer && { answer }) } } }
      : { latency, 'bedrock-kb': { knowledgeBases: { [KB]: { dataSources: { [DS]: {} } } } }, rateLimit: { 'bedrock-kb': { rps, ...(answer && { answer }) } } };
  const emu = await emulator(scenario);
  const target = service === 'kendra' ? ['kendra-status', '--index-id', INDEX] : ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS];
  const r = await docstatus([...target, '--endpoint-url', emu.url, '-o', 'json', ...args], { input: ids(n).join('\n') });
  const { byStatus, rateLimit } = await emu.stats();
  const bucket = rateLimit[service];
  await emu.stop();
  // every document is NOT_FOUND, so a complete pass ends pending (exit 3); anything else lost a document
  if (r.code !== 3) throw new Error(`${id} exited ${r.code}: ${r.stderr.slice(-300)}`);
  const out = JSON.parse(r.stdout);
  const { requests, throttled, elapsedMs, maxRps } = out.stats;
  if (out.summary.pending !== n) throw new Error(`${id}: ${out.summary.pending} of ${n} documents read`);
  if (bucket.passed !== requests - throttled || bucket.refused !== throttled) throw new Error(`${id}: docstatus counted ${requests} requests, ${throttled} throttled; the emulator ${JSON.stringify(bucket)}`);
  const rate = (bucket.passed - 2) / ((bucket.lastAt - bucket.secondAt) / 1000);
  const share = throttled / requests;
  const used = rate / rps;
  const met = rateTarget(rate, used) && throttledTarget(share);
  const detail = `${requests} requests, ${throttled} throttled (${(share * 100).toFixed(1)} %), ${rate.toFixed(2)}/s over ${(elapsedMs / 1000).toFixed(1)} s, pace at the end ${maxRps ?? 'unpaced'}/s; emulator statuses ${JSON.stringify(byStatus)}`;
  row(id, label, perSecond ? rate : used, targetText, perSecond ? '/s' : 'x R', met, detail);
}

async function pace() {
  const n = SMOKE ? 300 : 4000;
  const atLeast90 = (_rate, used) => used >= 0.9;
  const within5 = (share) => share <= 0.05;
  for (const rps of PACE_RATES) {
    for (const concurrency of [4, 16]) {
      const c = ['--concurrency', String(concurrency)];
      await paceRun({ service: 'kendra', rps, n, args: c, id: `pace-kendra-r${rps}-c${concurrency}`, label: `pace: Kendra, ${n} IDs, bucket ${rps}/s, --concurrency ${concurrency}: rate used / R`, rateTarget: atLeast90, throttledTarget: within5 });
      // Bedrock: its published quota (5/s) is the default cap; a larger bucket is an account whose quota was raised,
      // so those rows lift the cap (--max-rps 1000) and the pace is learnt, from 402 ServiceQuotaExceededException.
      const lift = rps === 5 ? [] : ['--max-rps', '1000'];
      await paceRun({ service: 'bedrock-kb', rps, answer: 'quota', n, args: [...c, ...lift], id: `pace-kb-r${rps}-c${concurrency}`, label: `pace: kb-status, ${n} IDs, bucket ${rps}/s (402), --concurrency ${concurrency}${lift.length ? ' --max-rps 1000' : ''}: rate used / R`, rateTarget: atLeast90, throttledTarget: within5 });
    }
  }
  const first = SMOKE ? 45 : 450;
  await paceRun({ service: 'bedrock-kb', rps: 5, n: first, args: [], id: 'pace-kb-first-seconds', label: `pace: kb-status, no --max-rps, ${first} IDs (10 s) against a fresh 5/s bucket: rate used / R`, rateTarget: atLeast90, throttledTarget: within5 });
  const capped = SMOKE ? 50 : 400;
  await paceRun({
    service: 'kendra',
    rps: 5,
    n: capped,
    args: ['--max-rps', '2'],
    id: 'pace-max-rps-2',
    label: `pace: Kendra --max-rps 2, ${capped} IDs, bucket 5/s: rate used`,
    target: '1.8-2.0, 0 throttled',
    perSecond: true,
    // to the hundredth: the pace is 2.000/s; measured from arrival times it reads 2.00x when the second request reaches
    // the emulator a few ms after its turn (signing it on a busy machine)
    rateTarget: (rate) => rate >= 1.8 && Number(rate.toFixed(2)) <= 2.0,
    throttledTarget: (share) => share === 0,
  });
}

// 3. Time to notice -----------------------------------------------------------------------------------------------
async function timeToNotice() {
  const interval = 1000;
  const flipAfter = 2300;
  const notices = [];
  const requestMs = [];
  for (let i = 0; i < RUNS; i++) {
    const emu = await emulator({ latency: 20, kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'PROCESSING' }, { after: flipAfter, status: 'INDEXED' }] } } } } });
    const { startedAt } = await emu.stats();
    const r = await docstatus(['kendra-status', '--index-id', INDEX, '--endpoint-url', emu.url, 'a', '--wait', '--interval', `${interval}ms`, '--verbose', '-q']);
    await emu.stop();
    if (r.code !== 0) throw new Error(`time to notice: exit ${r.code}`);
    notices.push(r.endedAt - (startedAt + flipAfter));
    requestMs.push(median([...r.stderr.matchAll(/ (\d+)ms$/gm)].map((m) => Number(m[1]))));
  }
  const target = interval + median(requestMs);
  row('time-to-notice', `time from the last flip to exit, --interval ${interval}ms`, median(notices), `<= ${target.toFixed(0)} (interval + one request)`, 'ms', median(notices) <= target, `runs: ${notices.map((x) => x.toFixed(0)).join(', ')}`);
}

// 4. Start-up -----------------------------------------------------------------------------------------------------
async function startup() {
  const emu = await emulator({ kendra: { indexes: { [INDEX]: {} } } });
  // The floor under a Kendra call: the SDK and one request, bundled as docstatus is, with none of docstatus.
  const { build } = await import('esbuild');
  const floorScript = join(tmp, 'sdk-floor.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/sdk-floor.mjs', import.meta.url))],
    outfile: floorScript,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const floorEnv = { ...ENV, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const cases = {
    sdkFloor: () => run(process.execPath, [floorScript, emu.url, INDEX], { env: floorEnv }),
    node: () => run(process.execPath, ['-e', '0']),
    version: () => docstatus(['--version']),
    help: () => docstatus(['kendra-status', '--help']),
    pass10: () => docstatus(['kendra-status', '--index-id', INDEX, '--endpoint-url', emu.url, '-q', ...ids(10)]),
  };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  // interleaved, so a noisy moment hits every case alike
  for (let i = 0; i < SIZE.startupRuns; i++) for (const [k, f] of Object.entries(cases)) times[k].push((await f()).ms);
  await emu.stop();
  const base = median(times.node);
  const ratio = (k) => median(times[k]) / base;
  row('startup-version', 'docstatus --version / node -e 0 (medians)', ratio('version'), '<= 1.5', 'ratio', ratio('version') <= 1.5, `${median(times.version).toFixed(1)} ms vs ${base.toFixed(1)} ms`);
  row('startup-help', 'docstatus kendra-status --help / node -e 0', ratio('help'), '<= 1.5', 'ratio', ratio('help') <= 1.5, `${median(times.help).toFixed(1)} ms`);
  row('startup-pass10', 'kendra-status one pass of 10 IDs, whole process / node -e 0', ratio('pass10'), '<= 2.5', 'ratio', ratio('pass10') <= 2.5, `${median(times.pass10).toFixed(1)} ms`);
  row(
    'startup-sdk-floor',
    'the same call with the bare AWS SDK (bundled alike, nothing of docstatus) / node -e 0',
    ratio('sdkFloor'),
    'report (the floor of the row above)',
    'ratio',
    true,
    `${median(times.sdkFloor).toFixed(1)} ms; docstatus adds ${(median(times.pass10) - median(times.sdkFloor)).toFixed(1)} ms`,
  );
}

/**
 * The Nodes to compare: the one running the bench, then each one in scripts/node-versions.mjs's cache, one per version
 * (test/e2e/bench.test.ts expects the same list).
 */
function benchNodes() {
  const nodes = [];
  for (const binary of [process.execPath, ...Object.keys(NODE_VERSIONS).map((m) => nodeBinary(m))]) {
    if (!existsSync(binary)) continue;
    const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (version && !nodes.some((n) => n.version === version)) nodes.push({ binary, version, major: Number(version.slice(1).split('.')[0]) });
  }
  return nodes;
}

/**
 * 4b. Start-up under each Node, with V8's compile cache (bin/ enables it where Node has it: 22.1 and later) and without
 * (NODE_DISABLE_COMPILE_CACHE=1). Each Node's ratios are against its own `node -e 0`; the cache is a fresh folder per
 * Node, filled by one untimed run of each case first, as a user's second run finds it.
 */
async function startupNodes() {
  const emu = await emulator({ kendra: { indexes: { [INDEX]: {} } } });
  const nodes = benchNodes();
  const cases = {
    version: ['--version'],
    help: ['kendra-status', '--help'],
    pass10: ['kendra-status', '--index-id', INDEX, '--endpoint-url', emu.url, '-q', ...ids(10)],
  };
  const envs = {};
  for (const n of nodes) {
    const dir = join(tmp, `compile-cache-${n.version}`);
    mkdirSync(dir);
    envs[n.version] = { cached: { ...ENV, NODE_COMPILE_CACHE: dir }, plain: { ...ENV, NODE_DISABLE_COMPILE_CACHE: '1' } };
    for (const args of Object.values(cases)) await run(n.binary, [BIN, ...args], { env: envs[n.version].cached });
  }
  const times = {};
  const push = (key, ms) => (times[key] ??= []).push(ms);
  // interleaved, so a noisy moment hits every Node and case alike
  for (let i = 0; i < SIZE.startupRuns; i++) {
    for (const n of nodes) {
      push(`${n.version} node`, (await run(n.binary, ['-e', '0'])).ms);
      for (const [name, args] of Object.entries(cases)) {
        for (const mode of ['cached', 'plain']) {
          const r = await run(n.binary, [BIN, ...args], { env: envs[n.version][mode] });
          if (r.code !== (name === 'pass10' ? 3 : 0)) throw new Error(`${n.version} ${name} exited ${r.code}: ${r.stderr.slice(-300)}`);
          push(`${n.version} ${name} ${mode}`, r.ms);
        }
      }
    }
  }
  await emu.stop();
  const what = { version: ['docstatus --version', '<= 1.5'], help: ['docstatus kendra-status --help', '<= 1.5'], pass10: ['kendra-status one pass of 10 IDs', '<= 2.5'] };
  for (const n of nodes) {
    const base = median(times[`${n.version} node`]);
    const hasCache = n.major > 22 || (n.major === 22 && Number(n.version.split('.')[1]) >= 1);
    for (const [name, [label, target]] of Object.entries(what)) {
      const cached = median(times[`${n.version} ${name} cached`]);
      const plain = median(times[`${n.version} ${name} plain`]);
      const ratio = cached / base;
      const detail = hasCache
        ? `${cached.toFixed(1)} ms with the compile cache, ${plain.toFixed(1)} ms without (${(plain / base).toFixed(3)}); node -e 0 ${base.toFixed(1)} ms`
        : `${cached.toFixed(1)} ms (this Node has no compile cache); node -e 0 ${base.toFixed(1)} ms`;
      const label2 = `Node ${n.version.slice(1)}: ${label} / node -e 0 (${hasCache ? 'compile cache on' : 'no compile cache in this Node'})`;
      row(`startup-node${n.major}-${name}`, label2, ratio, target, 'ratio', ratio <= Number(target.slice(3)), detail);
    }
  }
}

// 5. Memory -------------------------------------------------------------------------------------------------------
async function peakRss(args, input) {
  const r = await run('/usr/bin/time', ['-f', 'RSS_KB=%M', process.execPath, BIN, ...args], { input });
  const m = /RSS_KB=(\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no RSS in: ${r.stderr.slice(-300)}`);
  return { mb: Number(m[1]) / 1024, code: r.code, ms: r.ms };
}

async function memory() {
  if (spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status !== 0) {
    log('skipping memory: /usr/bin/time (Debian package time) is not installed');
    return;
  }
  const emu = await emulator({ kendra: { indexes: { [INDEX]: {} } } });
  const base = (await peakRss(['--version'])).mb;
  const results = {};
  for (const [n, target] of [
    [SIZE.memSmall, 150],
    [SIZE.memLarge, 600],
  ]) {
    const r = await peakRss(['kendra-status', '--index-id', INDEX, '--endpoint-url', emu.url, '-o', 'json'], ids(n).join('\n'));
    if (r.code !== 3) throw new Error(`memory run exited ${r.code}`);
    results[n] = r.mb;
    row(`memory-${n}`, `peak RSS, one pass over ${n} IDs from stdin (JSON out)`, r.mb, `< ${target}`, 'MB', r.mb < target, `${(r.ms / 1000).toFixed(1)} s`);
  }
  await emu.stop();
  const growth = (results[SIZE.memLarge] - base) / (results[SIZE.memSmall] - base);
  const scale = SIZE.memLarge / SIZE.memSmall;
  row('memory-growth', `growth of RSS above start-up, ${SIZE.memSmall} -> ${SIZE.memLarge} IDs (x${scale} IDs)`, growth, `<= ${scale} (linear)`, 'x', growth <= scale * 1.1, `start-up RSS ${base.toFixed(1)} MB`);
}

// 6. The peer: a shell loop over the aws CLI ----------------------------------------------------------------------
async function peer() {
  if (SKIP_PEER) return log('skipping the aws CLI row (--skip-peer)');
  if (spawnSync('aws', ['--version'], { env: ENV }).status !== 0) return log('skipping the aws CLI row: aws is not installed (Debian package awscli)');
  const n = SIZE.peer;
  const emu = await emulator({ kendra: { indexes: { [INDEX]: { documents: Object.fromEntries(ids(n).map((id) => [id, [{ status: 'INDEXED' }]])) } } } });
  const list = ids(n);
  const script = `while read -r chunk; do aws kendra batch-get-document-status --endpoint-url ${emu.url} --index-id ${INDEX} --document-info-list $chunk --output json > /dev/null || exit 1; done`;
  const chunks = [];
  for (let i = 0; i < n; i += 10) chunks.push(list.slice(i, i + 10).map((id) => `DocumentId=${id}`).join(' '));
  const peerTimes = [];
  const ourTimes = [];
  const runs = SMOKE ? 1 : RUNS;
  for (let i = 0; i < runs; i++) {
    const p = await run('bash', ['-c', script], { input: `${chunks.join('\n')}\n` });
    if (p.code !== 0) throw new Error(`aws loop failed: ${p.stderr.slice(-300)}`);
    peerTimes.push(p.ms);
    ourTimes.push((await docstatus(['kendra-status', '--index-id', INDEX, '--endpoint-url', emu.url, '-q'], { input: list.join('\n') })).ms);
  }
  await emu.stop();
  const ratio = median(peerTimes) / median(ourTimes);
  row('peer-aws-cli', `aws CLI loop (one call per 10 IDs) / docstatus, ${n} IDs`, ratio, 'report', 'x', true, `aws ${(median(peerTimes) / 1000).toFixed(1)} s, docstatus ${median(ourTimes).toFixed(0)} ms`);
}

const STEPS = {
  'economy-kendra': economyKendra,
  'economy-translate': economyTranslate,
  'economy-kb': economyKb,
  'one-pass-kendra': async () => {
    await onePassKendra(4);
    await onePassKendra(16);
  },
  'one-pass-translate': onePassListing,
  'one-pass-kb': onePassKb,
  pace,
  'time-to-notice': timeToNotice,
  startup,
  'startup-nodes': startupNodes,
  memory,
  peer,
};
const onlyArg = argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : Object.keys(STEPS);
const started = Date.now();
for (const name of only) {
  if (!STEPS[name]) throw new Error(`unknown step ${name} (steps: ${Object.keys(STEPS).join(', ')})`);
  await STEPS[name]();
}

const width = Math.max(...rows.map((r) => r.name.length));
const lines = [
  `| ${'measure'.padEnd(width)} | value | unit | target | met |`,
  `| ${'-'.repeat(width)} | --- | --- | --- | --- |`,
  ...rows.map((r) => `| ${r.name.padEnd(width)} | ${r.value} | ${r.unit} | ${r.target} | ${r.met ? 'yes' : 'NO'} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
const results = {
  date: new Date().toISOString(),
  smoke: SMOKE,
  runs: RUNS,
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  seconds: Math.round((Date.now() - started) / 1000),
  rows,
};
const path = SMOKE ? join(tmp, 'results.json') : fileURLToPath(new URL('./results.json', import.meta.url));
writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${path} (${results.seconds} s)`);
// A full run fails when a target is missed; --smoke only checks that the script works (its sizes are too small for
// the targets to mean anything).
process.exitCode = SMOKE || rows.every((r) => r.met) ? 0 : 1;
