// The GitHub Action's argument check (action.yml, step "run"): reads the inputs `command` (DOCSTATUS_COMMAND) and
// `args` (DOCSTATUS_ARGS, one argument a line) and writes docstatus's argv, each argument NUL-terminated, to the file
// named by its first argument. Bad input: one line on stdout saying why (action.yml makes it the ::error annotation),
// exit 2, nothing written. The check itself is action/argv.mjs.
import { writeFileSync } from 'node:fs';
import cli from '../dist/cli.cjs';
import { actionArgv, Refused } from './argv.mjs';

try {
  const argv = actionArgv(process.env.DOCSTATUS_COMMAND ?? '', process.env.DOCSTATUS_ARGS ?? '', cli.COMMANDS);
  writeFileSync(process.argv[2], argv.map((a) => `${a}\0`).join(''));
} catch (err) {
  if (!(err instanceof Refused)) throw err;
  process.stdout.write(`${err.message}\n`);
  process.exitCode = 2;
}
