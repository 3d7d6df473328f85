/** A JSON object from the wire (not an array, not null). Its keys are the wire's: read them with Object.hasOwn or by name. */
export type Json = Record<string, unknown>;

/** Is a parsed JSON value an object (not an array, not null)? */
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
