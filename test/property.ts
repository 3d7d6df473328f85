import type { Parameters } from 'fast-check';

/**
 * fast-check settings for every property test of the suite: a fresh seed each run (fast-check prints it, and the
 * path, when a property fails), `FC_SEED` (with `FC_PATH`) to replay one, `FC_RUNS` to ask for more or fewer runs.
 * No shrinking (`endOnFailure`): each run of an e2e property spawns the tool, and the seed is enough to replay.
 */
export function propertyParams<T>(numRuns: number): Parameters<T> {
  const env = process.env;
  const int = (name: string) => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    if (!/^-?\d+$/.test(v)) throw new Error(`${name} must be an integer (got '${v}')`);
    return Number(v);
  };
  const seed = int('FC_SEED');
  const runs = int('FC_RUNS');
  return {
    numRuns: runs ?? numRuns,
    endOnFailure: true,
    ...(seed !== undefined && { seed }),
    ...(seed !== undefined && env.FC_PATH && { path: env.FC_PATH }),
  };
}
