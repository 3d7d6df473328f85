// What the install tests share: a copy of this repository as a clone would have it, and npm's real cache.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A fresh checkout: the files git would check out here (tracked ones and new ones not ignored), no node_modules or dist. */
export function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'docstatus-checkout-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter((f) => f !== '' && !/^(node_modules|dist)(\/|$)/.test(f) && existsSync(join(ROOT, f)));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(ROOT, f), join(dir, f), { verbatimSymlinks: true });
  }
  return dir;
}

/** npm's real cache and configuration (cliEnv points HOME elsewhere), offline: an install test needs no network (npm ci filled the cache). */
export function npmEnv(): Record<string, string> {
  return {
    npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
    npm_config_userconfig: process.env.npm_config_userconfig ?? join(homedir(), '.npmrc'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
}
