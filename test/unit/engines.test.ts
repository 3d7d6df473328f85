// Our engines range against every production package's: a lock file update that pulls a package refusing a Node we
// claim to support (the AWS SDK's releases from January 2027 refuse Node 20) fails here. README, "Node versions".
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODE_WARNING_SWITCH, rangeFloor, unsupportedNode } from '../../src/core/node-version.js';

// semver ships no types (and @types/semver is not installed): the two functions used, typed here
const semver = createRequire(import.meta.url)('semver') as { subset(sub: string, dom: string): boolean; validRange(range: string): string | null };
const root = fileURLToPath(new URL('../../', import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(`${root}${path}`, 'utf8'));
const pkg = readJson('package.json') as { engines: { node: string } };
type LockEntry = { dev?: boolean; version?: string; engines?: unknown; link?: boolean };
const lock = readJson('package-lock.json') as { packages: Record<string, LockEntry> };

/** A package's engines.node, or undefined when it names none (array forms are older npm's and name none for node). */
const nodeRange = (engines: unknown): string | undefined =>
  typeof engines === 'object' && engines !== null && typeof (engines as { node?: unknown }).node === 'string' ? (engines as { node: string }).node : undefined;

/** The packages whose engines.node does not take every Node of `ours`, as "path range". */
function refusing(ours: string, entries: Array<[string, string | undefined]>): string[] {
  return entries.filter(([, range]) => range !== undefined && !(semver.validRange(range) && semver.subset(ours, range))).map(([path, range]) => `${path} ${range}`);
}

// Every package `npm ci --omit=dev` installs: the lock file's entries that are not dev-only (optional and devOptional
// ones included: an optional dependency of a production package is installed where its platform matches). The
// installed package.json, where it is installed here, must say what the lock file says.
const production = Object.entries(lock.packages).filter(([path, e]) => path !== '' && e.dev !== true && !e.link);
const ranges: Array<[string, string | undefined]> = production.map(([path, e]) => [path, nodeRange(e.engines)]);
/** [path, lock file's range, installed package.json's range] for every production package installed here */
const installed = production
  .filter(([path]) => existsSync(`${root}${path}/package.json`))
  .map(([path, e]) => [path, nodeRange(e.engines), nodeRange(JSON.parse(readFileSync(`${root}${path}/package.json`, 'utf8')).engines)]);

describe('engines', () => {
  it('package.json says >=22: Node 22 and 24 are what users run; Node 20 reached its end of life in April 2026', () => {
    expect(pkg.engines.node).toBe('>=22');
    // bin/ reads it at run time for its unsupported-Node line, which knows only this shape
    expect(rangeFloor(pkg.engines.node)).toEqual([22, 0, 0]);
  });

  it('every production package takes every Node our range takes (semver.subset over the lock file)', () => {
    expect(production.length).toBeGreaterThan(50);
    const checked = ranges.filter(([, r]) => r !== undefined);
    expect(checked.length).toBeGreaterThan(50);
    // the packages the range was decided for are among those checked
    for (const name of ['@aws-sdk/client-kendra', '@aws-sdk/client-bedrock-agent', '@aws-sdk/core', '@smithy/node-http-handler', 'undici']) {
      expect(checked.map(([path]) => path)).toContain(`node_modules/${name}`);
    }
    expect(refusing(pkg.engines.node, ranges)).toEqual([]);
    // what is installed here says what the lock file says
    expect(installed.length).toBeGreaterThan(50);
    expect(installed.filter(([, fromLock, own]) => fromLock !== own)).toEqual([]);
    // and a range below every SDK's floor would be caught (Node 18: the SDK and undici want 20)
    expect(refusing('>=18', ranges)).toContain('node_modules/@aws-sdk/client-kendra >=20.0.0');
  });

  it('the check fails for a package that refuses part of our range, and for one whose range it cannot read', () => {
    const entries: Array<[string, string | undefined]> = [
      ['node_modules/ok', '>=20.0.0'],
      ['node_modules/none', undefined],
      ['node_modules/sdk-2027', '>=22.12.0'],
      ['node_modules/only-22', '^22.0.0'],
      ['node_modules/garbled', 'node twenty'],
    ];
    expect(refusing('>=22', entries)).toEqual(['node_modules/sdk-2027 >=22.12.0', 'node_modules/only-22 ^22.0.0', 'node_modules/garbled node twenty']);
    // the range before this issue: today's SDK (>=20.0.0) takes it, an SDK of 2027 (>=22) would not
    expect(refusing('>=20.19', [['node_modules/@aws-sdk/core', '>=22']])).toEqual(['node_modules/@aws-sdk/core >=22']);
  });
});

describe('the unsupported-Node line (core/node-version.ts)', () => {
  it('names the version and the range below the floor, nothing at or above it', () => {
    expect(unsupportedNode('v20.20.2', '>=22', {})).toBe(
      `Node 20.20.2 is not supported: docstatus needs Node >=22 (README, "Node versions"); ${NODE_WARNING_SWITCH}=true hides this line`,
    );
    expect(unsupportedNode('v21.99.0', '>=22', {})).toMatch(/^Node 21\.99\.0 is not supported/);
    for (const v of ['v22.0.0', 'v22.23.5', 'v24.22.3', 'v100.0.0']) expect(unsupportedNode(v, '>=22', {})).toBeUndefined();
    expect(unsupportedNode('v22.11.9', '>=22.12', {})).toMatch(/^Node 22\.11\.9 is not supported: docstatus needs Node >=22\.12 /);
    expect(unsupportedNode('v22.12.0', '>=22.12', {})).toBeUndefined();
  });

  it('the switch hides it; a range or version it cannot read gives no line rather than a wrong one', () => {
    expect(unsupportedNode('v20.20.2', '>=22', { [NODE_WARNING_SWITCH]: 'true' })).toBeUndefined();
    expect(unsupportedNode('v20.20.2', '>=22', { [NODE_WARNING_SWITCH]: '1' })).toMatch(/not supported/);
    expect(unsupportedNode('v20.20.2', '^22 || ^24', {})).toBeUndefined();
    expect(unsupportedNode('nightly', '>=22', {})).toBeUndefined();
    expect(rangeFloor('>= 22.1.3')).toEqual([22, 1, 3]);
    expect(rangeFloor('22')).toBeUndefined();
  });
});
