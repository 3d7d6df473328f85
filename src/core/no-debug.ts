// The `debug` package as the proxy agents load it (https-proxy-agent, http-proxy-agent), put in its place at build
// time (build.mjs, `alias`): with DEBUG=* the real one prints the proxy's URL with its password and every request's
// Proxy-Authorization header on stderr, and docstatus never prints a secret. Nothing of theirs is worth a user's
// reading that --verbose does not say.

/** A debug logger that never writes. */
interface Debugger {
  (...args: unknown[]): void;
  enabled: boolean;
  namespace: string;
  extend(namespace: string): Debugger;
}

/** What `import createDebug from 'debug'` gives: a logger per namespace, here all silent. */
export default function createDebug(namespace: string): Debugger {
  const log = Object.assign(() => {}, { enabled: false, namespace, extend: (more: string) => createDebug(`${namespace}:${more}`) });
  return log;
}
