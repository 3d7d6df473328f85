// Types of action/argv.mjs for the tests that import it.
import type { CommandSpec } from '../src/core/flags.js';
export declare class Refused extends Error {}
export declare function actionArgv(command: string, argsText: string, commands: readonly CommandSpec[]): string[];
