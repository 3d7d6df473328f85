import { describe, expect, it } from 'vitest';
import { checkId, codePoints, InputTooLarge, readStream } from '../../src/core/input.js';
import { awsNameKind } from '../../src/core/faults.js';

describe('document IDs are counted in characters, as the services count them', () => {
  it('1,500 emoji (3,000 UTF-16 units) are 1,500 characters: within the 2,048 limit', () => {
    const id = '😀'.repeat(1500);
    expect(codePoints(id)).toBe(1500);
    expect(checkId(id, 'document ID #1')).toBe(id);
  });

  it('2,049 emoji are over it, and the message counts characters', () => {
    expect(() => checkId('😀'.repeat(2049), 'document ID #1')).toThrow('document ID #1: document ID is 2049 characters (at most 2048)');
  });
});

describe('Bedrock ServiceQuotaExceededException (402)', () => {
  it('is throttling: resubmit later, not asked again only next round', () => {
    expect(awsNameKind('ServiceQuotaExceededException')).toBe('throttled');
  });
});

describe('readStream stops at its byte limit', () => {
  it('a stream that never ends is cut off once past the limit, and destroyed', async () => {
    let destroyed = false;
    let sent = 0;
    const endless = Object.assign(
      (async function* () {
        for (;;) {
          sent += 1024;
          yield Buffer.alloc(1024);
        }
      })(),
      { destroy: () => (destroyed = true) },
    );
    await expect(readStream(endless, undefined, undefined, 10_000)).rejects.toThrow(InputTooLarge);
    expect(sent).toBe(10 * 1024);
    expect(destroyed).toBe(true);
  });

  it('exactly the limit is read whole', async () => {
    const parts = (async function* () {
      yield Buffer.alloc(600);
      yield 'x'.repeat(400);
    })();
    expect((await readStream(parts, undefined, undefined, 1000)).length).toBe(1000);
  });
});
