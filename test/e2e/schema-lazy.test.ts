// The schema library is loaded by the subcommands only (issue 15, build.mjs): --help and --version read dist/cli.cjs,
// which must hold none of zod; the chunk that holds it is reached only through a command module's import().
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
// What zod's core defines, whatever the minifier renames.
const ZOD = /\$ZodType|\$ZodObject/;

describe('zod is in the subcommands\' chunks, never in what --help and --version load', () => {
  it('dist/cli.cjs holds no zod code; a chunk does, and only command modules import it', () => {
    expect(ZOD.test(readFileSync(join(dist, 'cli.cjs'), 'utf8'))).toBe(false);
    const chunks = readdirSync(join(dist, 'chunks')).filter((f) => f.endsWith('.js'));
    const withZod = chunks.filter((f) => ZOD.test(readFileSync(join(dist, 'chunks', f), 'utf8')));
    expect(withZod).toHaveLength(1);
    expect(readFileSync(join(dist, 'app', 'runtime.js'), 'utf8')).not.toContain(withZod[0]);
  });

  it('--version and --help still answer', async () => {
    expect((await runCli(['--version'])).code).toBe(0);
    expect((await runCli(['--help'])).code).toBe(0);
  });
});
