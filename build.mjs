// Builds dist/ with esbuild, in two parts, for a fast start (bench/, "start-up"):
// - dist/cli.cjs: the CLI itself (commander and the flag declarations), one CommonJS file: --version and --help load
//   nothing else, and CommonJS skips the ES module loader's start-up cost.
// - everything a subcommand needs (runtime.ts, commands/*), an ES module build with code splitting, so the AWS SDK,
//   undici, ora and cli-table3 load only in the commands that use them. cli.cjs reaches them with import().
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', minify: true, logLevel: 'warning', outdir: 'dist' };

await build({
  ...common,
  entryPoints: {
    runtime: 'src/runtime.ts',
    'commands/kendra-status': 'src/commands/kendra-status.ts',
    'commands/translate': 'src/commands/translate.ts',
    'commands/emulate': 'src/commands/emulate.ts',
    'commands/demo': 'src/commands/demo.ts',
  },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  // The AWS SDK's ES build (its "module" field) loads credential providers with import(), so they become lazy chunks
  // and unused code is dropped; its CommonJS build ("main", esbuild's default first choice on node) requires all.
  mainFields: ['module', 'main'],
  // CommonJS dependencies (undici, cli-table3) call require() for Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

await build({
  ...common,
  entryPoints: { cli: 'src/cli.ts' },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  external: ['./runtime.js', './commands/*'],
});
