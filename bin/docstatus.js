#!/usr/bin/env node
// The entry point: wires the process to main() and turns its result into the exit code.
// CommonJS (bin/package.json), like dist/cli.cjs: the ES module loader starts only when a subcommand runs.
'use strict';
// Node >= 22.1 keeps V8's compiled code of our bundles between runs (start-up: README, Performance). Node's own
// choices stand: the cache lives in NODE_COMPILE_CACHE if set, else os.tmpdir()/node-compile-cache, and
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. It never throws; a cache it cannot use is only a slower start.
const nodeModule = require('node:module');
if (typeof nodeModule.enableCompileCache === 'function') nodeModule.enableCompileCache();
const { main, nodeVersionWarning, EXIT, STDOUT_GONE, STDOUT_FAILED } = require('../dist/cli.cjs');

const controller = new AbortController();
let interrupts = 0;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    // The first signal stops polling and prints the result so far; a second one exits at once.
    if (++interrupts > 1) process.exit(sig === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint);
    controller.abort(sig);
  });
}

// Standard output failing ends the run at once: nothing more is sent or written. Its reader going away (EPIPE,
// `| head`) is not an error of ours: the exit code is the one the result so far gives. Any other failure (a full disk)
// is one stderr line and exit 74.
let outputError;
let finished = false;
const outputFailed = (err) => {
  process.stderr.write(`docstatus: cannot write the result to standard output: ${err.code || err.message}\n`);
  process.exitCode = EXIT.output;
};
process.stdout.on('error', (err) => {
  if (outputError) return;
  outputError = err;
  if (finished) {
    if (err.code !== 'EPIPE') outputFailed(err);
    return;
  }
  controller.abort(err.code === 'EPIPE' ? STDOUT_GONE : STDOUT_FAILED);
});
// A closed stderr (`2>&-`, a reader gone) must not crash the run either.
process.stderr.on('error', () => {});
// A Node older than package.json's engines: one line, then the run goes on (README, "Node versions").
const oldNode = nodeVersionWarning();
if (oldNode) process.stderr.write(oldNode);

// A rejection of main() is a bug of ours, never a document's failure: exit 70 with one line, no stack trace (the
// message's control characters blanked, so it stays one line a terminal or a runner reads as written).
const internalError = (err) => {
  const text = err instanceof Error ? err.message : String(err);
  process.stderr.write(`docstatus: internal error: ${text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim() || 'unknown'}\n`);
  process.exitCode = EXIT.internal;
};

main(process.argv.slice(2), { signal: controller.signal }).then(
  (code) => {
    finished = true;
    if (outputError && outputError.code !== 'EPIPE') outputFailed(outputError);
    else process.exitCode = code;
    exitOnceWritten();
  },
  (err) => {
    finished = true;
    internalError(err);
    exitOnceWritten();
  },
);

// The run is over: nothing a library still holds (a CONNECT that a proxy never answered, in https-proxy-agent or
// undici, which no abort reaches) may keep the process, and the exit code, from the job. Once stdout has taken what
// was written, exit. (setImmediate: after the 'error' of a stdout that failed, which sets the exit code.)
function exitOnceWritten() {
  process.stdout.write('', () => setImmediate(() => process.exit()));
}
