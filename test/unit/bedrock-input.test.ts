import { describe, expect, it } from 'vitest';
import { checkIdentifier, checkKbId, dataSourceTypeOf, identifierProblem } from '../../src/services/bedrock-kb/input.js';
import { kbStatuses } from '../../src/services/bedrock-kb/states.js';

// kb-status's input rules, from the Bedrock Agent model (bedrock-notes.md): Id, CustomDocumentIdentifier.id, S3BucketUri.

describe('checkKbId: ^[0-9a-zA-Z]{10}$', () => {
  it('takes 10 letters and digits, and names the flag or variable otherwise', () => {
    expect(checkKbId('KB12345678', '--knowledge-base-id', 'BEDROCK_KNOWLEDGE_BASE_ID')).toBe('KB12345678');
    expect(checkKbId('0123456789', '--data-source-id', 'BEDROCK_DATA_SOURCE_ID')).toBe('0123456789');
    expect(() => checkKbId(undefined, '--knowledge-base-id', 'BEDROCK_KNOWLEDGE_BASE_ID')).toThrow('--knowledge-base-id is required (or set BEDROCK_KNOWLEDGE_BASE_ID)');
    expect(() => checkKbId('', '--data-source-id', 'BEDROCK_DATA_SOURCE_ID')).toThrow('--data-source-id is required (or set BEDROCK_DATA_SOURCE_ID)');
    for (const bad of ['KB1234567', 'KB123456789', 'KB-2345678', 'KB 2345678', 'KB1234567\n', 'ＫＢ12345678'.slice(0, 10)]) {
      expect(() => checkKbId(bad, '--knowledge-base-id', 'X'), JSON.stringify(bad)).toThrow(/is not a Bedrock ID/);
    }
  });
});

describe('dataSourceTypeOf', () => {
  it('S3 when every ID is an s3:// URI, CUSTOM when none is, bad input when they mix; the flag decides when given', () => {
    expect(dataSourceTypeOf(['s3://b/a', 's3://b/b'], undefined)).toBe('S3');
    expect(dataSourceTypeOf(['a', 'b'], undefined)).toBe('CUSTOM');
    expect(dataSourceTypeOf([], undefined)).toBe('CUSTOM');
    expect(() => dataSourceTypeOf(['a', 's3://b/a'], undefined)).toThrow(/mix s3:\/\/ URIs and custom IDs/);
    expect(dataSourceTypeOf(['a', 's3://b/a'], 'CUSTOM')).toBe('CUSTOM');
    expect(dataSourceTypeOf(['a'], 'S3')).toBe('S3');
  });
});

describe('identifierProblem / checkIdentifier: the model limits of each type', () => {
  it('S3: s3:// then 1 to 128 characters, counted in code points, with no line break', () => {
    expect(identifierProblem('s3://b/a.pdf', 'S3')).toBeUndefined();
    expect(identifierProblem(`s3://${'x'.repeat(128)}`, 'S3')).toBeUndefined();
    // 128 characters outside the BMP: 256 UTF-16 code units, but 128 code points, as Smithy counts them
    expect(identifierProblem(`s3://${'😀'.repeat(128)}`, 'S3')).toBeUndefined();
    for (const bad of ['s3://', `s3://${'x'.repeat(129)}`, `s3://${'😀'.repeat(129)}`, 'S3://b/a', 'https://b/a', 'b/a', 's3://b/a\nb', 's3://b/a\rb', 's3://b/a\u2028b']) {
      expect(identifierProblem(bad, 'S3'), JSON.stringify(bad)).toMatch(/is not an S3 document URI \(s3:\/\/, then 1 to 128 characters\)$/);
    }
  });

  it('CUSTOM: 1 to 2048 code points, any characters', () => {
    expect(identifierProblem('x'.repeat(2048), 'CUSTOM')).toBeUndefined();
    expect(identifierProblem('😀'.repeat(2048), 'CUSTOM')).toBeUndefined();
    expect(identifierProblem('s3://not/checked as a URI\nat all', 'CUSTOM')).toBeUndefined();
    expect(identifierProblem('x'.repeat(2049), 'CUSTOM')).toBe('document ID is more than 2048 characters');
    expect(identifierProblem('😀'.repeat(2049), 'CUSTOM')).toBe('document ID is more than 2048 characters');
    expect(identifierProblem('', 'CUSTOM')).toBe('empty document ID');
    expect(() => checkIdentifier('', 'CUSTOM', 'document ID #3')).toThrow('document ID #3: empty document ID');
    expect(checkIdentifier('a', 'CUSTOM', 'x')).toBe('a');
  });
});

describe('kbStatuses: the contract table (CONTRACT.md "States", Bedrock KB)', () => {
  const state = (table: ReturnType<typeof kbStatuses>, s: string) => table.get(s)?.state;
  const ALL = ['INDEXED', 'PARTIALLY_INDEXED', 'PENDING', 'FAILED', 'METADATA_PARTIALLY_INDEXED', 'METADATA_UPDATE_FAILED', 'IGNORED', 'NOT_FOUND', 'STARTING', 'IN_PROGRESS', 'DELETING', 'DELETE_IN_PROGRESS'];

  it('knows the twelve statuses of the model, and nothing else (constructor included)', () => {
    for (const t of [kbStatuses('indexed', false), kbStatuses('indexed', true), kbStatuses('deleted', false)]) {
      expect(t.statuses().sort()).toEqual([...ALL].sort());
      for (const name of ['constructor', '__proto__', 'toString', 'indexed', 'SOMETHING_NEW']) expect(t.get(name)).toBeUndefined();
    }
  });

  it('--until indexed, with and without --accept-partial; --until deleted', () => {
    const indexed = kbStatuses('indexed', false);
    const partial = kbStatuses('indexed', true);
    const deleted = kbStatuses('deleted', false);
    const expected: Record<string, [string, string, string]> = {
      INDEXED: ['succeeded', 'succeeded', 'pending'],
      PARTIALLY_INDEXED: ['failed', 'succeeded', 'pending'],
      METADATA_PARTIALLY_INDEXED: ['failed', 'succeeded', 'pending'],
      FAILED: ['failed', 'failed', 'pending'],
      METADATA_UPDATE_FAILED: ['failed', 'failed', 'pending'],
      IGNORED: ['failed', 'failed', 'pending'],
      STARTING: ['pending', 'pending', 'pending'],
      PENDING: ['pending', 'pending', 'pending'],
      IN_PROGRESS: ['pending', 'pending', 'pending'],
      NOT_FOUND: ['pending', 'pending', 'succeeded'],
      DELETING: ['pending', 'pending', 'pending'],
      DELETE_IN_PROGRESS: ['pending', 'pending', 'pending'],
    };
    for (const [s, [a, b, c]] of Object.entries(expected)) expect([state(indexed, s), state(partial, s), state(deleted, s)], s).toEqual([a, b, c]);
    // --accept-partial changes nothing for --until deleted
    expect(kbStatuses('deleted', true)).toBe(deleted);
  });
});
