import { describe, expect, it } from 'vitest';
import { isLoopback, parseInstant, parseStatuses, resolveFilters } from '../../src/services/translator/commands.js';
import { retryAfterMs } from '../../src/core/retry-after.js';
import { azureErrorOf, azureReport } from '../../src/services/translator/source.js';
import { API_VERSIONS } from '../../src/services/translator/flags.js';
import { azureModel } from '../../src/services/translator/model.js';
import { AZURE_DOC_REQUIRED, azureBatch, azureDoc } from '../helpers.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  it.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': 'Mon, 23 Nov 2026 10:00:03 GMT' }, 3000],
    [{ 'retry-after': 'Mon, 23 Nov 2026 09:00:00 GMT' }, 0],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'x-ms-retry-after-ms': '40' }, 40],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j is %s ms', (headers, ms) => expect(retryAfterMs(headers, now)).toBe(ms));
});

describe('azureErrorOf', () => {
  it('reads TranslationError with innerError (v1.x)', () => {
    expect(azureErrorOf({ error: { code: 'InvalidRequest', message: 'Bad SAS', target: 'Document', innerError: { code: 'SASTokenInvalid', message: 'SAS token for storage is invalid' } } })).toEqual({
      code: 'InvalidRequest',
      message: 'Bad SAS (SASTokenInvalid: SAS token for storage is invalid)',
    });
  });
  it('reads Azure.Core errors with innererror and details (2024-05-01)', () => {
    expect(azureErrorOf({ error: { code: 'InvalidArgument', message: 'Bad filter', innererror: { code: 'InvalidDate' }, details: [{ code: 'Range', message: 'start after end' }] } })).toEqual({
      code: 'InvalidArgument',
      message: 'Bad filter (InvalidDate; Range: start after end)',
    });
  });
  it('strips control characters from service text', () => {
    expect(azureErrorOf({ error: { code: 'X\u001b[31m', message: 'a\u0007b' } })).toEqual({ code: 'X', message: 'ab' });
  });
  it('gives nothing for a body of another shape', () => {
    expect(azureErrorOf('<html>')).toEqual({});
    expect(azureErrorOf({ message: 'x' })).toEqual({});
  });
});

describe('azureReport', () => {
  it('keeps the service fields in camelCase and maps the state', () => {
    expect(azureReport(azureDoc({ id: 'x', status: 'Canceled', to: 'de', progress: 0.2, sourcePath: 's', unknownField: 1 }), 'x')).toEqual({
      ...AZURE_DOC_REQUIRED,
      id: 'x',
      status: 'Canceled',
      state: 'failed',
      to: 'de',
      progress: 0.2,
      sourcePath: 's',
    });
  });
  it('an unknown or missing status is an error, never a guess', () => {
    expect(azureReport(azureDoc({ id: 'x', status: 'Paused' }), 'x')).toMatchObject({ state: 'error', errorCode: 'UnknownStatus', status: 'Paused' });
    expect(azureReport(azureDoc({ status: 'Succeeded' }), 'x')).toEqual({ id: 'x', state: 'error', errorCode: 'MalformedResponse', errorMessage: 'malformed answer: id is missing, expected a string' });
    expect(azureReport(azureDoc({ id: 'x' }), 'x')).toEqual({ id: 'x', state: 'error', errorCode: 'MalformedResponse', errorMessage: 'malformed answer: status is missing, expected a string' });
    expect(azureReport({ to: 'de' }, 'x')).toMatchObject({ state: 'error', errorCode: 'MalformedResponse' });
    expect(azureReport(null, 'x')).toMatchObject({ state: 'error', errorCode: 'MalformedResponse' });
  });
  // Every property the model marks required is required (it was: only id and status; sourcePath, to, progress and the
  // dates were checked only when present, and error/innerError needed no message).
  it.each(API_VERSIONS)('%s: a Succeeded document missing any property the model requires, or with it null, is MalformedResponse', (version) => {
    const schema = azureModel(version).document;
    for (const field of ['sourcePath', 'createdDateTimeUtc', 'lastActionDateTimeUtc', 'to', 'progress'] as const) {
      const expected = field === 'progress' ? 'a number' : 'a string';
      const { [field]: _, ...without } = azureDoc({ id: 'x', status: 'Succeeded' });
      expect(azureReport(without, 'x', schema)).toEqual({ id: 'x', state: 'error', errorCode: 'MalformedResponse', errorMessage: `malformed answer: ${field} is missing, expected ${expected}` });
      expect(azureReport(azureDoc({ id: 'x', status: 'Succeeded', [field]: null }), 'x', schema)).toEqual({ id: 'x', state: 'error', errorCode: 'MalformedResponse', errorMessage: `malformed answer: ${field} is null, expected ${expected}` });
    }
    const failed = (error: unknown) => azureReport(azureDoc({ id: 'x', status: 'Failed', error }), 'x', schema);
    expect(failed({ code: 'InvalidRequest' })).toMatchObject({ state: 'error', errorMessage: 'malformed answer: error.message is missing, expected a string' });
    expect(failed({ code: 'InvalidRequest', message: 'm', innerError: { code: 'C' } })).toMatchObject({ state: 'error', errorMessage: 'malformed answer: error.innerError.message is missing, expected a string' });
    expect(failed({ code: 'InvalidRequest', message: 'm', innerError: { code: 'C', message: 'n', innerError: { message: 'o' } } })).toMatchObject({
      state: 'error',
      errorMessage: 'malformed answer: error.innerError.innerError.code is missing, expected a string',
    });
    // Optional ones stay optional, null included; Azure.Core's innererror is no member of this model: dropped, not checked.
    expect(failed({ code: 'InvalidRequest', message: 'm', target: null, innerError: null, innererror: { code: 7 } })).toEqual({
      ...AZURE_DOC_REQUIRED,
      id: 'x',
      status: 'Failed',
      state: 'failed',
      error: { code: 'InvalidRequest', message: 'm', target: null, innerError: null },
    });
    expect(azureReport(azureDoc({ id: 'x', status: 'Succeeded', path: null, characterCharged: null }), 'x', schema)).toMatchObject({ state: 'succeeded' });
  });
  it.each(API_VERSIONS)('%s: a Succeeded batch missing any property the model requires is MalformedResponse, never a success', (version) => {
    const schema = azureModel(version).batch;
    for (const field of ['createdDateTimeUtc', 'lastActionDateTimeUtc'] as const) {
      const { [field]: _, ...without } = azureBatch({ id: 'b', status: 'Succeeded' });
      expect(azureReport(without, 'b', schema)).toEqual({ id: 'b', state: 'error', errorCode: 'MalformedResponse', errorMessage: `malformed answer: ${field} is missing, expected a string` });
    }
    expect(azureReport(azureBatch({ id: 'b', status: 'Succeeded' }), 'b', schema)).toMatchObject({ state: 'succeeded' });
  });
});

describe('translate-docs flags', () => {
  it('recognises loopback hosts only', () => {
    for (const h of ['localhost', '127.0.0.1', '127.8.9.10', '[::1]', '::1']) expect(isLoopback(h)).toBe(true);
    for (const h of ['10.0.0.1', '192.168.1.1', 'example.com', '127.0.0.1.example.com', 'localhost.evil']) expect(isLoopback(h)).toBe(false);
  });
  it('normalises statuses to the service names', () => {
    expect(parseStatuses('running, canceled,SUCCEEDED,Canceling,running')).toEqual(['Running', 'Cancelled', 'Succeeded', 'Cancelling']);
    expect(() => parseStatuses('Done')).toThrow(/unknown status 'Done'/);
    expect(() => parseStatuses(' , ')).toThrow(/no status/);
  });
  it('sends dates in UTC', () => {
    expect(parseInstant('2026-01-02', 'f')).toBe('2026-01-02T00:00:00.000Z');
    expect(parseInstant('2026-01-02T03:04:05+02:00', 'f')).toBe('2026-01-02T01:04:05.000Z');
    expect(() => parseInstant('02/01/2026', '--created-after')).toThrow(/--created-after/);
  });
  it('resolves every filter', () => {
    expect(
      resolveFilters({
        top: '5', skip: '0', maxPageSize: '100', status: 'failed', ids: 'a, b,a', createdAfter: '2026-01-01', orderBy: 'CreatedDateTimeUtc DESC',
      } as never),
    ).toEqual({ top: 5, skip: 0, maxPageSize: 100, statuses: ['Failed'], ids: ['a', 'b'], createdAfter: '2026-01-01T00:00:00.000Z', orderBy: 'createdDateTimeUtc desc' });
  });
});
