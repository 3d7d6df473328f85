// The Node versions docstatus supports: package.json's engines range. An older Node still runs it today, but is not
// supported (README, "Node versions"): its AWS SDK notice is silenced (core/aws.ts quietNodeVersionWarning) and this
// one line on stderr says so instead, in every run, before anything else.

/** Set to `true` to hide the unsupported-Node line (the e2e tests do: CI still runs them on Node 20). */
export const NODE_WARNING_SWITCH = 'DOCSTATUS_NODE_VERSION_WARNING_DISABLED';

/** The lowest version of a `>=X[.Y[.Z]]` range as [major, minor, patch]; undefined for any other shape of range. */
export function rangeFloor(range: string): [number, number, number] | undefined {
  const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

/**
 * The warning line (without the `docstatus: warning: ` prefix) for a Node below `engines`, or undefined: a supported
 * Node, the switch set, or a version or range this cannot read (never a false alarm).
 */
export function unsupportedNode(version: string, engines: string, env: Record<string, string | undefined>): string | undefined {
  if (env[NODE_WARNING_SWITCH] === 'true') return undefined;
  const floor = rangeFloor(engines);
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!floor || !m) return undefined;
  const have = [Number(m[1]), Number(m[2]), Number(m[3])];
  const below = have[0]! !== floor[0] ? have[0]! < floor[0] : have[1]! !== floor[1] ? have[1]! < floor[1] : have[2]! < floor[2];
  if (!below) return undefined;
  return `Node ${version.replace(/^v/, '')} is not supported: docstatus needs Node ${engines} (README, "Node versions"); ${NODE_WARNING_SWITCH}=true hides this line`;
}
