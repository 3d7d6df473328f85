import type { CommandSpec } from '../core/flags.js';

/** `docstatus emulate`, as data. */
export const emulateCommand = {
  name: 'emulate',
  description: 'serve a local emulator of every service until SIGINT/SIGTERM',
  args: [],
  flags: {
    port: { flags: '--port <n>', description: 'port (0 = any free port)', default: '8790' },
    host: { flags: '--host <host>', description: 'address to listen on', default: '127.0.0.1' },
    scenario: { flags: '--scenario <file>', description: 'a JSON scenario: documents, status timelines, throttling and faults' },
  },
  examples: ['docstatus emulate --port 8790 &', 'docstatus emulate --port 0 --scenario scenario.json'],
  exitCodes: `Exit codes:
  0    stopped by SIGINT or SIGTERM
  2    bad usage: a bad --port, a --scenario that cannot be read or is not valid, an address it cannot listen on
  70   an internal error (a bug in docstatus)
  74   the URL could not be written on standard output
  130  a second interrupt before it stopped (143: SIGTERM)`,
  load: async () => (await import('./emulate.js')).run,
} as const satisfies CommandSpec;

/** `docstatus demo`, as data. */
export const demoCommand = {
  name: 'demo',
  description: 'run a --wait of every service against the built-in emulator: no cloud account needed',
  args: [],
  flags: {},
  examples: ['docstatus demo', 'docstatus demo 2>/dev/null'],
  exitCodes: `Exit codes:
  0    the demo ran (some of its documents fail: the scenario says so)
  2    bad usage (the demo takes no arguments)
  70   an internal error (a bug in docstatus)
  74   the result could not be written
  130  interrupted (143: SIGTERM)`,
  load: async () => (await import('./demo.js')).run,
} as const satisfies CommandSpec;
