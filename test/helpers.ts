import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { Clock } from '../src/core/clock.js';
import type { Io } from '../src/app/io.js';

export const BIN = fileURLToPath(new URL('../bin/docstatus.js', import.meta.url));
export const INDEX = 'a1b2c3d4-0000-4000-8000-00000000beef';
/** The Bedrock knowledge base and data source the tests' scenarios define. */
export const KB = 'KB12345678';
export const DS = 'DS12345678';
/** Credentials the suite uses; test/secrets.test.ts checks that none of them is ever printed. */
export const SECRETS = {
  awsAccessKeyId: 'AKIATESTSECRETKEY123',
  awsSecret: 'wJalrXUtnFEMI/TEST/SECRET/bPxRfiCYEXAMPLEKEY',
  azureKey: 'azure-test-key-0123456789abcdef0123456789abcdef',
  azureToken: 'eyJ0ZXN0LXRva2VuLXNlY3JldA.payload.signature',
  /** the password of the test proxy (test/proxy-server.mjs), given in HTTP(S)_PROXY URLs */
  proxyPassword: 'proxy-test-password-0123456789',
};

/** Everything the spawned tool printed in this test process, for the secrets scan. */
export const captured: string[] = [];

/** The names of the test secrets that appear in a text (test/setup.ts runs this over `captured`). */
export function leakedSecrets(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, secret]) => text.includes(secret))
    .map(([name]) => name);
}

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a spawned docstatus: no real AWS configuration, test credentials, no colour. An '' value unsets. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: tmpdir(),
    NO_COLOR: '1',
    CI: 'true',
    AWS_ACCESS_KEY_ID: SECRETS.awsAccessKeyId,
    AWS_SECRET_ACCESS_KEY: SECRETS.awsSecret,
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    // CI runs the suite on Node 20 too, below engines: its one warning line is tested in node-runtime.test.ts
    DOCSTATUS_NODE_VERSION_WARNING_DISABLED: 'true',
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
}

/** Spawns bin/docstatus.js as a user would; stdin gets `input` (or is closed empty). */
export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; input?: string | Buffer; onSpawn?: (child: import('node:child_process').ChildProcess) => void; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 25_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      captured.push(stdout, stderr);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
    opts.onSpawn?.(child);
  });
}

/** A temporary file with the given content; returns its path. */
export function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'docstatus-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/**
 * A clock whose sleeps advance time instantly, so long waits run in microseconds. A tick of `every` fires at its exact
 * time while a sleep moves the clock past it (the clock reads that time during the tick); `ticks` lists those times.
 */
export function fakeClock(start = 1_700_000_000_000): Clock & { sleeps: number[]; ticks: number[] } {
  let now = start;
  const sleeps: number[] = [];
  const ticks: number[] = [];
  const timers = new Set<{ next: number; ms: number; tick: () => void }>();
  const advanceTo = (to: number) => {
    for (;;) {
      let due: { next: number; ms: number; tick: () => void } | undefined;
      for (const t of timers) if (t.next <= to && (!due || t.next < due.next)) due = t;
      if (!due) break;
      now = due.next;
      due.next += due.ms;
      ticks.push(now);
      due.tick();
    }
    now = Math.max(now, to);
  };
  return {
    sleeps,
    ticks,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) return;
      sleeps.push(ms);
      advanceTo(now + Math.max(0, ms));
      await Promise.resolve();
    },
    every: (ms, tick) => {
      const timer = { next: now + Math.max(1, ms), ms: Math.max(1, ms), tick };
      timers.add(timer);
      return () => void timers.delete(timer);
    },
  };
}

/** An in-memory Io for in-process command tests. */
export function memoryIo(opts: { stdin?: string; isTTY?: boolean; env?: Record<string, string>; clock?: Clock; signal?: AbortSignal } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: { write: (s: string) => out.push(s) && captured.push(s), isTTY: opts.isTTY ?? false },
    stderr: { write: (s: string) => err.push(s) && captured.push(s), isTTY: false },
    stdin: { isTTY: opts.stdin === undefined, read: async () => Buffer.from(opts.stdin ?? '') },
    env: opts.env ?? {},
    clock: opts.clock ?? fakeClock(),
    signal: opts.signal ?? new AbortController().signal,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

/**
 * For in-process main() tests: the AWS SDK reads its credentials and config from process.env, not from the Io, so the
 * file's tests get the test credentials there (never a real profile, file or instance role), and process.env is put
 * back after them.
 */
export function testAwsProcessEnv(): void {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: SECRETS.awsAccessKeyId,
      AWS_SECRET_ACCESS_KEY: SECRETS.awsSecret,
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });
  afterAll(() => {
    process.env = saved;
  });
}

/**
 * The properties of an Azure DocumentStatus (GET .../documents/{id}, and each entry of a list) that the model marks
 * required besides `id` and `status`, the same in every API version (test/fixtures/specs/): fixed values, so that a
 * test can expect them back. docstatus shows each of them as it is (the JSON of a document, the table's TO and PROGRESS).
 */
export const AZURE_DOC_REQUIRED = {
  sourcePath: 'https://source.blob.core.windows.net/in/doc.docx',
  createdDateTimeUtc: '2026-01-01T00:00:00Z',
  lastActionDateTimeUtc: '2026-01-01T00:01:00Z',
  to: 'fr',
  progress: 1,
} as const;

/** A complete Azure DocumentStatus answer: `fields` (id, status, and any other) over AZURE_DOC_REQUIRED. A test of a
 * missing required property deletes it from this answer, so that only that one is missing. */
export function azureDoc<T extends Record<string, unknown>>(fields: T): typeof AZURE_DOC_REQUIRED & T {
  return { ...AZURE_DOC_REQUIRED, ...fields };
}

/** A StatusSummary with every count the model requires: all 0, but for `counts`. */
export function azureSummary(counts: Record<string, unknown> = {}): Record<string, unknown> {
  return { total: 0, failed: 0, success: 0, inProgress: 0, notYetStarted: 0, cancelled: 0, totalCharacterCharged: 0, ...counts };
}

/** The properties of an Azure TranslationStatus (GET batches/{id}) the model marks required besides id, status and summary. */
export const AZURE_BATCH_REQUIRED = { createdDateTimeUtc: '2026-01-01T00:00:00Z', lastActionDateTimeUtc: '2026-01-01T00:01:00Z' } as const;

/** A complete Azure TranslationStatus answer: `fields` (id, status, and any other) over AZURE_BATCH_REQUIRED and a
 * summary of zeros (azureSummary()). */
export function azureBatch<T extends Record<string, unknown>>(fields: T): typeof AZURE_BATCH_REQUIRED & { summary: Record<string, unknown> } & T {
  return { ...AZURE_BATCH_REQUIRED, summary: azureSummary(), ...fields };
}
