import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli.js';
import { SERVICE_NAMES, SERVICES } from '../../src/services/index.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const longName = (flags: string) => /--[a-z][a-z-]*/.exec(flags)![0];
/** The flags README's tables document: the first cell of a row, `--flag ...`. */
const documented = new Set([...README.matchAll(/^\| `(-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[2]!));

describe('flags are declared once, as data', () => {
  it.each(COMMANDS.flatMap((c) => Object.entries(c.flags).map(([key, spec]) => [c.name, key, spec.flags] as const)))(
    '%s: the key %s is the name commander gives %s',
    (_cmd, key, flags) => expect(new Option(flags).attributeName()).toBe(key),
  );

  it('every declared flag has a row in a README flag table', () => {
    const missing = COMMANDS.flatMap((c) => Object.values(c.flags).map((f) => `${c.name} ${longName(f.flags)}`)).filter((s) => !documented.has(s.split(' ')[1]!));
    expect(missing).toEqual([]);
  });

  it('every flag a README table documents is declared by some command (or is --help / --version)', () => {
    const declared = new Set(COMMANDS.flatMap((c) => Object.values(c.flags).map((f) => longName(f.flags))));
    expect([...documented].filter((f) => !declared.has(f) && f !== '--help' && f !== '--version')).toEqual([]);
  });

  it('every service of the registry has a README section for each of its commands', () => {
    for (const name of SERVICE_NAMES) for (const c of SERVICES[name].commands) expect(README).toContain(`## ${c.name}\n`);
  });
});
