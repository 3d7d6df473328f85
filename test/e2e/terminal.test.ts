import { execFile } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { BIN, captured, cliEnv, DS, INDEX, KB, runCli, SECRETS, tempFile } from '../helpers.js';

// At a terminal: tables and --help fit its width (script(1) gives a pseudo-terminal of a set size), and ID lists
// whose lines look like mistakes get one warning.

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const BATCH = '8d1b6a3e-0000-4000-8000-0000000000e1';
const LONG = 'The document could not be parsed because its text layer is damaged; export it again and resubmit it';

async function start() {
  emulator = await startEmulator({
    kendra: {
      indexes: {
        [INDEX]: {
          documents: {
            'reports/2026/q3-final.pdf': [{ status: 'FAILED', failureCode: 'InvalidDocument', failureReason: LONG }],
            'doc-2': [{ status: 'INDEXED' }],
            '# old': [{ status: 'INDEXED' }],
            'doc 3': [{ status: 'INDEXED' }],
          },
        },
      },
    },
    'bedrock-kb': {
      knowledgeBases: { [KB]: { dataSources: { [DS]: { documents: { 'doc-1': [{ status: 'FAILED', failureReason: LONG }], 'two words': [{ status: 'INDEXED' }] } } } } },
    },
    translator: {
      key: SECRETS.azureKey,
      batches: {
        [BATCH]: {
          documents: {
            '0a1b2c3d-0000-4000-8000-00000000d0c1': { timeline: [{ status: 'Failed', failureCode: 'InvalidRequest', failureReason: LONG }], to: 'fr' },
            '#x': { timeline: [{ status: 'Succeeded' }], to: 'fr' },
          },
        },
      },
    },
  });
  return emulator;
}

const kendra = (...args: string[]) => ['kendra-status', '--index-id', INDEX, '--endpoint-url', emulator!.url, ...args];
const kb = (...args: string[]) => ['kb-status', '--knowledge-base-id', KB, '--data-source-id', DS, '--endpoint-url', emulator!.url, ...args];
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** docstatus on a pseudo-terminal `columns` wide, stderr to /dev/null (no spinner): what the terminal showed. */
function onTerminal(columns: number, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const cmd = `stty cols ${columns} rows 40; ${process.execPath} ${BIN} ${args.map(quote).join(' ')} 2>/dev/null`;
  return new Promise((resolve) => {
    execFile('script', ['-qec', cmd, '/dev/null'], { env: { ...cliEnv({ CI: '', ...env }), TERM: 'xterm' }, timeout: 20_000 }, (err, stdout) => {
      captured.push(stdout);
      resolve({ code: err ? (err.code as number) : 0, out: stdout.replace(/\r/g, '') });
    });
  });
}

const lines = (out: string) => out.trimEnd().split('\n');

describe('a table on a terminal fits its width', () => {
  it.each([80, 120])('kendra-status at %i columns: no line wider, the ID whole, the reason cut with …; --wide keeps it', async (width) => {
    await start();
    const r = await onTerminal(width, kendra('reports/2026/q3-final.pdf', 'doc-2'));
    expect(r.code).toBe(1);
    expect(lines(r.out).filter((l) => [...l].length > width)).toEqual([]);
    expect(r.out).toMatch(/^│ reports\/2026\/q3-final\.pdf +│ FAILED +│ failed +│ InvalidDocument: The.*… │$/m);
    expect(r.out).not.toContain(LONG);
    const wide = await onTerminal(width, kendra('reports/2026/q3-final.pdf', 'doc-2', '--wide'));
    expect(wide.code).toBe(1);
    expect(wide.out).toContain(LONG);
    expect(wide.out).not.toContain('…');
  });

  it('kb-status at 80 columns and translate-status at 120 fit; a pipe gets every cell whole', async () => {
    await start();
    const k = await onTerminal(80, kb('doc-1'));
    expect(k.code).toBe(1);
    expect(lines(k.out).filter((l) => [...l].length > 80)).toEqual([]);
    expect(k.out).toMatch(/^│ doc-1 +│ FAILED +│ failed +│ The document could .*… │$/m);
    const t = await onTerminal(120, ['translate-status', BATCH, '0a1b2c3d-0000-4000-8000-00000000d0c1', '--endpoint', emulator!.url], { AZURE_TRANSLATOR_KEY: SECRETS.azureKey });
    expect(t.code).toBe(1);
    expect(lines(t.out).filter((l) => [...l].length > 120)).toEqual([]);
    expect(t.out).toContain('│ 0a1b2c3d-0000-4000-8000-00000000d0c1 │ Failed');
    expect(t.out).toContain('…');
    const piped = await runCli(kendra('reports/2026/q3-final.pdf', '-o', 'table'));
    expect(piped.code).toBe(1);
    expect(piped.stdout).toContain(LONG);
  });
});

describe('--help on a terminal', () => {
  it.each([60, 80, 120])('docstatus --help and kendra-status --help at %i columns: no line wider', async (width) => {
    for (const args of [['--help'], ['kendra-status', '--help']]) {
      const r = await onTerminal(width, args);
      expect(r.code).toBe(0);
      expect(lines(r.out).filter((l) => l.length > width)).toEqual([]);
      expect(r.out).toContain(args.length === 1 ? 'output the version number\n' : 'Exit codes:\n');
    }
  });
});

describe('ID lists whose lines look like mistakes: one warning, the IDs still asked', () => {
  it('kendra-status --ids-file: one stderr line naming the first line and the count; every ID asked as written, in one request', async () => {
    const e = await start();
    const file = tempFile('ids.txt', 'doc-2\r\n# old\r\ndoc 3\r\n\r\n');
    const r = await runCli(kendra('--ids-file', file));
    expect(r.stderr).toBe(`docstatus: warning: --ids-file ${file} line 2 starts with '#' (and 1 more line looks like a comment or holds white space); IDs are used as written\n`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).documents.map((d: { id: string; status: string }) => `${d.id}:${d.status}`)).toEqual(['doc-2:INDEXED', '# old:INDEXED', 'doc 3:INDEXED']);
    const asked = e.requests.filter((q) => q.op === 'BatchGetDocumentStatus');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.input!.DocumentInfoList).toEqual([{ DocumentId: 'doc-2' }, { DocumentId: '# old' }, { DocumentId: 'doc 3' }]);
  });

  it('-q keeps the warning (warnings go to stderr whatever -q says; stdout stays empty)', async () => {
    await start();
    const r = await runCli(kendra('-q'), { input: '# old\n' });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: "docstatus: warning: <stdin> line 1 starts with '#'; IDs are used as written\n" });
  });

  it('positional IDs are not warned about (the shell split them: a space in one was quoted on purpose)', async () => {
    await start();
    const r = await runCli(kendra('doc 3', '# old'));
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });

  it('kb-status from standard input and translate-status from --ids-file: the same warning, the odd IDs in the result', async () => {
    const e = await start();
    const k = await runCli(kb(), { input: 'two words\n' });
    expect(k.stderr).toBe('docstatus: warning: <stdin> line 1 holds white space; IDs are used as written\n');
    expect(k.code).toBe(0);
    expect(JSON.parse(k.stdout).documents).toMatchObject([{ id: 'two words', status: 'INDEXED', state: 'succeeded' }]);
    expect(e.requests.filter((q) => q.op === 'GetKnowledgeBaseDocuments').flatMap((q) => q.ids)).toEqual(['two words']);
    const t = await runCli(['translate-status', BATCH, '--ids-file', '-', '--endpoint', emulator!.url], { input: '#x\n', env: { AZURE_TRANSLATOR_KEY: SECRETS.azureKey } });
    expect(t.stderr).toBe("docstatus: warning: --ids-file <stdin> line 1 starts with '#'; IDs are used as written\n");
    expect(t.code).toBe(0);
    expect(JSON.parse(t.stdout).documents).toMatchObject([{ id: '#x', status: 'Succeeded', state: 'succeeded' }]);
  });
});
