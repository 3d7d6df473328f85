import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/core/duration.js';
import { UsageError } from '../../src/core/errors.js';
import { checkId, chunk, collectIds, dedupe, parseIdLines } from '../../src/core/input.js';
import { checkAttributeSet, checkIndexId, parseAttributeFlag, parseDocumentInfo } from '../../src/services/kendra/input.js';
import { sanitize } from '../../src/core/sanitize.js';
import { exitCodeOf, outcomeOf, readStatus } from '../../src/core/outcome.js';
import { kendraStatuses } from '../../src/services/kendra/states.js';
import { AZURE_STATUSES } from '../../src/services/translator/states.js';

const kendraState = (status: string, goal: 'indexed' | 'deleted') => kendraStatuses(goal).get(status)?.state;
const azureState = (status: string) => AZURE_STATUSES.get(status)?.state;
import { INDEX } from '../helpers.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['7', 7000],
    ['1.5', 1500],
    ['0', 0],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text, '--interval')).toBe(ms));

  it.each(['', '5x', '-1s', 'five', '1d', '5 s s', '10000h'])('rejects %j with the flag named', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(UsageError);
    expect(() => parseDuration(text, '--timeout')).toThrow(/^--timeout: /);
  });
});

describe('states', () => {
  it.each([
    ['INDEXED', 'succeeded'],
    ['UPDATED', 'succeeded'],
    ['FAILED', 'failed'],
    ['UPDATE_FAILED', 'failed'],
    ['PROCESSING', 'pending'],
    ['NOT_FOUND', 'pending'],
    ['SOMETHING_NEW', undefined],
    ['constructor', undefined],
    ['__proto__', undefined],
  ])('kendra --until indexed: %s is %s', (status, state) => expect(kendraState(status, 'indexed')).toBe(state));

  it.each([
    ['NOT_FOUND', 'succeeded'],
    ['INDEXED', 'pending'],
    ['PROCESSING', 'pending'],
    ['FAILED', 'pending'],
    ['SOMETHING_NEW', undefined],
  ])('kendra --until deleted: %s is %s', (status, state) => expect(kendraState(status, 'deleted')).toBe(state));

  it.each([
    ['Succeeded', 'succeeded'],
    ['Failed', 'failed'],
    ['ValidationFailed', 'failed'],
    ['Cancelled', 'failed'],
    ['Canceled', 'failed'],
    ['NotStarted', 'pending'],
    ['Running', 'pending'],
    ['Cancelling', 'pending'],
    ['Canceling', 'pending'],
    ['Paused', undefined],
  ])('azure: %s is %s', (status, state) => expect(azureState(status)).toBe(state));

  it('reads a status field: missing is malformed (asked again), unlisted is unknown (final), shown escaped so it never equals a known one', () => {
    const indexed = kendraStatuses('indexed');
    expect(readStatus('INDEXED', indexed, 'DocumentStatus')).toEqual({ status: 'INDEXED', state: 'succeeded' });
    // a known status with an escape sequence or an invisible character in it is no known status (issue 8, attack #2)
    expect(readStatus('IN\u001b[2JDEXED', indexed, 'DocumentStatus')).toEqual({ status: 'IN\\u001b[2JDEXED', state: 'error', errorCode: 'UnknownStatus', errorMessage: 'unknown status IN\\u001b[2JDEXED' });
    // the backslash itself is escaped: a status sent as the six characters \u200b is not shown as one sent with U+200B
    expect(readStatus('A\\u200b', indexed, 'DocumentStatus')).toMatchObject({ status: 'A\\\\u200b' });
    expect(readStatus('A\u200b', indexed, 'DocumentStatus')).toMatchObject({ status: 'A\\u200b' });
    // astral characters as their two halves, a lone half too; long ones cut at a whole escape
    expect(readStatus('\u{1F600}\ud800', indexed, 'DocumentStatus')).toMatchObject({ status: '\\ud83d\\ude00\\ud800' });
    const long = readStatus('\u200b'.repeat(100), indexed, 'DocumentStatus');
    expect(long.status).toBe(`${'\\u200b'.repeat(33)}…`);
    expect(readStatus('INDEXED\u200b', indexed, 'DocumentStatus')).toMatchObject({ state: 'error', errorCode: 'UnknownStatus' });
    expect(readStatus(undefined, indexed, 'DocumentStatus')).toEqual({ state: 'error', errorCode: 'MalformedResponse', errorMessage: 'the answer has no DocumentStatus' });
    expect(readStatus(42, AZURE_STATUSES, 'status')).toMatchObject({ state: 'error', errorCode: 'MalformedResponse' });
    expect(readStatus('ARCHIVED', indexed, 'DocumentStatus')).toEqual({ status: 'ARCHIVED', state: 'error', errorCode: 'UnknownStatus', errorMessage: 'unknown status ARCHIVED' });
  });

  it('orders outcomes failed > error > pending > succeeded', () => {
    const c = (succeeded: number, failed: number, pending: number, error: number) => ({ succeeded, failed, pending, error });
    expect(outcomeOf(c(5, 1, 1, 1))).toBe('failed');
    expect(outcomeOf(c(5, 0, 1, 1))).toBe('error');
    expect(outcomeOf(c(5, 0, 1, 0))).toBe('pending');
    expect(outcomeOf(c(5, 0, 0, 0))).toBe('succeeded');
    expect(outcomeOf(c(0, 0, 0, 0))).toBe('succeeded');
  });

  // Exit 2 for bad usage is checked on the built binary, case by case (test/e2e/bad-input.test.ts).
  it('maps outcomes to exit codes, precedence 1, 4, 3; interrupts to 130/143', () => {
    expect([exitCodeOf('succeeded'), exitCodeOf('failed'), exitCodeOf('error'), exitCodeOf('pending')]).toEqual([0, 1, 4, 3]);
    expect(exitCodeOf('failed', 'SIGINT')).toBe(130);
    expect(exitCodeOf('succeeded', 'SIGTERM')).toBe(143);
  });
});

describe('chunk', () => {
  it.each([0, 1, 9, 10, 11, 99, 100, 101])('splits %i items into ceil(n/10) chunks of at most 10, in order', (n) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const chunks = chunk(items, 10);
    expect(chunks.length).toBe(Math.ceil(n / 10));
    expect(chunks.every((c) => c.length >= 1 && c.length <= 10)).toBe(true);
    expect(chunks.flat()).toEqual(items);
  });
});

describe('ID input', () => {
  it('reads one ID a line, trims, skips blank lines', () => {
    expect(parseIdLines('  a \n\n b\r\n\t\nc', 'f')).toEqual(['a', 'b', 'c']);
  });
  it('names the line of an over-long ID', () => {
    expect(() => parseIdLines(`ok\n${'x'.repeat(2049)}\n`, '--ids-file ids.txt')).toThrow(
      '--ids-file ids.txt:2: document ID is 2049 characters (at most 2048)',
    );
    expect(checkId('x'.repeat(2048), 'w')).toHaveLength(2048);
  });
  it('dedupes keeping first-seen order', () => {
    expect(dedupe(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
  });
  it('reads a million IDs from stdin or a file (no call-stack overflow)', async () => {
    const text = Array.from({ length: 1_000_000 }, (_, i) => `d${i}`).join('\n');
    const stdin = { isTTY: false, read: async () => Buffer.from(text) };
    const ids = await collectIds({ positional: [] }, stdin);
    expect(ids.length).toBe(1_000_000);
    expect(ids[999_999]).toBe('d999999');
    expect((await collectIds({ positional: ['x'], idsFiles: ['-'] }, stdin)).length).toBe(1_000_001);
  });

  it('reads stdin only when no ID is given and stdin is not a terminal', async () => {
    const stdin = (text: string, isTTY: boolean) => ({ isTTY, read: async () => Buffer.from(text) });
    expect(await collectIds({ positional: ['x'] }, stdin('y\n', false))).toEqual(['x']);
    expect(await collectIds({ positional: [] }, stdin('y\nz\ny\n', false))).toEqual(['y', 'z']);
    expect(await collectIds({ positional: [] }, stdin('y\n', true))).toEqual([]);
    expect(await collectIds({ positional: ['a'], idsFiles: ['-'] }, stdin('b\na\n', true))).toEqual(['a', 'b']);
  });
});

describe('Kendra input', () => {
  it('checks the index ID: 36 characters and the pattern', () => {
    expect(checkIndexId(INDEX)).toBe(INDEX);
    expect(() => checkIndexId(undefined)).toThrow('--index-id is required (or set KENDRA_INDEX_ID)');
    expect(() => checkIndexId('short')).toThrow(/not a Kendra index ID/);
    expect(() => checkIndexId(`-${INDEX.slice(1)}`)).toThrow(/not a Kendra index ID/);
    expect(() => checkIndexId(`${INDEX.slice(0, 35)}_`)).toThrow(/not a Kendra index ID/);
  });

  it('parses --attribute into StringValue attributes', () => {
    expect(parseAttributeFlag('version=v2')).toEqual({ Key: 'version', Value: { StringValue: 'v2' } });
    expect(parseAttributeFlag('datasourceId=a=b')).toEqual({ Key: 'datasourceId', Value: { StringValue: 'a=b' } });
    expect(() => parseAttributeFlag('version')).toThrow("--attribute: 'version' is not KEY=VALUE");
    expect(() => parseAttributeFlag('colour=red')).toThrow(/unknown key 'colour'/);
    expect(() => checkAttributeSet([parseAttributeFlag('datasourceId=d')])).toThrow(/together/);
    expect(() => checkAttributeSet([parseAttributeFlag('datasourceId=d'), parseAttributeFlag('jobExecutionId=j')])).not.toThrow();
  });

  it('reads a JSON array of DocumentInfo with all four attribute value types', () => {
    const infos = parseDocumentInfo(
      JSON.stringify([
        {
          DocumentId: 'd1',
          Attributes: [
            { Key: 'version', Value: { StringValue: 'v1' } },
            { Key: 'tags', Value: { StringListValue: ['a', 'b'] } },
            { Key: '_size', Value: { LongValue: 42 } },
            { Key: 'when', Value: { DateValue: '2026-01-02T03:04:05Z' } },
            { Key: 'epoch', Value: { DateValue: 1700000000 } },
          ],
        },
        { DocumentId: 'd2' },
      ]),
      'f',
    );
    expect(infos[1]).toEqual({ DocumentId: 'd2' });
    expect(infos[0]!.Attributes!.map((a) => a.Value)).toEqual([
      { StringValue: 'v1' },
      { StringListValue: ['a', 'b'] },
      { LongValue: 42 },
      { DateValue: new Date('2026-01-02T03:04:05Z') },
      { DateValue: new Date(1700000000 * 1000) },
    ]);
  });

  it('reads JSON Lines and names the bad line', () => {
    expect(parseDocumentInfo('{"DocumentId":"a"}\n\n{"DocumentId":"b"}\n', 'f').map((i) => i.DocumentId)).toEqual(['a', 'b']);
    expect(() => parseDocumentInfo('{"DocumentId":"a"}\n{oops\n', 'f')).toThrow(/^f:2: malformed JSON/);
  });

  it.each([
    ['[{"DocumentId": 5}]', /DocumentId must be a string/],
    ['[{"Id": "x"}]', /unknown field 'Id'/],
    ['[{"DocumentId": ""}]', /empty document ID/],
    ['[{"DocumentId": "a", "Attributes": [{"Key": "k", "Value": {}}]}]', /exactly one of/],
    ['[{"DocumentId": "a", "Attributes": [{"Key": "k", "Value": {"LongValue": 1.5}}]}]', /bad LongValue/],
    ['[{"DocumentId": "a", "Attributes": [{"Key": "k", "Value": {"DateValue": "not a date"}}]}]', /bad DateValue/],
    ['[{"DocumentId": "a", "Attributes": [{"Key": "bad key", "Value": {"StringValue": "x"}}]}]', /bad Key/],
    ['{"DocumentId": "a"', /malformed JSON/],
    ['[1, 2', /malformed JSON/],
    ['   ', /no DocumentInfo/],
  ])('rejects %s', (text, message) => {
    expect(() => parseDocumentInfo(text, 'f')).toThrow(message);
  });
});

describe('sanitize', () => {
  it('strips escape sequences and control characters from service text', () => {
    expect(sanitize('\u001b[31mred\u001b[0m \u001b]0;title\u0007ok\u0000\u0008\u009b2J\ttab\nline')).toBe('red ok tab line');
  });
});
