import type { CommandSpec } from '../core/flags.js';
import type { EmulatorFactory } from '../emulator/routes.js';
import type { BedrockKbScenario } from './bedrock-kb/emulator.js';
import { kbStatusCommand } from './bedrock-kb/flags.js';
import type { KendraScenario } from './kendra/emulator.js';
import { kendraStatusCommand } from './kendra/flags.js';
import type { TranslatorScenario } from '../emulator/scenario.js';
import { translateDocsCommand, translateStatusCommand } from './translator/flags.js';

// The registry: every service docstatus speaks, and the parts cli.ts, the emulator and build.mjs take from it. A
// service is one folder below this one and one line here; leaving a part out is a compile error (`satisfies`).
// cli.cjs loads this file at start-up: only flag declarations come in eagerly, the rest through import().

/** What one service brings. */
export interface ServiceDefinition<S> {
  /** the service as people call it (help, the demo, step summaries) */
  readonly title: string;
  /** its subcommands, as data (each loads its code only when it runs) */
  readonly commands: readonly CommandSpec[];
  /** its part of the emulator, made from the scenario's section named like the service */
  readonly emulator: () => Promise<EmulatorFactory<S | undefined>>;
}

export type ServiceName = 'kendra' | 'translator' | 'bedrock-kb';

/** Each service's scenario section (the emulator's `--scenario` file has one key per service). */
export interface ServiceScenarios {
  kendra: KendraScenario;
  translator: TranslatorScenario;
  'bedrock-kb': BedrockKbScenario;
}

export const SERVICES = {
  kendra: { title: 'Amazon Kendra', commands: [kendraStatusCommand], emulator: async () => (await import('./kendra/emulator.js')).createEmulator },
  translator: {
    title: 'Azure AI Document Translation',
    commands: [translateStatusCommand, translateDocsCommand],
    emulator: async () => (await import('./translator/emulator.js')).createEmulator,
  },
  'bedrock-kb': { title: 'Amazon Bedrock Knowledge Bases', commands: [kbStatusCommand], emulator: async () => (await import('./bedrock-kb/emulator.js')).createEmulator },
} as const satisfies { [K in ServiceName]: ServiceDefinition<ServiceScenarios[K]> };

/** The service names, in registry order. */
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];
