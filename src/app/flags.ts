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
  load: async () => (await import('./emulate.js')).run,
} as const satisfies CommandSpec;

/** `docstatus demo`, as data. */
export const demoCommand = {
  name: 'demo',
  description: 'run a --wait of every service against the built-in emulator: no cloud account needed',
  args: [],
  flags: {},
  examples: ['docstatus demo'],
  load: async () => (await import('./demo.js')).run,
} as const satisfies CommandSpec;
