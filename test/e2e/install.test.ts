// `npm install -g` from a clone, as the README's install paragraph says, into a temporary prefix (never the system):
// in a fresh checkout (no node_modules: prepare.mjs installs the runtime dependencies from the lock file before it
// builds), and from the tarball `npm pack` makes, into a project. Offline (npmEnv): both take what they need from the
// cache that `npm ci` filled, so no install test needs the registry.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { checkout, npmEnv, ROOT } from '../checkout.js';
import { captured, cliEnv, INDEX } from '../helpers.js';

const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

function run(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: cliEnv(npmEnv()), timeout: 170_000 }, (err, stdout, stderr) => {
      captured.push(stdout, stderr);
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** The installed command answers a Kendra question against the emulator: exit 0, the JSON result on stdout. */
async function answers(bin: string) {
  emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } } });
  const r = await run(bin, ['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, '-o', 'json', 'a'], tmpdir());
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).summary).toMatchObject({ total: 1, succeeded: 1 });
  expect(emulator.requests.length).toBe(1);
}

describe('npm install -g from a clone', () => {
  let clone: string;
  const made: string[] = [];
  const temp = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
  beforeAll(() => {
    clone = checkout();
    made.push(clone);
  });
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('npm install -g . in a fresh clone: prepare installs the runtime dependencies and builds; the command is linked', async () => {
    expect(existsSync(join(clone, 'node_modules'))).toBe(false);
    const prefix = temp('docstatus-prefix-');
    const r = await run('npm', ['install', '-g', '.', '--prefix', prefix], clone);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(join(prefix, 'lib', 'node_modules', 'docstatus')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(clone, 'dist', 'cli.cjs'))).toBe(true);
    expect(existsSync(join(clone, 'node_modules', 'esbuild'))).toBe(true);
    expect(existsSync(join(clone, 'node_modules', 'vitest'))).toBe(false); // the runtime dependencies only
    const version = await run(join(prefix, 'bin', 'docstatus'), ['--version'], tmpdir());
    expect(version).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    await answers(join(prefix, 'bin', 'docstatus'));
  }, 180_000);

  it('npm pack, then npm install of the tarball in a project whose dependencies are installed: offline, a copy with dist/ and no sources', async () => {
    const out = temp('docstatus-pack-');
    const pack = await run('npm', ['pack', '--pack-destination', out], clone);
    expect(pack.code, pack.stderr).toBe(0);
    expect(readdirSync(out)).toEqual([`docstatus-${VERSION}.tgz`]);
    // A global install resolves every dependency's range anew, which needs the registry's package documents (npm ci's
    // cache holds only the tarballs): a project with the dependencies already installed needs nothing but the tarball
    // (npm_config_offline: no request leaves the machine).
    const project = temp('docstatus-project-');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-docstatus', version: '1.0.0', private: true }));
    cpSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    const r = await run('npm', ['install', join(out, `docstatus-${VERSION}.tgz`)], project);
    expect(r.code, r.stderr).toBe(0);
    const installed = join(project, 'node_modules', 'docstatus');
    expect(lstatSync(installed).isDirectory()).toBe(true);
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist', 'package.json']);
    await answers(join(project, 'node_modules', '.bin', 'docstatus'));
  }, 180_000);
});
