// Every output is valid UTF-8, and JSON that a strict parser (jq) takes, whatever the service sends (issue 15): a
// listed ID or a status text with a lone surrogate ("\ud800", half of a pair) was written by JSON.stringify as the
// escape \ud800, which jq refuses.
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { adHocServer, type AdHocServer } from '../ad-hoc-server.js';
import { AZURE_DOC_REQUIRED, BIN, cliEnv, SECRETS } from '../helpers.js';

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000c1';
let server: AdHocServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Runs the binary and keeps stdout as bytes (runCli decodes them, which would hide invalid UTF-8). */
function runRaw(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: Buffer; stderr: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
  });
}

const strictUtf8 = (b: Buffer) => new TextDecoder('utf-8', { fatal: true }).decode(b);
const hasJq = spawnSync('jq', ['--version']).status === 0;

describe('a lone surrogate from the service never makes an output invalid', () => {
  // Sent as JSON escapes, as a server would: "a\ud800", "b\udc00x" and a good pair (an emoji) that must stay whole.
  // Each entry is complete (every property the model requires: AZURE_DOC_REQUIRED).
  const rest = JSON.stringify(AZURE_DOC_REQUIRED).slice(1, -1);
  const body = `{"value":[{"id":"a\\ud800","status":"Succeeded",${rest}},{"id":"b\\udc00x","status":"Failed","error":{"code":"X\\ud800","message":"m\\udfff"},${rest}},{"id":"c\\ud83d\\ude00","status":"Succeeded",${rest}}]}`;

  it.each(['json', 'ndjson', 'junit', 'table', 'markdown'])('-o %s: valid UTF-8; JSON without a lone-surrogate escape', async (format) => {
    server = await adHocServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const r = await runRaw(['translate-docs', BATCH, '--endpoint', server.url, '-o', format], { AZURE_TRANSLATOR_KEY: SECRETS.azureKey });
    expect(r.code).toBe(1);
    const text = strictUtf8(r.stdout);
    strictUtf8(r.stderr);
    if (format === 'json' || format === 'ndjson') {
      expect(text).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
      const docs = format === 'json' ? JSON.parse(text).documents : text.trim().split('\n').slice(0, -1).map((l) => JSON.parse(l));
      expect(docs.map((d: { id: string }) => d.id)).toEqual(['a\ufffd', 'b\ufffdx', 'c\u{1F600}']);
      if (hasJq) {
        const jq = spawnSync('jq', ['-c', '.'], { input: r.stdout });
        expect({ status: jq.status, stderr: jq.stderr.toString() }).toEqual({ status: 0, stderr: '' });
      }
    }
  });
});
