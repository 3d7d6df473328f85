import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sinkOut } from '../../src/app/io.js';
import { main } from '../../src/cli.js';
import { Logger } from '../../src/app/logger.js';
import { stepSummary } from '../../src/core/github.js';
import { summarize } from '../../src/core/result.js';
import { cleanText, escapeData, escapeProperty, markdownCell, xmlText } from '../../src/core/sanitize.js';
import { MIN_SECRET, Secrets, WHOLE_WORD_BELOW } from '../../src/core/secrets.js';
import { renderJson, renderMarkdown, renderTable } from '../../src/render/index.js';
import { renderJunit } from '../../src/render/junit.js';
import { kendraColumns } from '../../src/services/kendra/columns.js';
import { propertyParams } from '../property.js';

// core/secrets.ts and app/io.ts: the one scrub every written byte goes through.

const secretsOf = (...values: string[]) => {
  const s = new Secrets();
  s.add(values);
  return s;
};

describe('Secrets.scrub', () => {
  it('a secret as given, JSON-, XML-, Markdown- and workflow-escaped, and cleaned of control characters, is *** in each', () => {
    const v = 'a"b\\c<d&e>f|g*h%i:j,k\u0007l';
    const s = secretsOf(v);
    const written = [
      v,
      JSON.stringify(v),
      JSON.stringify(JSON.stringify(v)),
      xmlText(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;'),
      xmlText(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      markdownCell(v),
      escapeData(cleanText(v)!),
      escapeProperty(cleanText(v)!),
    ];
    for (const text of written) expect(s.scrub(`<<${text}>>`)).toMatch(/^<<"?\*\*\*"?>>$/);
  });

  it('a secret of 4 characters is scrubbed; one of 1 to 3 is not, and add() returns it so that the run can say so', () => {
    const s = new Secrets();
    expect(s.add(['abc', 'k4Q9', '', undefined, 'a', 'x\u0007yz'])).toEqual(['abc', 'a', 'x\u0007yz']);
    expect(s.scrub('abc k4Q9 a')).toBe('abc *** a');
    expect(MIN_SECRET).toBe(4);
  });

  it('the start of a secret that a cut ended (…) is ***; a text that only looks like it (fewer than 4 characters) is kept', () => {
    const s = secretsOf('wJalrXUtnFEMI/TEST/SECRET');
    expect(s.scrub('key wJalrXUtnF… refused')).toBe('key ***… refused');
    expect(s.scrub('key wJa… refused')).toBe('key wJa… refused');
    expect(s.scrub('one wJalrXUtnFEMI/TEST/SECRET two wJalrX…')).toBe('one *** two ***…');
  });

  it('in a Markdown file the replacement is escaped as the text around it', () => {
    expect(secretsOf('k4Q9').scrub('| k4Q9 |', '\\*\\*\\*')).toBe('| \\*\\*\\* |');
  });

  it('property: whatever the secret (4 to 40 printable characters) and the text around it, no rendering carries it', async () => {
    const docs = (v: string) => {
      const documents = [
        { id: `doc-${v}`, status: 'FAILED', state: 'failed' as const, failureCode: v, failureReason: `x${v}y ${v} ${'z'.repeat(280)}${v}` },
        { id: 'ok', status: 'INDEXED', state: 'succeeded' as const },
      ];
      return { documents, summary: summarize(documents) };
    };
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 4, maxLength: 40, unit: fc.constantFrom(...'ab"\\<>&|*_%:,!`[]()~\u0007 xyz0') }), async (v) => {
        // shorter once cleaned: its forms below 4 characters are kept, and the run warns (add() returns it)
        fc.pre(cleanText(v)!.trim().length >= 4);
        const s = secretsOf(v);
        const result = { service: 'kendra' as const, target: { indexId: 'i' }, outcome: 'failed' as const, complete: true, stats: { rounds: 1, requests: 1, elapsedMs: 1 }, ...docs(v) };
        const columns = kendraColumns(false);
        const outputs = [
          renderJson(result as never),
          renderMarkdown(result as never, { colorLevel: 0, columns }),
          await renderTable(result as never, { colorLevel: 0, columns, width: 60 }),
          renderJunit(result as never, { finishedAt: 0, hostname: 'h' }),
          stepSummary({ result: result as never, title: 't', columns, reason: () => '', exitCode: 1, end: { wait: false, timeoutMs: 0, timedOut: false, failFastStopped: false, stdoutGone: false } }),
        ].map((o) => s.scrub(o));
        const cleaned = cleanText(v)!.trim();
        const xml = xmlText(v).trim().replace(/&/g, '&amp;').replace(/</g, '&lt;');
        const forms = [cleaned, JSON.stringify(v).slice(1, -1), markdownCell(v).trim(), xml.replace(/>/g, '&gt;'), xml.replace(/"/g, '&quot;')];
        // A secret shorter than WHOLE_WORD_BELOW is scrubbed where it stands as a word of its own (`x${v}y` may keep it).
        const shown = (out: string, form: string) => {
          if (form.length >= WHOLE_WORD_BELOW) return out.includes(form);
          const before = /^[a-z0-9]/i.test(form) ? '(?<![a-z0-9])' : '';
          const after = /[a-z0-9]$/i.test(form) ? '(?![a-z0-9])' : '';
          return new RegExp(`${before}${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${after}`, 'i').test(out);
        };
        for (const out of outputs) for (const form of forms) expect({ form, shown: shown(out, form) }).toEqual({ form, shown: false });
      }),
      propertyParams(60),
    );
  });
});

describe('Secrets.scrub: a short secret is a word of its own', () => {
  it("the emulator's `test` credentials: `<testsuite>` and `latest` stay, `handbook/test-01.pdf` and \"test\" are scrubbed", () => {
    const s = new Secrets();
    s.add(['test']);
    expect(s.scrub('<testsuites tests="2"><testsuite name="latest"/>')).toBe('<testsuites tests="2"><testsuite name="latest"/>');
    expect(s.scrub('{"id": "handbook/test-01.pdf", "key": "test", "Test": "TEST"}')).toBe('{"id": "handbook/***-01.pdf", "key": "***", "***": "***"}'); // any letter case
  });

  it('from WHOLE_WORD_BELOW characters on, a secret is scrubbed inside any word', () => {
    const s = new Secrets();
    s.add(['abcdefg', 'k3yOfEight']);
    expect(WHOLE_WORD_BELOW).toBe(8);
    expect(s.scrub('xabcdefgy xk3yOfEighty abcdefg-1 (abcdefg)')).toBe('xabcdefgy x***y ***-1 (***)');
  });

  it('a short secret that starts or ends with punctuation is held to a word end only where it has a letter or digit', () => {
    const s = new Secrets();
    s.add(['%ab1', 'q!!!']);
    expect(s.scrub('x%ab1 a%ab1b q!!!z zq!!!')).toBe('x*** a%ab1b ***z zq!!!');
  });
});

describe('Secrets.scrub: a secret percent-encoded in a URL, in another letter case or Unicode normalization', () => {
  // made by Node's own URL and URLSearchParams, apart from the code under test
  const urlForms = (v: string) => {
    const u = new URL('http://h.invalid/');
    u.pathname = `/${v}`;
    u.search = `?${v}`;
    u.hash = `#${v}`;
    const user = new URL('http://h.invalid/');
    user.password = v;
    return {
      path: u.pathname.slice(1),
      query: u.search.slice(1),
      fragment: u.hash.slice(1),
      password: user.password,
      component: encodeURIComponent(v),
      uri: encodeURI(v),
      form: new URLSearchParams({ k: v }).toString().slice(2),
      lower: encodeURIComponent(v).toLowerCase(),
    };
  };

  it.each(['pa ss"wörd/+<x>', 'Zq9/kE+y=ab', 'k4 Q', 'ключ-секрет', 'a\u00e9b\u0301c{d}|e^'])('%j: every URL encoding of it is ***', (v) => {
    const s = secretsOf(v);
    for (const [how, form] of Object.entries(urlForms(v))) expect({ how, out: s.scrub(`GET https://h.invalid/x?a=${form}&b=1 200`) }).toEqual({ how, out: 'GET https://h.invalid/x?a=***&b=1 200' });
  });

  it('upper- or lower-cased (a host name the URL parser lower-cased), and NFC for NFD', () => {
    const s = secretsOf('Zq9SECRETkeyVALUE42', 'cafe\u0301-Secret');
    expect(s.scrub('https://zq9secretkeyvalue42.invalid/ ZQ9SECRETKEYVALUE42')).toBe('https://***.invalid/ ***');
    expect(s.scrub('id caf\u00e9-secret.')).toBe('id ***.');
    expect(s.scrub('id CAF\u00c9-SECRET.')).toBe('id ***.');
  });
});

describe('every cut of service text is marked …, so that the start of a secret it ends is scrubbed', () => {
  it("cleanText's first cut (at 4 × MAX_TEXT, before cleaning): cleaning that leaves the text short kept the start of a secret unmarked", () => {
    const secret = 'Zq9SECRETkeyVALUE42';
    const s = secretsOf(secret);
    // the secret straddles the first cut; the control characters before it are cleaned away
    const text = cleanText(`${'\u0001'.repeat(4 * 2000 - 10)}${secret}`)!;
    expect(text).toBe('Zq9SECRETk…');
    expect(s.scrub(text)).toBe('***…');
    // a surrogate pair is never split by it
    expect(cleanText(`${'\u0001'.repeat(4 * 2000 - 1)}😀x`)).toBe('…');
  });
});

describe('sinkOut', () => {
  it('scrubs every write, string or bytes; every other property and method is the stream\'s own', () => {
    const written: unknown[] = [];
    const calls: string[] = [];
    const stream = {
      isTTY: true,
      columns: 80,
      write(text: unknown) {
        written.push(text);
        return true;
      },
      cursorTo(x: number) {
        calls.push(`cursorTo ${x} ${this === stream}`);
        return true;
      },
    };
    const out = sinkOut(stream, secretsOf('k4Q9'));
    out.write('a k4Q9 b');
    out.write(Buffer.from('c k4Q9 d') as never);
    out.cursorTo(0);
    expect(written).toEqual(['a *** b', 'c *** d']);
    expect([out.isTTY, out.columns]).toEqual([true, 80]);
    expect(calls).toEqual(['cursorTo 0 true']);
  });

  it("ora's hook on write (its spinner clears its line before another write) stays inside the sink: still scrubbed, the stream untouched", async () => {
    const out: string[] = [];
    const noop = () => true;
    const write = (t: string) => out.push(t);
    const tty = { isTTY: true, write, columns: 80, on: noop, once: noop, removeListener: noop, cursorTo: noop, clearLine: noop, moveCursor: noop };
    const secrets = secretsOf('k4Q9-spin');
    const log = new Logger(sinkOut(tty, secrets), { secrets, env: {} });
    const spin = await log.spinner('waiting for k4Q9-spin');
    log.warn('a warning about k4Q9-spin while spinning');
    spin.update('3/25 final, k4Q9-spin');
    spin.stop();
    const text = out.join('');
    expect(text).toContain('waiting for ***');
    expect(text).toContain('docstatus: warning: a warning about *** while spinning\n');
    expect(text).not.toContain('k4Q9-spin');
    expect(tty.write).toBe(write);
    // before: the hook, set on the stream through the sink, called the sink, which called the hook (stack overflow)
  });

  it("Logger.keepSecret: a secret learnt mid-run is scrubbed from then on; one too short is one warning naming its source, when the run has run", () => {
    const err: string[] = [];
    const secrets = new Secrets();
    const log = new Logger(sinkOut({ write: (t: string) => err.push(t) }, secrets), { secrets });
    log.error('token Tok3n-value');
    log.keepSecret('an AWS credential the SDK resolved', ['Tok3n-value']);
    log.keepSecret('the proxy password of HTTPS_PROXY', ['pw']);
    log.keepSecret('the proxy password of HTTPS_PROXY', ['pw']);
    log.error('token Tok3n-value');
    log.noteShortSecrets();
    log.noteShortSecrets();
    expect(err).toEqual([
      'docstatus: token Tok3n-value\n',
      'docstatus: token ***\n',
      'docstatus: warning: the proxy password of HTTPS_PROXY is shorter than 4 characters: too short to be scrubbed from the output (README, "Secrets")\n',
    ]);
  });
});

describe("commander's own messages (bad input caught while parsing, before a run has its list)", () => {
  const KEY = 'Zq9SECRETkeyVALUE42';
  const run = async (argv: string[], env: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env, signal: new AbortController().signal });
    return { code, out: out.join(''), err: err.join('') };
  };
  const invalid = (shown: string) => `docstatus: option '-o, --output <format>' argument '${shown}' is invalid. Allowed choices are table, json, ndjson, markdown, junit.\n`;

  it.each([
    ['--key then -o', ['translate-status', '--key', KEY, '-o', KEY, 'B1'], {}],
    ['--key= then --output', ['translate-docs', `--key=${KEY}`, '--output', KEY], {}],
    ['AZURE_TRANSLATOR_KEY', ['translate-status', '-o', KEY, 'B1'], { AZURE_TRANSLATOR_KEY: KEY }],
    ['AWS_SECRET_ACCESS_KEY', ['kendra-status', '-o', KEY, 'a'], { AWS_SECRET_ACCESS_KEY: KEY }],
    ["a proxy's password", ['kb-status', `--output=${KEY}`], { HTTPS_PROXY: `http://user1:${KEY}@vm:3128` }],
  ] as const)('a secret (%s) given as a value commander refuses is *** in its message', async (_, argv, env) => {
    expect(await run([...argv], env)).toEqual({ code: 2, out: '', err: invalid('***') });
  });

  it('an unknown --flag=value is named without its value (a mistyped --key=...)', async () => {
    expect(await run(['translate-status', `--kye=${KEY}`, 'B1'])).toEqual({ code: 2, out: '', err: "docstatus: unknown option '--kye=...'\n" });
    expect(await run(['translate-status', '--bogus', 'B1'])).toEqual({ code: 2, out: '', err: "docstatus: unknown option '--bogus'\n" });
    // a value that is no secret is still quoted back
    expect(await run(['translate-status', '-o', 'yaml', 'B1'])).toEqual({ code: 2, out: '', err: invalid('yaml') });
  });
});

describe('bad input that quotes a long secret given as its value: the cut keeps no start of it', () => {
  // a session token is ~800 characters: the messages quote 60 to 100 of it, and marked no cut (or marked it '...')
  const token = `IQoJb3JpZ2luX2VjE${'Ab9'.repeat(260)}`;
  const run = async (argv: string[]) => {
    const err: string[] = [];
    const code = await main(argv, {
      stdout: { write: () => true },
      stderr: { write: (t: string) => err.push(t) },
      env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-of-the-test', AWS_SESSION_TOKEN: token, AWS_EC2_METADATA_DISABLED: 'true' },
      signal: new AbortController().signal,
    });
    return { code, err: err.join('') };
  };
  it.each([
    ['--index-id', ['kendra-status', '--index-id', token, '--region', 'us-east-1', 'a']],
    ['--region', ['kendra-status', '--index-id', 'a1b2c3d4-0000-4000-8000-00000000beef', '--region', token, 'a']],
    ['--knowledge-base-id', ['kb-status', '--knowledge-base-id', token, '--data-source-id', 'DS12345678', '--region', 'us-east-1', '--all']],
    ['--data-source-id', ['kb-status', '--knowledge-base-id', 'KB12345678', '--data-source-id', token, '--region', 'us-east-1', '--all']],
  ])('AWS_SESSION_TOKEN given as %s', async (_, argv) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^docstatus: .*'\*\*\*…'/);
    expect(r.err).not.toContain(token.slice(0, 8));
  });
});
