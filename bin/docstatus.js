#!/usr/bin/env node
// The entry point: wires the process to main() and turns its result into the exit code.
// CommonJS (bin/package.json), like dist/cli.cjs: the ES module loader starts only when a subcommand runs.
'use strict';
const { main } = require('../dist/cli.cjs');

const controller = new AbortController();
let interrupts = 0;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    // The first signal stops polling and prints the result so far; a second one exits at once.
    if (++interrupts > 1) process.exit(sig === 'SIGTERM' ? 143 : 130);
    controller.abort(sig);
  });
}
process.stdout.on('error', (err) => {
  // A closed pipe (`docstatus ... | head`) is not an error of ours.
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2), { signal: controller.signal }).then((code) => {
  process.exitCode = code;
});
