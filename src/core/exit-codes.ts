/** The exit codes of CONTRACT.md, in one place (bin/ reads them through dist/cli.cjs). */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  pending: 3,
  error: 4,
  internal: 70,
  output: 74,
  sigint: 130,
  sigterm: 143,
} as const;

/** Reasons bin/ aborts the run's signal with when standard output fails: EPIPE (its reader went away) or another error. */
export const STDOUT_GONE = 'EPIPE';
export const STDOUT_FAILED = 'EOUTPUT';
