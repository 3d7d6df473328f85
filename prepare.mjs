// npm's `prepare` script: builds dist/ (build.mjs), first installing the runtime dependencies from the lock file when
// esbuild is missing. npm runs `prepare` after installing dependencies, except where it installs none: `npm install -g .`
// and `npm pack` in a fresh clone, which failed with "Cannot find package 'esbuild'" before this step. (`npm install -g
// git+URL` still fails, whatever the package does: npm prepares the clone in global mode while it installs into the same
// folder, npm/cli#8440; the README names the ways that work.) The nested install is `npm ci --omit=dev
// --ignore-scripts` (the lock file, no dev dependencies, no lifecycle scripts, so it cannot run this one again), without
// the npm_config_* settings of the install that runs this one (a global install passes down global and prefix, a git
// preparation include=dev); the user's own settings (registry, proxy, cache, offline) pass through.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
/** The settings that say what and where to install: the nested install must not inherit them. */
const INSTALL_SHAPE =
  /^npm_config_(global|location|prefix|include|omit|only|production|also|dev|install_links|install_strategy|global_style|legacy_bundling|force|ignore_scripts|package_lock|package_lock_only|dry_run|save.*|workspaces?|include_workspace_root|before)$/i;

async function hasEsbuild() {
  try {
    await import('esbuild');
    return true;
  } catch {
    return false;
  }
}

if (!(await hasEsbuild())) {
  process.stderr.write('docstatus prepare: esbuild is not installed here; installing the runtime dependencies from package-lock.json\n');
  const args = ['ci', '--omit=dev', '--ignore-scripts', '--global=false', `--prefix=${root}`, '--no-audit', '--no-fund'];
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !INSTALL_SHAPE.test(name)));
  // Inside an npm lifecycle script npm_execpath names the npm that runs it; run that same npm.
  const npmCli = process.env.npm_execpath;
  const r = npmCli && /\.[cm]?js$/.test(npmCli)
    ? spawnSync(process.execPath, [npmCli, ...args], { cwd: root, env, stdio: 'inherit' })
    : spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: root, env, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    process.stderr.write(`docstatus prepare: npm ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})\n`);
    process.exit(1);
  }
}

await import('./build.mjs');
