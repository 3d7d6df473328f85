import type { Scenario, Step } from './scenario.js';

/** The index the demo asks about (36 characters, as Kendra index IDs are). */
export const DEMO_INDEX = 'd3m0d3m0-0000-4000-8000-000000000001';

const kendraDoc = (i: number): Step[] => {
  const after = 400 + ((i * 173) % 3600);
  if (i === 7) {
    return [{ status: 'PROCESSING' }, { after, status: 'FAILED', failureCode: '400', failureReason: 'The document exceeds the maximum size of 50 MB.' }];
  }
  if (i === 19) {
    return [{ status: 'PROCESSING' }, { after, status: 'UPDATE_FAILED', failureCode: '403', failureReason: 'Access to the S3 object was denied.' }];
  }
  if (i % 6 === 0) return [{ status: 'INDEXED' }, { after: 200, status: 'PROCESSING' }, { after, status: 'UPDATED' }];
  return [{ status: 'NOT_FOUND' }, { after: 300, status: 'PROCESSING' }, { after, status: 'INDEXED' }];
};

/** The demo's IDs, in the order the demo asks for them. */
export const DEMO_DOCS = Array.from({ length: 25 }, (_, i) => `handbook/chapter-${String(i + 1).padStart(2, '0')}.pdf`);

/** 25 Kendra documents that finish over about four seconds, two of them failing. */
export function demoScenario(): Scenario {
  return {
    seed: 7,
    latency: 15,
    kendra: {
      indexes: {
        [DEMO_INDEX]: { documents: Object.fromEntries(DEMO_DOCS.map((id, i) => [id, kendraDoc(i + 1)])) },
      },
    },
  };
}
