// ANSI escape sequences (CSI, OSC, two-byte ESC forms), then any remaining C0/C1 control character.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Service text is untrusted: remove escape sequences and control characters; tabs and newlines become spaces. */
export function sanitize(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '').replace(/[\t\n]/g, ' ');
}

/** sanitize() for optional values straight from a response; non-strings become undefined. */
export function cleanText(value: unknown): string | undefined {
  return typeof value === 'string' ? sanitize(value) : undefined;
}
