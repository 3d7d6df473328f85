// The GitHub Action (action.yml), run the way the runner runs a composite action: each step's `run` script written to a
// file and started as `bash --noprofile --norc -eo pipefail FILE` (the runner's command for `shell: bash`), with the
// step's `env` (its `${{ }}` expressions replaced as the runner does, for the few contexts action.yml uses), a fresh
// GITHUB_OUTPUT file per step read back into `steps.<id>.outputs`, and the action's outputs evaluated from those.
// The action's checkout is a copy of this repository's files (what git would check out: no node_modules, no dist), and
// its install step really runs `npm ci --omit=dev` there once (a few seconds from a warm npm cache; the test lets npm
// use the cache first): a later run in the same checkout finds it installed, as a second use in one job does. The
// README's workflow is run too: the action's step with the README's inputs, then the README's next step on its outputs.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Step } from '../../src/emulator/scenario.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { checkout, npmEnv, ROOT } from '../checkout.js';
import { captured, cliEnv, INDEX } from '../helpers.js';

const ACTION_TEXT = readFileSync(join(ROOT, 'action.yml'), 'utf8');

interface ActionStep {
  id?: string;
  name?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface ActionFile {
  inputs: Record<string, { required: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}
const action = parse(ACTION_TEXT) as ActionFile;

const OUTPUTS = ['outcome', 'exit-code', 'total', 'succeeded', 'failed', 'pending', 'error', 'result'];

/** `${{ expr }}` replaced through `lookup`; an expression the test does not model fails the test. */
function expand(text: string, lookup: (expr: string) => string | undefined): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    const value = lookup(expr);
    if (value === undefined) throw new Error(`action.yml uses \${{ ${expr} }}, which this test does not model`);
    return value;
  });
}

/** The GITHUB_OUTPUT file format: `name=value` lines and `name<<DELIMITER` ... `DELIMITER` blocks. */
function parseOutputFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${heredoc[2]} for ${heredoc[1]}`);
      out.set(heredoc[1]!, lines.slice(i + 1, end).join('\n'));
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`GITHUB_OUTPUT: a line that is neither name=value nor name<<DELIMITER: ${JSON.stringify(line)}`);
    out.set(line.slice(0, eq), line.slice(eq + 1)); // the last value of a name wins, as on the runner
  }
  return out;
}

interface StepRun {
  id: string;
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Map<string, string>;
}
interface ActionRun {
  steps: StepRun[];
  /** the step that ended the run (the last one) */
  last: StepRun;
  outputs: Record<string, string>;
  workspace: string;
  runnerTemp: string;
}

/** stdin 'open': a pipe nobody writes to or closes (a runner may hand a step one). */
function runScript(script: string, cwd: string, env: Record<string, string>, stdin: 'ignore' | 'open' = 'ignore'): Promise<Omit<StepRun, 'id' | 'outputs'>> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, stdio: [stdin === 'open' ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      captured.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the action's steps in order, as the runner does, stopping after the first that fails. */
async function runAction(
  actionPath: string,
  inputs: Record<string, string>,
  opts: { workspace?: string; env?: Record<string, string>; stdin?: 'ignore' | 'open' } = {},
): Promise<ActionRun> {
  const workspace = opts.workspace ?? mkdtempSync(join(tmpdir(), 'docstatus-workspace-'));
  const runnerTemp = mkdtempSync(join(tmpdir(), 'docstatus-runner-temp-'));
  const summary = join(runnerTemp, 'step_summary');
  writeFileSync(summary, '');
  const withDefaults = Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, inputs[name] ?? spec.default ?? '']));
  const steps: StepRun[] = [];
  const stepOutputs = new Map<string, Map<string, string>>();
  const lookup = (expr: string): string | undefined => {
    const input = /^inputs\.([\w-]+)$/.exec(expr);
    if (input) return Object.hasOwn(withDefaults, input[1]!) ? withDefaults[input[1]!] : undefined;
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (output) return stepOutputs.get(output[1]!)?.get(output[2]!) ?? ''; // an output never written is ''
    return undefined;
  };
  for (const [i, step] of action.runs.steps.entries()) {
    const id = step.id ?? `__${i}`;
    const script = join(runnerTemp, `${randomUUID()}.sh`);
    writeFileSync(script, step.run!);
    const outputFile = join(runnerTemp, `set_output_${randomUUID()}`);
    writeFileSync(outputFile, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), lookup)]));
    const env = {
      ...cliEnv({ ...npmEnv(), ...opts.env }),
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: actionPath,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: runnerTemp,
      ...stepEnv,
    };
    const cwd = join(workspace, expand(step['working-directory'] ?? '.', lookup));
    const r = await runScript(script, cwd, env, opts.stdin);
    const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
    captured.push(readFileSync(outputFile, 'utf8'));
    stepOutputs.set(id, outputs);
    steps.push({ id, ...r, outputs });
    if (r.code !== 0) break;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, spec]) => [name, expand(spec.value, lookup)]));
  return { steps, last: steps.at(-1)!, outputs, workspace, runnerTemp };
}

describe('action.yml, the metadata', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/schemas/github-action.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it('is valid action metadata for a composite action', () => {
    expect(validate(action), JSON.stringify(validate.errors)).toBe(true);
    expect(action.runs.using).toBe('composite');
  });

  it('the schema check can fail: without a description, or with a step that has no shell, it is invalid', () => {
    const noDescription = parse(ACTION_TEXT);
    delete noDescription.description;
    expect(validate(noDescription)).toBe(false);
    const noShell = parse(ACTION_TEXT);
    delete noShell.runs.steps[1].shell;
    expect(validate(noShell)).toBe(false);
    const inputWithoutRequired = parse(ACTION_TEXT);
    delete inputWithoutRequired.inputs.args.required;
    expect(validate(inputWithoutRequired)).toBe(false);
  });

  it('declares every output, each the run step output of the same name', () => {
    expect(Object.keys(action.outputs)).toEqual(OUTPUTS);
    for (const [name, spec] of Object.entries(action.outputs)) expect(spec.value).toBe(`\${{ steps.run.outputs.${name} }}`);
  });

  it('no `${{ }}` expression inside a run script (inputs arrive through env), and every step is bash', () => {
    for (const step of action.runs.steps) {
      expect(step.shell).toBe('bash');
      expect(step.run).not.toMatch(/\$\{\{/);
    }
    const run = action.runs.steps.find((s) => s.id === 'run')!;
    expect(run.env).toMatchObject({
      DOCSTATUS_COMMAND: '${{ inputs.command }}',
      DOCSTATUS_ARGS: '${{ inputs.args }}',
      GITHUB_ACTIONS: 'true',
    });
  });
});

/** One action checkout for the file: the first run installs there, later ones find it installed. */
let actionPath: string;
beforeAll(() => {
  actionPath = checkout();
});
afterAll(() => rmSync(actionPath, { recursive: true, force: true }));

describe('the action, run as the runner runs it', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  async function kendra(documents: Record<string, Step[]>) {
    emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents } } } });
    return emulator;
  }
  const statusCalls = (e: Emulator) => e.requests.filter((r) => r.op === 'BatchGetDocumentStatus');
  const kendraArgs = (...rest: string[]) => [`--index-id=${INDEX}`, `--endpoint-url=${emulator!.url}`, ...rest].join('\n');

  it('installs from its own checkout (npm ci --omit=dev, which builds dist/) and runs the subcommand: exit 0', async () => {
    const e = await kendra({ a: [{ status: 'INDEXED' }], b: [{ status: 'UPDATED' }] });
    const r = await runAction(actionPath, { command: 'kendra-status', args: kendraArgs('a', 'b') });
    const [install, run] = r.steps;
    expect(install!.code, install!.stderr).toBe(0);
    expect(install!.stdout).toContain('docstatus: installing with node');
    expect(existsSync(join(actionPath, 'dist', 'cli.cjs'))).toBe(true);
    expect(existsSync(join(actionPath, 'node_modules', 'esbuild'))).toBe(true);
    expect(existsSync(join(actionPath, 'node_modules', 'vitest'))).toBe(false); // --omit=dev
    expect(run!.code, run!.stderr).toBe(0);
    expect(run!.stderr).toBe('');
    expect(statusCalls(e).length).toBe(1);
    expect(r.outputs['exit-code']).toBe('0');
    expect(r.outputs.result!.startsWith(r.runnerTemp + sep)).toBe(true);
    const result = JSON.parse(readFileSync(r.outputs.result!, 'utf8'));
    expect(result.outcome).toBe('succeeded');
    expect(result.summary).toEqual({ total: 2, succeeded: 2, failed: 0, pending: 0, error: 0, byStatus: { INDEXED: 1, UPDATED: 1 } });
    // the other outputs are docstatus's own (GITHUB_ACTIONS=true), passed on by the action: their values, exactly
    expect(r.outputs).toEqual({ outcome: 'succeeded', 'exit-code': '0', total: '2', succeeded: '2', failed: '0', pending: '0', error: '0', result: r.outputs.result });
  }, 180_000);

  it('a failed document: the step exits 1, exit-code=1, the JSON says which; a second use does not install again', async () => {
    const e = await kendra({ a: [{ status: 'INDEXED' }], b: [{ status: 'FAILED', failureCode: '400', failureReason: 'too big' }] });
    const workspace = mkdtempSync(join(tmpdir(), 'docstatus-workspace-'));
    mkdirSync(join(workspace, 'sub'));
    writeFileSync(join(workspace, 'sub', 'ids.txt'), 'a\nb\n');
    const r = await runAction(actionPath, { command: 'kendra-status', args: kendraArgs('--ids-file=ids.txt'), 'working-directory': 'sub' }, { workspace });
    expect(r.steps.map((s) => [s.id, s.code])).toEqual([
      ['install', 0],
      ['run', 1],
    ]);
    expect(r.steps[0]!.stdout).toBe(`docstatus is already installed in ${actionPath}\n`);
    expect(statusCalls(e).length).toBe(1);
    expect(r.outputs).toEqual({ outcome: 'failed', 'exit-code': '1', total: '2', succeeded: '1', failed: '1', pending: '0', error: '0', result: r.outputs.result });
    const result = JSON.parse(readFileSync(r.outputs.result!, 'utf8'));
    expect(result.outcome).toBe('failed');
    expect(result.summary).toEqual({ total: 2, succeeded: 1, failed: 1, pending: 0, error: 0, byStatus: { INDEXED: 1, FAILED: 1 } });
    expect(result.documents[1]).toEqual({ id: 'b', status: 'FAILED', state: 'failed', failureCode: '400', failureReason: 'too big' });
  }, 60_000);

  it('bad input: exit 2 from docstatus, exit-code=2, no result output, nothing sent', async () => {
    const e = await kendra({ a: [{ status: 'INDEXED' }] });
    const r = await runAction(actionPath, { command: 'kendra-status', args: [`--index-id=not-an-index`, `--endpoint-url=${e.url}`, 'a'].join('\n') });
    expect(r.last.id).toBe('run');
    expect(r.last.code).toBe(2);
    // the annotation carries docstatus's own line, not only a pointer to it
    expect(r.last.stdout).toBe(`::error title=docstatus::bad input (exit 2): ${r.last.stderr.trim().replace(/^docstatus: /, '')}\n`);
    expect(r.last.stdout).toContain('not-an-index');
    expect(r.last.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.last.stderr).toMatch(/^docstatus: .*index/);
    expect(e.requests.length).toBe(0);
    expect(r.outputs['exit-code']).toBe('2');
    expect(r.outputs.result).toBe('');
  }, 60_000);

  it('refuses, with exit 2 and one ::error line, what would make the result file not the JSON result', async () => {
    const e = await kendra({ a: [{ status: 'INDEXED' }] });
    for (const [args, shown] of [
      ['-o\ntable\na', '-o'],
      ['--output=markdown\na', '--output=markdown'],
      ['--quiet\na', '--quiet'],
      ['-qo\njson\na', '-qo'],
    ] as const) {
      const r = await runAction(actionPath, { command: 'kendra-status', args: kendraArgs(args) });
      expect(r.last.code).toBe(2);
      expect(r.last.stdout).toBe(
        `::error title=docstatus::args: '${shown}' is not allowed: the action writes the JSON result to the file named by its 'result' output\n`,
      );
      expect(r.outputs['exit-code']).toBe('2');
      expect(r.outputs.result).toBe('');
    }
    for (const command of ['', '--help', 'kendra-status; touch pwned', 'kendra-status $(touch pwned)']) {
      const r = await runAction(actionPath, { command, args: kendraArgs('a') });
      expect(r.last.code).toBe(2);
      expect(r.last.stdout).toMatch(/^::error title=docstatus::the input 'command' /);
      expect(readdirSync(r.workspace)).toEqual([]);
      expect(r.outputs['exit-code']).toBe('2');
    }
    expect(e.requests.length).toBe(0);
  }, 60_000);

  it('refuses a command that checks no document (help, --version, -V, emulate, demo, empty), the reason in the annotation', async () => {
    const e = await kendra({ a: [{ status: 'INDEXED' }] });
    const names = 'kendra-status, translate-status, translate-docs, kb-status';
    for (const [command, message] of [
      ['help', `the input 'command' must be a subcommand that checks documents (${names}), not 'help'`],
      ['--version', `the input 'command' must be a subcommand that checks documents (${names}), not '--version'`],
      ['-V', `the input 'command' must be a subcommand that checks documents (${names}), not '-V'`],
      ['emulate', `the input 'command' must be a subcommand that checks documents (${names}): 'emulate' checks none`],
      ['demo', `the input 'command' must be a subcommand that checks documents (${names}): 'demo' checks none`],
      ['', `the input 'command' is empty: name a subcommand (${names})`],
    ]) {
      const r = await runAction(actionPath, { command: command!, args: '' });
      expect({ command, code: r.last.code, stdout: r.last.stdout, exit: r.outputs['exit-code'], result: r.outputs.result }).toEqual({
        command,
        code: 2,
        stdout: `::error title=docstatus::${message}\n`,
        exit: '2',
        result: '',
      });
    }
    expect(e.requests.length).toBe(0);
  }, 60_000);

  it('the -o/-q/--help/-V refusal cannot be bypassed: args are read as commander reads them (a flag that takes a value eats the next line, even --)', async () => {
    const e = await kendra({ a: [{ status: 'INDEXED' }] });
    const why = "the action writes the JSON result to the file named by its 'result' output";
    for (const [args, shown, reason] of [
      [['--region', '--', '-o', 'markdown', 'a'], '-o', why],
      [['--region', '--', '--output=markdown', 'a'], '--output=markdown', why],
      [['--region', '--', '-q', 'a'], '-q', why],
      [['--ids-file', '--', '--quiet', 'a'], '--quiet', why],
      [['--timeout=5s', '--no-color', '-q', 'a'], '-q', why],
      [['--wait', '-qo', 'json', 'a'], '-qo', why],
      [['-ojson', 'a'], '-ojson', why],
      [['--output=json', 'a'], '--output=json', why],
      [['a', '--help'], '--help', 'it prints help and checks no document'],
      [['-h', 'a'], '-h', 'it prints help and checks no document'],
      [['--region', '-V', 'a'], '-V', 'it prints the version and checks no document'],
      [['-Vq', 'a'], '-Vq', 'it prints the version and checks no document'],
      [['--bogus', '--', '--help'], '--help', "it prints help and checks no document (after the unknown option '--bogus', even past a --)"],
    ] as const) {
      const r = await runAction(actionPath, { command: 'kendra-status', args: kendraArgs(...args) });
      expect({ args, code: r.last.code, stdout: r.last.stdout, exit: r.outputs['exit-code'] }).toEqual({
        args,
        code: 2,
        stdout: `::error title=docstatus::args: '${shown}' is not allowed: ${reason}\n`,
        exit: '2',
      });
    }
    expect(e.requests.length).toBe(0);
    // after a `--` that ends the options, -o and -q are document IDs: the result is still the JSON result
    const ids = await runAction(actionPath, { command: 'kendra-status', args: kendraArgs('--region=us-east-1', '--', '-o', '-q') });
    expect([ids.last.code, ids.outputs['exit-code']]).toEqual([3, '3']);
    expect(JSON.parse(readFileSync(ids.outputs.result!, 'utf8')).documents.map((d: { id: string }) => d.id)).toEqual(['-o', '-q']);
  }, 120_000);

  it("the action's own refusal line holds no raw CR or ESC (a runner that ends a line at CR would read what follows)", async () => {
    await kendra({ a: [{ status: 'INDEXED' }] });
    const forged = '\r::error title=forged::pwned\u001b[2J';
    const escaped = '\\x0d::error title=forged::pwned\\x1b[2J';
    const names = 'kendra-status, translate-status, translate-docs, kb-status';
    for (const [inputs, message] of [
      [{ command: `kendra-status${forged}`, args: '' }, `the input 'command' must be a subcommand that checks documents (${names}), not 'kendra-status${escaped}'`],
      [{ command: 'kendra-status', args: kendraArgs(`-o${forged}`) }, `args: '-o${escaped}' is not allowed: the action writes the JSON result to the file named by its 'result' output`],
      [{ command: 'kendra-status', args: kendraArgs(`--timeout 5m${forged}`) }, "args: '--timeout' and its value: write them as one line --timeout=VALUE (one argument a line)"],
    ] as const) {
      const r = await runAction(actionPath, inputs);
      expect({ code: r.last.code, stdout: r.last.stdout }).toEqual({ code: 2, stdout: `::error title=docstatus::${message}\n` });
    }
  }, 60_000);

  it('a flag and its value on one line with a space: exit 2 and a line saying to write --flag=VALUE; nothing sent', async () => {
    const e = await kendra({ a: [{ status: 'INDEXED' }] });
    const r = await runAction(actionPath, { command: 'kendra-status', args: kendraArgs('--timeout 5m', 'a') });
    expect(r.last.code).toBe(2);
    expect(r.last.stdout).toBe("::error title=docstatus::args: '--timeout' and its value: write them as one line --timeout=VALUE (one argument a line)\n");
    expect(r.outputs['exit-code']).toBe('2');
    // after `--` a line is a document ID, spaces and all
    const ok = await runAction(actionPath, { command: 'kendra-status', args: kendraArgs('--', '--a b') });
    // '--a b' is no document of the emulator's: NOT_FOUND, pending in a one pass (exit 3)
    expect([ok.last.code, ok.outputs['exit-code']]).toEqual([3, '3']);
    expect(ok.last.stdout).toBe('');
    expect(JSON.parse(readFileSync(ok.outputs.result!, 'utf8')).documents.map((d: { id: string }) => d.id)).toEqual(['--a b']);
    expect(e.requests.length).toBe(1);
  }, 60_000);

  it('no IDs in args and a stdin the runner holds open: docstatus reads /dev/null, so exit 2 at once instead of a wait', async () => {
    const e = await kendra({ a: [{ status: 'INDEXED' }] });
    const r = await runAction(actionPath, { command: 'kendra-status', args: kendraArgs() }, { stdin: 'open' });
    expect(r.last.code).toBe(2);
    expect(r.last.stderr).toMatch(/^docstatus: .*ID/m);
    expect(r.outputs['exit-code']).toBe('2');
    expect(e.requests.length).toBe(0);
  }, 60_000);

  it('args are data: quotes, $(...), backticks, ;, globs and expressions in them are passed on literally, never run', async () => {
    const ids = ['$(touch pwned1)', '`touch pwned2`', 'x; touch pwned3', `it's "quoted"`, '$HOME', '*', '${{ inputs.command }}', 'a\\nb', '-o'];
    const e = await kendra({});
    // one argument a line; surrounding white space and blank lines dropped; `--` ends the options, so `-o` is an ID
    const args = kendraArgs('', '  --', ...ids.map((id) => `\t${id}  `), '');
    const r = await runAction(actionPath, { command: 'kendra-status', args: args.replace(/\n/g, '\r\n') });
    expect(r.last.code, r.last.stderr + r.last.stdout).toBe(3); // every ID is NOT_FOUND: pending after one pass
    expect(readdirSync(r.workspace)).toEqual([]);
    expect(existsSync(join(r.workspace, '..', 'pwned1'))).toBe(false);
    const result = JSON.parse(readFileSync(r.outputs.result!, 'utf8'));
    expect(result.documents.map((d: { id: string }) => d.id)).toEqual(ids);
    expect(statusCalls(e).flatMap((c) => c.ids)).toEqual(ids);
    expect(r.outputs['exit-code']).toBe('3');
  }, 60_000);
});

/** The README's GitHub Actions workflow (section "In CI"). */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const workflowText = /```yaml\n(# \.github\/workflows\/index\.yml\n[\s\S]*?)```/.exec(README)?.[1];
interface WorkflowStep {
  uses?: string;
  id?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  'continue-on-error'?: boolean;
}


describe("the README's workflow", () => {
  const steps = () => (parse(workflowText!) as { jobs: { index: { steps: WorkflowStep[] } } }).jobs.index.steps;
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('parses; setup-node 22 or 24 comes before the action; it passes only declared inputs, the required ones among them', () => {
    expect(workflowText).toBeDefined();
    const all = steps();
    const at = all.findIndex((s) => s.uses?.startsWith('your-org/docstatus@'));
    const node = all.findIndex((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(node).toBeGreaterThanOrEqual(0);
    expect(node).toBeLessThan(at);
    expect(['22', '24']).toContain(String(all[node]!.with!['node-version']));
    const given = Object.keys(all[at]!.with!);
    for (const name of given) expect(Object.keys(action.inputs)).toContain(name);
    for (const [name, spec] of Object.entries(action.inputs)) if (spec.required) expect(given).toContain(name);
    expect(all[at]!['continue-on-error']).toBe(true);
    // the step after it reads only outputs the action declares
    for (const m of JSON.stringify(all.slice(at + 1)).matchAll(/steps\.docstatus\.outputs\.([\w-]+)/g)) expect(OUTPUTS).toContain(m[1]);
  });

  // jq is part of this machine kind's image (Debian's jq): a run without it fails here rather than skipping the gate's test.
  it('runs as written (jq needed): a failed document fails the job in the next step, a slow one only warns', async () => {
    const all = steps();
    const at = all.findIndex((s) => s.uses?.startsWith('your-org/docstatus@'));
    const { command, args } = all[at]!.with!;
    const next = all[at + 1]!;
    const cases: { documents: Record<string, Step[]>; code: number; stdout: string; nextCode: number }[] = [
      { documents: { a: [{ status: 'INDEXED' }], b: [{ status: 'FAILED', failureReason: 'too big' }] }, code: 1, stdout: 'b\tFAILED\ttoo big\n', nextCode: 1 },
      {
        documents: { a: [{ status: 'INDEXED' }], b: [{ status: 'PROCESSING' }] },
        code: 3,
        stdout: 'b\tPROCESSING\t\n::warning::still indexing after 15 minutes\n',
        nextCode: 0,
      },
      { documents: { a: [{ status: 'INDEXED' }], b: [{ status: 'INDEXED' }] }, code: 0, stdout: 'all indexed\n', nextCode: 0 },
    ];
    for (const { documents, code, stdout, nextCode } of cases) {
      emulator = await startEmulator({ kendra: { indexes: { [INDEX]: { documents } } } });
      const workspace = mkdtempSync(join(tmpdir(), 'docstatus-workspace-'));
      writeFileSync(join(workspace, 'uploaded-ids.txt'), 'a\nb\n');
      // the workflow's own values: its vars, and --timeout=15m made short enough for a test
      const withArgs = expand(args!, (e) => (e === 'vars.KENDRA_INDEX_ID' ? INDEX : undefined)).replace('--timeout=15m', '--timeout=1s');
      const r = await runAction(actionPath, { command: command!, args: withArgs + '--interval=100ms\n' }, { workspace, env: { AWS_ENDPOINT_URL_KENDRA: emulator.url } });
      expect(r.last.code, r.last.stderr).toBe(code);
      const script = join(r.runnerTemp, 'next.sh');
      writeFileSync(script, next.run!);
      const output = (e: string) => {
        const m = /^steps\.docstatus\.outputs\.([\w-]+)$/.exec(e);
        return m ? (r.outputs[m[1]!] ?? '') : undefined;
      };
      const env = Object.fromEntries(Object.entries(next.env!).map(([k, v]) => [k, expand(v, output)]));
      const after = await runScript(script, workspace, { ...cliEnv(), ...env });
      expect(after.stdout).toBe(stdout);
      expect(after.code).toBe(nextCode);
      await emulator.close();
      emulator = undefined;
    }
  }, 120_000);
});
