// Builds dist/ with esbuild, in two parts, for a fast start (bench/, "start-up"):
// - dist/cli.cjs: the CLI itself (commander, the registry's flag declarations and columns), one CommonJS file:
//   --version and --help load nothing else, and CommonJS skips the ES module loader's start-up cost.
// - everything a subcommand needs, an ES module build with code splitting whose entry points mirror src/ (app/runtime,
//   app/emulate, app/demo, and every service's command modules), so the AWS SDK, undici, ora and cli-table3 load only
//   in the commands that use them. cli.cjs reaches them with import(), left as it is written (see `lazy` below).
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const src = join(root, 'src');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', minify: true, logLevel: 'warning', outdir: 'dist' };

// Every service folder's command module(s): the registry (src/services/index.ts) names them by the same paths.
const commands = {};
for (const service of readdirSync(join(src, 'services'), { withFileTypes: true })) {
  if (!service.isDirectory()) continue;
  for (const name of ['command', 'commands']) {
    const file = join(src, 'services', service.name, `${name}.ts`);
    if (existsSync(file)) commands[`services/${service.name}/${name}`] = file;
  }
}

await build({
  ...common,
  entryPoints: { 'app/runtime': 'src/app/runtime.ts', 'app/emulate': 'src/app/emulate.ts', 'app/demo': 'src/app/demo.ts', ...commands },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  // The AWS SDK's ES build (its "module" field) loads credential providers with import(), so they become lazy chunks
  // and unused code is dropped; its CommonJS build ("main", esbuild's default first choice on node) requires all.
  mainFields: ['module', 'main'],
  // The proxy agents' `debug` would print the proxy's password with DEBUG=* (src/core/no-debug.ts).
  alias: { debug: './src/core/no-debug.ts' },
  // CommonJS dependencies (undici, cli-table3) call require() for Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

/** In the CLI bundle, every import() of our own code stays an import() of the ES build's file of the same path. */
const lazy = {
  name: 'lazy-entries',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\//, namespace: 'file' }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const target = resolve(args.resolveDir, args.path);
      return { path: `./${relative(src, target).split('\\').join('/')}`, external: true };
    });
  },
};

await build({
  ...common,
  entryPoints: { cli: 'src/cli.ts' },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  plugins: [lazy],
});
