import { describe, expect, it } from 'vitest';
import { Logger } from '../../src/app/logger.js';
import type { RoundContext } from '../../src/core/poll.js';
import { azureReport, ListingSource, MAX_PAGES, type TranslatorClient } from '../../src/services/translator/source.js';
import type { DocumentReport } from '../../src/core/result.js';
import { azureDoc, fakeClock } from '../helpers.js';
import { azureModel } from '../../src/services/translator/model.js';

/** A client whose every page holds one new document and links to the next, for ever; counts its GETs. */
function endlessClient() {
  const client = {
    gets: 0,
    model: azureModel('v1.1'),
    paging: { top: '$top', skip: '$skip', maxpagesize: '$maxpagesize', orderby: '$orderBy' },
    url: () => new URL('https://translator.example/documents?page=0'),
    follow: (link: string) => new URL(link),
    get: async (url: URL) => {
      client.gets++;
      const n = Number(url.searchParams.get('page'));
      return { value: [azureDoc({ id: `d${n}`, status: 'Succeeded' })], '@nextLink': `https://translator.example/documents?page=${n + 1}` };
    },
  };
  return client;
}

function context(reports: DocumentReport[]): RoundContext {
  return {
    pending: [],
    startedAt: 0,
    clock: fakeClock(),
    scheduler: {} as RoundContext['scheduler'],
    signal: new AbortController().signal,
    report: (doc) => reports.push(doc),
    fail: () => {},
    fatal: () => {},
    isKnown: () => false,
  };
}

describe('ListingSource: one listing reads at most MAX_PAGES pages', () => {
  it('a list of new documents that never ends: PageLimit after 10,000 pages, nothing reported as read', async () => {
    const client = endlessClient();
    const log = new Logger({ write: () => true, isTTY: false });
    const source = new ListingSource(client as unknown as TranslatorClient, 'B', {}, log);
    const reports: DocumentReport[] = [];
    await source.round(context(reports));
    expect(client.gets).toBe(MAX_PAGES);
    expect(source.errors()).toEqual([{ code: 'PageLimit', message: 'the document list did not end after 10000 pages; listing stopped' }]);
    expect(source.needsAnotherRound()).toBe(false);
    expect(reports).toEqual([]);
  });
});

describe('ListingSource: one listing holds at most its limit (documents, ID characters)', () => {
  it.each([
    [{ documents: 50, idChars: 1_000_000 }, 51, 'more than 50 documents'],
    [{ documents: 1_000_000, idChars: 100 }, 37, 'more than 100 characters of document IDs'],
  ])('limit %j: ListingLimit after %i pages of one new document, nothing reported, not listed again', async (limit, gets, what) => {
    const client = endlessClient();
    const log = new Logger({ write: () => true, isTTY: false });
    const source = new ListingSource(client as unknown as TranslatorClient, 'B', {}, log, limit);
    const reports: DocumentReport[] = [];
    await source.round(context(reports));
    expect(client.gets).toBe(gets);
    expect(source.errors()).toEqual([{ code: 'ListingLimit', message: `the document list holds ${what}, the most one listing may hold; listing stopped` }]);
    expect(source.needsAnotherRound()).toBe(false);
    expect(reports).toEqual([]);
  });
});

describe('azureReport: service values are copied sanitised, to a bounded depth', () => {
  it('a value nested deeper than any field of the API is dropped, not kept unsanitised', () => {
    let deep: Record<string, unknown> = { code: 'C\u001b[31m', message: 'red\u202E' };
    for (let i = 0; i < 10; i++) deep = { code: 'C', message: 'm', innerError: deep };
    const doc = azureReport(azureDoc({ id: 'x', status: 'Failed', error: { code: 'X\u200B', message: '\u001b[1mm', innerError: deep } }), 'x');
    expect(doc).toMatchObject({ id: 'x', status: 'Failed', state: 'failed' });
    expect(JSON.stringify(doc.error)).toBe(`{"code":"X","message":"m","innerError":${'{"code":"C","message":"m","innerError":'.repeat(5)}{"code":"C","message":"m"}${'}'.repeat(6)}`);
  });

  it('a value of the wrong type where the model has a string is a malformed answer that names the field', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 10; i++) deep = { inner: deep };
    expect(azureReport(azureDoc({ id: 'x', status: 'Failed', to: deep }), 'x')).toEqual({ id: 'x', state: 'error', errorCode: 'MalformedResponse', errorMessage: 'malformed answer: to is an object, expected a string' });
  });
});
