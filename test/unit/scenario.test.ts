// The emulator's --scenario is checked in full when it is read (issue 15, section 4): every bad field named, exit 2,
// before the emulator starts; counts bounded so that none costs minutes and gigabytes first.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { demoScenario } from '../../src/emulator/demo-scenario.js';
import { parseScenario } from '../../src/emulator/scenario.js';
import { memoryIo, tempFile } from '../helpers.js';

const W = '--scenario s.json';
const bad = (scenario: unknown) => () => parseScenario(JSON.stringify(scenario), W);
const timeline = (step: Record<string, unknown>) => ({ kendra: { indexes: { IDX: { documents: { d: [{ status: 'PROCESSING' }, step] } } } } });

describe('parseScenario: every field checked, the bad one named', () => {
  it.each([
    ['after: "banana"', timeline({ after: 'banana', status: 'INDEXED' }), `kendra.indexes.IDX.documents.d[1].after: "banana" is not a duration (250ms, 5s, 2m, 1h, or a number of ms)`],
    ['latency: "-5s"', { latency: '-5s' }, `latency: "-5s" is not a duration (250ms, 5s, 2m, 1h, or a number of ms)`],
    ['latency: -5 (ms)', { latency: -5 }, `latency: -5 is not a duration from 0 to 24h`],
    ['latency over 24h', { latency: '25h' }, `latency: "25h" is not a duration from 0 to 24h`],
    ['generate.count: 1e9', { kendra: { indexes: { IDX: { generate: { count: 1e9, timeline: [] } } } } }, `kendra.indexes.IDX.generate.count: 1000000000 is not a whole number from 0 to 1,000,000`],
    ['generate.count: 1.5', { translator: { batches: { B: { generate: { count: 1.5, timeline: [] } } } } }, `translator.batches.B.generate.count: 1.5 is not a whole number from 0 to 1,000,000`],
    ['generate without timeline', { 'bedrock-kb': { knowledgeBases: { K: { dataSources: { D: { generate: { count: 3 } } } } } } }, `bedrock-kb.knowledgeBases.K.dataSources.D.generate.timeline: missing`],
    ['afterPolls: "2"', timeline({ afterPolls: '2' }), `kendra.indexes.IDX.documents.d[1].afterPolls: "2" is not a whole number from 0 to 1,000,000`],
    ['status: 5', timeline({ status: 5 }), `kendra.indexes.IDX.documents.d[1].status: 5 is not a string`],
    ['a misspelt step key', timeline({ statsu: 'INDEXED' }), `kendra.indexes.IDX.documents.d[1]: unknown key "statsu" (a step has after, afterPolls, status, failureCode, failureReason, errorCode, errorMessage, progress, characterCharged)`],
    ['a misspelt section key', { kendra: { indexes: { IDX: { documnets: {} } } } }, `kendra.indexes.IDX: unknown key "documnets" (it has documents, generate, processing, failing, deleting)`],
    ['a timeline that is an object', { kendra: { indexes: { IDX: { documents: { d: { status: 'INDEXED' } } } } } }, `kendra.indexes.IDX.documents.d: {"status":"INDEXED"} is not a list`],
    ['bedrock type', { 'bedrock-kb': { knowledgeBases: { K: { dataSources: { D: { type: 's3' } } } } } }, `bedrock-kb.knowledgeBases.K.dataSources.D.type: "s3" is not one of CUSTOM, S3`],
    ['progress 50', { translator: { batches: { B: { documents: { x: { timeline: [{ status: 'Running', progress: 50 }] } } } } } }, `translator.batches.B.documents.x.timeline[0].progress: 50 is not a number from 0 to 1`],
    ['a translator document without timeline', { translator: { batches: { B: { documents: { x: { to: 'fr' } } } } } }, `translator.batches.B.documents.x.timeline: missing`],
    ['fault ms "-1s"', { faults: [{ type: 'stall', ms: '-1s' }] }, `faults[0].ms: "-1s" is not a duration (250ms, 5s, 2m, 1h, or a number of ms)`],
    ['fault status 99', { faults: [{ type: 'error', status: 99 }] }, `faults[0].status: 99 is not a whole number from 100 to 599`],
    ['fault rate 2', { faults: [{ type: 'throttle', rate: 2 }] }, `faults[0].rate: 2 is not a number from 0 to 1`],
    ['fault requests [0]', { faults: [{ type: 'reset', requests: [0] }] }, `faults[0].requests[0]: 0 is not a whole number from 1 to 9,007,199,254,740,991`],
    ['fault without type', { faults: [{ first: 1 }] }, `faults[0].type: missing`],
    ['a misspelt fault type', { faults: [{ type: 'throtle' }] }, `faults[0].type: "throtle" is not one of throttle, error, reset, stall, garbage, truncate, omit, extra, latency, missing-fields, foreign-nextlink, page-loop, oversize`],
    ['a fault for no service', { faults: [{ type: 'error', service: 's3' }] }, `faults[0].service: "s3" is not one of kendra, translator, bedrock-kb`],
    ['a misspelt fault key', { faults: [{ type: 'throttle', rat: 0.5 }] }, `faults[0]: unknown key "rat" (a fault has service, type, requests, first, rate, retryAfter, status, ms)`],
    ['a misspelt section', { kendar: {} }, `unknown key "kendar" (a scenario has seed, latency, faults, rateLimit, kendra, translator, bedrock-kb)`],
    ['seed -1', { seed: -1 }, `seed: -1 is not a whole number from 0 to 4,294,967,295`],
    ['null', { latency: null }, `latency: null is not a duration (250ms, 5s, 2m, 1h, or a number of ms)`],
    ['a key with CR and ESC', { 'x\r\u001b[2J': 1 }, `unknown key "x\\r\\u001b[2J" (a scenario has seed, latency, faults, rateLimit, kendra, translator, bedrock-kb)`],
  ])('%s', (_, scenario, message) => {
    expect(bad(scenario)).toThrow(`${W}: ${message}`);
  });

  it('a huge generate.count fails at once, before anything is made', () => {
    const started = performance.now();
    expect(bad({ kendra: { indexes: { IDX: { generate: { count: 1e9, timeline: [{ status: 'INDEXED' }] } } } } })).toThrow('is not a whole number from 0 to 1,000,000');
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("accepts the README's example scenario and the demo's", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /### Scenario files[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(parseScenario(example, W)).toEqual(JSON.parse(example));
    expect(parseScenario(JSON.stringify(demoScenario()), W)).toEqual(JSON.parse(JSON.stringify(demoScenario())));
  });
});

describe('docstatus emulate --scenario', () => {
  it('a bad field is exit 2 and one line naming it, before listening (a latency of -5s was "cannot listen on ...")', async () => {
    const file = tempFile('s.json', JSON.stringify({ latency: '-5s' }));
    const { io, stdout, stderr } = memoryIo();
    const code = await main(['emulate', '--port', '0', '--scenario', file], io);
    expect({ code, stdout: stdout(), stderr: stderr() }).toEqual({
      code: 2,
      stdout: '',
      stderr: `docstatus: --scenario ${file}: latency: "-5s" is not a duration (250ms, 5s, 2m, 1h, or a number of ms)\n`,
    });
  });
});
