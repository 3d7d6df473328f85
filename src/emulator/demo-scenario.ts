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

/** The translation batch the demo lists. */
export const DEMO_BATCH = '0b5e7c1a-de30-4000-8000-00000000ba7c';
const LANGS = ['fr', 'de', 'ja'];

const translationDoc = (i: number): Step[] => {
  const after = 300 + ((i * 211) % 3000);
  if (i === 11) return [{ status: 'NotStarted' }, { after, status: 'Failed', failureCode: 'InvalidRequest', failureReason: 'The document is password protected.' }];
  return [
    { status: 'NotStarted' },
    { after: after / 3, status: 'Running', progress: 0.3 },
    { after: (after * 2) / 3, status: 'Running', progress: 0.7 },
    { after, status: 'Succeeded', characterCharged: 800 + i * 37 },
  ];
};

/** The knowledge base and data source the demo asks about (10 letters and digits, as Bedrock IDs are). */
export const DEMO_KB = 'DEMOKB0001';
export const DEMO_DS = 'DEMODS0001';
/** The Bedrock documents: custom IDs of a custom data source. */
export const DEMO_KB_DOCS = Array.from({ length: 12 }, (_, i) => `faq/answer-${String(i + 1).padStart(2, '0')}.md`);

// The demo asks the knowledge base after Kendra and the translation batch (about eight seconds in).
const kbDoc = (i: number): Step[] => {
  const after = 8000 + ((i * 137) % 2500);
  const start: Step[] = [{ status: 'STARTING' }, { after: after - 800, status: 'IN_PROGRESS' }];
  if (i === 5) return [...start, { after, status: 'IGNORED', failureReason: 'The file type .md.bak is not supported.' }];
  return [...start, { after, status: 'INDEXED' }];
};

/** 25 Kendra documents that finish over about four seconds, two of them failing; a 30-document translation batch;
 * 12 documents of a knowledge base, one ignored. */
export function demoScenario(): Scenario {
  return {
    seed: 7,
    latency: 15,
    kendra: {
      indexes: {
        [DEMO_INDEX]: { documents: Object.fromEntries(DEMO_DOCS.map((id, i) => [id, kendraDoc(i + 1)])) },
      },
    },
    'bedrock-kb': {
      knowledgeBases: {
        [DEMO_KB]: { dataSources: { [DEMO_DS]: { documents: Object.fromEntries(DEMO_KB_DOCS.map((id, i) => [id, kbDoc(i + 1)])) } } },
      },
    },
    translator: {
      batches: {
        [DEMO_BATCH]: {
          // the demo lists this batch after the Kendra part (about four seconds)
          startAfter: '4s',
          documents: Object.fromEntries(
            Array.from({ length: 30 }, (_, i) => [
              `5c0f${String(i).padStart(4, '0')}-de30-4000-8000-0000000000${String(i).padStart(2, '0')}`,
              { sourcePath: `https://contoso.blob.core.windows.net/source/manual-${i + 1}.docx`, to: LANGS[i % 3], timeline: translationDoc(i + 1) },
            ]),
          ),
        },
      },
    },
  };
}
