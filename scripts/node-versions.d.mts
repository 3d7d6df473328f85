// Types of scripts/node-versions.mjs for the tests that import it.
export declare const NODE_VERSIONS: Record<string, string>;
export declare function cacheRoot(env?: Record<string, string | undefined>): string;
export declare function nodeBinary(major: string | number, env?: Record<string, string | undefined>): string;
export declare function install(major: string | number, version: string): string;
