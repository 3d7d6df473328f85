// What bin/ does with the Node it runs on: one warning line below package.json's engines, and V8's compile cache
// where Node has it (22.1 and later). CI runs this file under Node 20, 22 and 24 (scripts/node-versions.mjs), so each
// branch is taken somewhere; the expectations are those of the Node running the test.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { INDEX, runCli } from '../helpers.js';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string; engines: { node: string } };
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const belowEngines = major < 22;
const hasCompileCache = major > 22 || (major === 22 && minor >= 1);
const WARNING = `docstatus: warning: Node ${process.versions.node} is not supported: docstatus needs Node ${pkg.engines.node} (README, "Node versions"); DOCSTATUS_NODE_VERSION_WARNING_DISABLED=true hides this line\n`;

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Every file under a directory (the compile cache keeps one folder per Node build). */
const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);

describe(`the Node running this test (${process.version})`, () => {
  it(belowEngines ? 'below engines: one warning line on stderr, the run unchanged' : 'within engines: no warning', async () => {
    const warned = await runCli(['--version'], { env: { DOCSTATUS_NODE_VERSION_WARNING_DISABLED: '' } });
    expect(warned).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: belowEngines ? WARNING : '' });

    // a subcommand too (Kendra's AWS SDK would add its own eight-line notice below Node 22: silenced, ours said it)
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents: { a: [{ status: 'INDEXED' }] } } } } });
    const args = ['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator.url, 'a', '-o', 'ndjson'];
    const run = await runCli(args, { env: { DOCSTATUS_NODE_VERSION_WARNING_DISABLED: '' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(belowEngines ? WARNING : '');
    expect(JSON.parse(run.stdout.split('\n')[0]!)).toMatchObject({ id: 'a', status: 'INDEXED', state: 'succeeded' });
  });

  it('DOCSTATUS_NODE_VERSION_WARNING_DISABLED=true hides the line; any other value does not', async () => {
    expect((await runCli(['--version'], { env: { DOCSTATUS_NODE_VERSION_WARNING_DISABLED: 'true' } })).stderr).toBe('');
    expect((await runCli(['--version'], { env: { DOCSTATUS_NODE_VERSION_WARNING_DISABLED: '1' } })).stderr).toBe(belowEngines ? WARNING : '');
  });
});

describe(`the compile cache (${hasCompileCache ? 'module.enableCompileCache exists' : 'this Node has none'})`, () => {
  it(hasCompileCache ? 'is written to NODE_COMPILE_CACHE; the next run adds nothing to it; the output is the same with it and without' : 'nothing is written, nothing fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docstatus-ccache-'));
    const first = await runCli(['kendra-status', '--help'], { env: { NODE_COMPILE_CACHE: dir } });
    expect(first.code).toBe(0);
    const written = files(dir);
    if (hasCompileCache) {
      expect(written.length).toBeGreaterThan(0);
      // the folder is named after this Node build
      expect(readdirSync(dir)).toEqual([expect.stringMatching(new RegExp(`^${process.version.replace(/\./g, '\\.')}-`))]);
    } else {
      expect(written).toEqual([]);
    }
    const second = await runCli(['kendra-status', '--help'], { env: { NODE_COMPILE_CACHE: dir } });
    expect(second).toEqual(first);
    expect(files(dir)).toEqual(written);
    const plain = await runCli(['kendra-status', '--help'], { env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(plain).toEqual(first);
  });

  it('NODE_DISABLE_COMPILE_CACHE=1 writes nothing, even with NODE_COMPILE_CACHE set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docstatus-ccache-'));
    const r = await runCli(['--version'], { env: { NODE_COMPILE_CACHE: dir, NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect(files(dir)).toEqual([]);
  });

  it('a cache directory that cannot be made (a file is in the way) costs nothing but the cache: same output, exit 0', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'docstatus-ccache-')), 'a-file');
    writeFileSync(blocker, 'not a directory');
    const r = await runCli(['--version'], { env: { NODE_COMPILE_CACHE: join(blocker, 'cache') } });
    expect(r).toMatchObject({ code: 0, signal: null, stdout: `${pkg.version}\n`, stderr: '' });
  });
});
