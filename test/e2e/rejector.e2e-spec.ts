import { Client } from 'pg';
import { seededRng } from '../../src/core/random/rng';
import { Database } from '../../src/database/database';
import { DecisionService } from '../../src/rejector/decision.service';
import { nativeScanner, scanCounts } from '../../src/rejector/flag-scan';
import { RuleSetEvents, type LiveSetChange } from '../../src/rule-sets/rule-set-events';
import { overconfidentCsv } from '../support/predictions-csv';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

// Policy V = 1, D = −1, W = −5 (the defaults): T* = (D − W)/(V − W) = 4/6.
const T_STAR = 4 / 6;

const rule = (id: string, sentence: string, action: object, conditions: object) => ({ id, sentence, action, conditions });
const concept = (name: string, value = true) => ({ fact: `concept:${name}`, operator: 'equal', value });

describe('rejector: decide, batch, shadow, decision log, evaluation, settings, detectors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const decide = (model: string, body: unknown) => t.request('POST', `/models/${model}/decide`, body);
  async function publish(model: string, rules: object[], state: 'activate' | 'shadow'): Promise<number> {
    const draft = await t.request('POST', `/models/${model}/rule-sets`, { source: 'expert', rules });
    expect(draft.status).toBe(201);
    const r = await t.request('POST', `/models/${model}/rule-sets/${draft.body.version}/${state}`);
    expect(r.status).toBe(200);
    return draft.body.version;
  }

  describe('one model through its life: no rules, rules, detectors, settings, calibrator, policy', () => {
    beforeAll(async () => {
      expect((await t.request('POST', '/models', { name: 'rj', classes: ['yes', 'no'] })).status).toBe(201);
      for (const c of [
        { name: 'dark', kind: 'text' },
        { name: 'night', kind: 'caller' },
        { name: 'young', kind: 'attribute', condition: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] } },
      ]) {
        expect((await t.request('POST', '/models/rj/concepts', c)).status).toBe(201);
      }
    });

    it('without an active rule set the cost threshold alone decides, and says so', async () => {
      const a = await decide('rj', { confidence: 0.9, predicted: 'yes' });
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({ decision: 'accept', reasonCode: 'accepted', ruleSetVersion: null, calibratorVersion: null, policyVersion: 1, matchedRules: [], unresolvedConcepts: [] });
      expect(a.body.threshold).toBeCloseTo(T_STAR, 12);
      expect(a.body.expectedValue.accept).toBeCloseTo(0.9 * 1 + 0.1 * -5, 12);
      expect(a.body.expectedValue.reject).toBe(-1);
      expect(a.body.reason).toMatch(/no active rule set/);
      expect(a.body.decisionId).toMatch(/^[0-9a-f-]{36}$/);
      const r = await decide('rj', { confidence: 0.6, predicted: 'no' });
      expect(r.body).toMatchObject({ decision: 'reject', reasonCode: 'below_threshold' });
      expect(r.body.reason).toMatch(/below the threshold T\* = 0\.667/);
    });

    it.each([
      ['missing confidence', { predicted: 'yes' }, 400, 'invalid_input', 'confidence'],
      ['confidence out of range', { confidence: 1.2, predicted: 'yes' }, 400, 'invalid_input', 'confidence'],
      ['unknown class', { confidence: 0.9, predicted: 'maybe' }, 422, 'unknown_class', 'predicted'],
      ['unknown class among probabilities', { confidence: 0.9, predicted: 'yes', probabilities: { yes: 0.9, maybe: 0.1 } }, 422, 'unknown_class', 'probabilities.maybe'],
      ['probabilities not summing to 1', { confidence: 0.9, predicted: 'yes', probabilities: { yes: 0.9, no: 0.2 } }, 400, 'invalid_input', 'probabilities'],
      ['a concept flag that is not a boolean', { confidence: 0.9, predicted: 'yes', concepts: { dark: 'yes' } }, 400, 'invalid_input', 'concepts.dark'],
      ['attributes not an object', { confidence: 0.9, predicted: 'yes', attributes: [1] }, 400, 'invalid_input', 'attributes'],
      ['an unknown field', { confidence: 0.9, predicted: 'yes', confidance: 0.8 }, 400, 'invalid_input', 'confidance'],
      ['an empty item id', { confidence: 0.9, predicted: 'yes', itemId: '' }, 400, 'invalid_input', 'itemId'],
      ['an item id the log cannot store (NUL)', { confidence: 0.9, predicted: 'yes', itemId: 'a\u0000b' }, 400, 'invalid_input', 'itemId'],
      ['an item id the log cannot store (a lone surrogate)', { confidence: 0.9, predicted: 'yes', itemId: 'a\ud800' }, 400, 'invalid_input', 'itemId'],
    ])('%s', async (_name, body, status, code, field) => {
      const r = await decide('rj', body);
      expect(r.status).toBe(status);
      expect(r.body.error).toMatchObject({ code, details: { field } });
    });

    it('404 for an unknown model; 400 for a body that is not JSON', async () => {
      expect((await decide('nope', { confidence: 0.9, predicted: 'yes' })).body.error.code).toBe('not_found');
      const r = await t.request('POST', '/models/rj/decide', '{"confidence":', { 'content-type': 'application/json' });
      expect(r.status).toBe(400);
    });

    it('parses decide bodies with JSON.parse alone, yet refuses __proto__ and constructor keys naming them; a BOM is read, an empty body refused', async () => {
      const json = { 'content-type': 'application/json' };
      const post = (path: string, body: string) => t.request('POST', `/models/rj/${path}`, body, json);
      const poisoned = await post('decide', '{"confidence":0.9,"predicted":"yes","attributes":{"a":{"__proto__":{"polluted":true}}}}');
      expect([poisoned.status, poisoned.body.error.code, poisoned.body.error.details.field]).toEqual([400, 'invalid_input', 'attributes.a.__proto__']);
      const inBatch = await post('decide/batch', '{"items":[{"confidence":0.9,"predicted":"yes"},{"confidence":0.9,"predicted":"yes","concepts":{"__proto__":true}}]}');
      expect([inBatch.status, inBatch.body.error.details.field]).toEqual([400, 'items[1].concepts.__proto__']);
      const ctor = await post('decide', '{"confidence":0.9,"predicted":"yes","attributes":{"constructor":{"prototype":{}}}}');
      expect([ctor.status, ctor.body.error.details.field]).toEqual([400, 'attributes.constructor']);
      const bom = await post('decide', '\ufeff{"confidence":0.9,"predicted":"yes","attributes":{"note":"très"}}');
      expect([bom.status, bom.body.decision]).toEqual([200, expect.stringMatching(/accept|reject/)]);
      const empty = await post('decide', '');
      expect([empty.status, empty.body.error.code]).toEqual([400, 'malformed_body']);
      const malformed = await post('decide/batch', '{"items":[');
      expect([malformed.status, malformed.body.error.code]).toEqual([400, 'malformed_body']);
    });

    it('reloads without restart when a rule set is activated, then applies reject and threshold rules with reasons', async () => {
      const v = await publish(
        'rj',
        [
          rule('dark-photo', 'Dark photos are misread', { type: 'reject' }, { all: [concept('dark')] }),
          rule('young-raise', 'Young people need a confident model', { type: 'threshold', threshold: 0.95 }, { all: [concept('young')] }),
          rule('night-reject', 'Night shots are misread', { type: 'reject' }, { all: [concept('night')] }),
        ],
        'activate',
      );
      const state = await t.request('GET', '/models/rj/rejector');
      expect(state.body).toMatchObject({ ruleSetVersion: v, rules: 3, failure: null, attributeConcepts: ['young'], refreshMs: t.config.rejectorRefreshMs });

      const rejected = await decide('rj', { confidence: 0.99, predicted: 'yes', concepts: { dark: true, night: false }, attributes: { age: 40 } });
      expect(rejected.body).toMatchObject({
        decision: 'reject',
        reasonCode: 'rule_rejected',
        ruleSetVersion: v,
        matchedRules: [{ id: 'dark-photo', sentence: 'Dark photos are misread', action: { type: 'reject' } }],
        unresolvedConcepts: [],
      });
      expect(rejected.body.reason).toBe("rejected by rule 'dark-photo': Dark photos are misread");

      // young is an attribute concept (age < 25): resolved from the attributes, it raises the threshold to 0.95.
      const young = { predicted: 'yes', concepts: { dark: false, night: false }, attributes: { age: 20 } };
      const raised = await decide('rj', { ...young, confidence: 0.9 });
      expect(raised.body).toMatchObject({ decision: 'reject', reasonCode: 'below_threshold', threshold: 0.95, matchedRules: [{ id: 'young-raise', action: { type: 'threshold', threshold: 0.95 } }] });
      expect(raised.body.reason).toMatch(/threshold 0\.95 set by rule 'young-raise'/);
      expect((await decide('rj', { ...young, confidence: 0.97 })).body).toMatchObject({ decision: 'accept', threshold: 0.95 });
      const older = await decide('rj', { ...young, attributes: { age: 30 }, confidence: 0.9 });
      expect(older.body).toMatchObject({ decision: 'accept', matchedRules: [] });
      expect(older.body.threshold).toBeCloseTo(T_STAR, 12);
    });

    it('reports unresolved concepts, and rejects on them when the model says so', async () => {
      const ignored = await decide('rj', { confidence: 0.9, predicted: 'yes' });
      expect(ignored.body).toMatchObject({ decision: 'accept', unresolvedConcepts: ['dark', 'young', 'night'] });

      const put = await t.request('PUT', '/models/rj/rejector-settings', { unresolvedConcepts: 'reject' });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ model: 'rj', failMode: 'closed', unresolvedConcepts: 'reject' });
      const rejected = await decide('rj', { confidence: 0.9, predicted: 'yes', concepts: { dark: false }, attributes: { age: 50 } });
      expect(rejected.body).toMatchObject({ decision: 'reject', reasonCode: 'unresolved_concepts', unresolvedConcepts: ['night'] });
      expect(rejected.body.reason).toBe("rejected: concept 'night' could not be resolved");
      expect((await t.request('PUT', '/models/rj/rejector-settings', { unresolvedConcepts: 'ignore' })).body.unresolvedConcepts).toBe('ignore');
      expect((await t.request('GET', '/models/rj/rejector-settings')).body).toMatchObject({ failMode: 'closed', unresolvedConcepts: 'ignore' });
      const bad = await t.request('PUT', '/models/rj/rejector-settings', { failMode: 'ajar' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toBe('failMode');
    });

    it('resolves a text concept with a stored keyword lexicon, and trains a classifier with held-out precision and recall', async () => {
      expect((await decide('rj', { confidence: 0.99, predicted: 'yes', text: 'a dark room', concepts: { night: false }, attributes: { age: 40 } })).body.unresolvedConcepts).toEqual(['dark']);
      const lex = await t.request('POST', '/models/rj/detectors', { concept: 'dark', kind: 'lexicon', keywords: ['dark', 'low light'] });
      expect(lex.status).toBe(201);
      expect(lex.body).toMatchObject({ concept: 'dark', version: 1, kind: 'lexicon', keywords: ['dark', 'low light'], evaluation: null });
      const a = await decide('rj', { confidence: 0.99, predicted: 'yes', text: 'Shot in LOW lighting', concepts: { night: false }, attributes: { age: 40 } });
      expect(a.body).toMatchObject({ decision: 'reject', reasonCode: 'rule_rejected', matchedRules: [{ id: 'dark-photo' }], unresolvedConcepts: [] });
      const b = await decide('rj', { confidence: 0.99, predicted: 'yes', text: 'a sunny beach', concepts: { night: false }, attributes: { age: 40 } });
      expect(b.body).toMatchObject({ decision: 'accept', unresolvedConcepts: [] });

      const rng = seededRng(3);
      const words = (xs: string[]) => xs[rng.int(xs.length)];
      const examples = Array.from({ length: 40 }, (_, i) => {
        const present = i % 2 === 0;
        return { text: `a ${words(present ? ['gloomy', 'murky', 'dim'] : ['sunny', 'vivid', 'bright'])} picture of a ${words(['cat', 'street', 'car'])}`, present };
      });
      const clf = await t.request('POST', '/models/rj/detectors', { concept: 'dark', kind: 'classifier', algorithm: 'bayes', examples });
      expect(clf.status).toBe(201);
      expect(clf.body).toMatchObject({ concept: 'dark', version: 2, kind: 'classifier', algorithm: 'bayes', evaluation: { testSize: 10, precision: 1, recall: 1 } });
      const list = await t.request('GET', '/models/rj/detectors');
      expect(list.body.map((d: { version: number; serving: boolean }) => [d.version, d.serving])).toEqual([
        [2, true],
        [1, false],
      ]);
      // The newest detector serves: the classifier knows "murky", the lexicon did not.
      const murky = await decide('rj', { confidence: 0.99, predicted: 'yes', text: 'a murky street', concepts: { night: false }, attributes: { age: 40 } });
      expect(murky.body.decision).toBe('reject');
      const bad = await t.request('POST', '/models/rj/detectors', { concept: 'dark', kind: 'classifier', examples: [{ text: 'a', present: true }] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toBe('examples');
      const one = await t.request('POST', '/models/rj/detectors', { concept: 'x', kind: 'classifier', examples: [1, 2, 3, 4].map((i) => ({ text: `t${i}`, present: i === 1 })) });
      expect(one.status).toBe(422);
    });

    it('applies the active calibrator and names its version', async () => {
      expect((await t.request('POST', '/models/rj/predictions/import', overconfidentCsv(5, 400), { 'content-type': 'text/csv' })).body.rows).toBe(400);
      const fit = await t.request('POST', '/models/rj/calibrators', { method: 'platt' });
      expect(fit.status).toBe(201);
      expect((await t.request('POST', `/models/rj/calibrators/${fit.body.version}/activate`)).body.active).toBe(true);
      const body = { confidence: 0.9, predicted: 'yes', concepts: { dark: false, night: false }, attributes: { age: 40 } };
      const a = await decide('rj', body);
      expect(a.body.calibratorVersion).toBe(fit.body.version);
      // Over-confident scores (accuracy c²): Platt scaling lowers 0.9.
      expect(a.body.calibratedConfidence).toBeLessThan(0.9);
      expect(a.body.confidence).toBe(0.9);
      expect((await t.request('DELETE', '/models/rj/calibrators/active')).status).toBe(200);
      expect((await decide('rj', body)).body).toMatchObject({ calibratorVersion: null, calibratedConfidence: 0.9 });
    });

    it('decides by a new cost policy from the next decision on', async () => {
      expect((await t.request('PUT', '/models/rj/cost-policy', { V: 1, D: 0, W: -1 })).status).toBe(200);
      const a = await decide('rj', { confidence: 0.55, predicted: 'yes', concepts: { dark: false, night: false }, attributes: { age: 40 } });
      expect(a.body).toMatchObject({ decision: 'accept', policyVersion: 2, threshold: 0.5 });
    });

    it("decides by an attribute concept's new condition, or without the concept once retired, from the next decision on", async () => {
      const young = (await t.request('GET', '/models/rj/concepts?kind=attribute')).body.find((c: { name: string }) => c.name === 'young');
      const body = { confidence: 0.9, predicted: 'yes', concepts: { dark: false, night: false }, attributes: { age: 40 } };
      expect((await decide('rj', body)).body.matchedRules).toEqual([]); // loaded: 40 is not young (< 25)
      const patched = await t.request('PATCH', `/models/rj/concepts/${young.id}`, { condition: { all: [{ fact: 'age', operator: 'lessThan', value: 50 }] } });
      expect(patched.status).toBe(200);
      expect((await decide('rj', body)).body.matchedRules.map((r: { id: string }) => r.id)).toEqual(['young-raise']); // 40 < 50
      expect((await t.request('POST', `/models/rj/concepts/${young.id}/retire`)).status).toBe(200);
      expect((await decide('rj', body)).body).toMatchObject({ matchedRules: [], unresolvedConcepts: ['young'] });
      expect((await t.request('POST', `/models/rj/concepts/${young.id}/accept`)).status).toBe(200);
      expect((await t.request('PATCH', `/models/rj/concepts/${young.id}`, { condition: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] } })).status).toBe(200);
      expect((await decide('rj', body)).body).toMatchObject({ matchedRules: [], unresolvedConcepts: [] });
    });

    it('decides a batch in order, and refuses a bad item or too many items naming the field', async () => {
      const items = [0.9, 0.3, 0.7].map((confidence, i) => ({ confidence, predicted: 'yes', itemId: `b${i}`, concepts: { dark: false, night: false }, attributes: { age: 40 } }));
      const r = await t.request('POST', '/models/rj/decide/batch', { items });
      expect(r.status).toBe(200);
      expect(r.body.count).toBe(3);
      expect(r.body.decisions.map((d: { decision: string }) => d.decision)).toEqual(['accept', 'reject', 'accept']);
      expect(new Set(r.body.decisions.map((d: { decisionId: string }) => d.decisionId)).size).toBe(3);

      const bad = await t.request('POST', '/models/rj/decide/batch', { items: [items[0], { ...items[1], confidence: 'high' }] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toBe('items[1].confidence');
      const unknown = await t.request('POST', '/models/rj/decide/batch', { items: [{ ...items[0], predicted: 'maybe' }] });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.details.field).toBe('items[0].predicted');
      const many = await t.request('POST', '/models/rj/decide/batch', { items: Array.from({ length: 10_001 }, () => items[0]) });
      expect(many.status).toBe(413);
      expect(many.body.error.details.field).toBe('items');
      for (const body of [{}, { items: [] }, { items: 'x' }]) {
        const e = await t.request('POST', '/models/rj/decide/batch', body);
        expect(e.status).toBe(400);
        expect(e.body.error.details.field).toBe('items');
      }
    });

    it('reads concept flags from the body’s bytes where it can, and answers exactly as JSON.parse would where it cannot', async () => {
      const state = await t.request('GET', '/models/rj/rejector');
      // The rules read dark, young and night; young is an attribute concept, flagged here too.
      expect([...state.body.nativeFlags].sort()).toEqual(nativeScanner.scanner === null ? [] : ['dark', 'night', 'young']);
      const items = [
        '{"confidence":0.99,"predicted":"yes","concepts":{"dark":true,"night":false}}',
        '{"confidence":0.99,"predicted":"yes","concepts": { "night" :false ,\n "dark":false, "unknown": true } ,"attributes":{"age":40}}',
        '{"confidence":0.9,"predicted":"yes","concepts":{"dark":false,"dark":true,"night":false},"attributes":{"age":20}}',
        '{"confidence":0.9,"predicted":"yes","concepts":{},"attributes":{"age":20}}',
        '{"confidence":0.9,"predicted":"yes","concepts":null,"attributes":{"age":40,"concepts":{"night":true}}}',
        '{"concepts":{"night":false,"young":true},"confidence":0.2,"predicted":"no"}',
      ];
      // The same items, once as the scanner reads them, once with an escaped key (\u0064 is d) that makes it give up.
      const native = nativeScanner.scanner !== null;
      const before = { ...scanCounts };
      const read = await t.request('POST', '/models/rj/decide/batch', `{"items":[${items.join(',')}]}`, { 'content-type': 'application/json' });
      expect([scanCounts.tried - before.tried, scanCounts.read - before.read]).toEqual(native ? [1, 1] : [0, 0]);
      const escaped = items.map((x) => x.replace('{"dark":', '{"\\u0064ark":'));
      const parsed = await t.request('POST', '/models/rj/decide/batch', `{"items":[${escaped.join(',')}]}`, { 'content-type': 'application/json' });
      expect([scanCounts.tried - before.tried, scanCounts.read - before.read]).toEqual(native ? [2, 1] : [0, 0]);
      expect(read.status).toBe(200);
      const strip = (ds: Array<Record<string, unknown>>) => ds.map(({ decisionId: _id, ...d }) => d);
      expect(strip(read.body.decisions)).toEqual(strip(parsed.body.decisions));
      expect(read.body.decisions.map((d: { decision: string; matchedRules: Array<{ id: string }> }) => [d.decision, d.matchedRules.map((m) => m.id)])).toEqual([
        ['reject', ['dark-photo']],
        ['accept', []],
        ['reject', ['dark-photo', 'young-raise']],
        ['reject', ['young-raise']],
        ['accept', []],
        ['reject', ['young-raise']],
      ]);
      // A flags field given twice: the scanner gives up, and JSON.parse keeps the last.
      const twice = await t.request('POST', '/models/rj/decide/batch', '{"items":[{"concepts":{"night":true},"confidence":0.2,"predicted":"no","concepts":{"night":false,"young":true}}]}', { 'content-type': 'application/json' });
      expect([scanCounts.tried - before.tried, scanCounts.read - before.read]).toEqual(native ? [3, 1] : [0, 0]);
      expect(twice.body.decisions[0]).toMatchObject({ decision: 'reject', matchedRules: [expect.objectContaining({ id: 'young-raise' })] });
      // What the scanner gives up on is refused as before, naming the field.
      const post = (path: string, body: string) => t.request('POST', `/models/rj/${path}`, body, { 'content-type': 'application/json' });
      for (const [path, body, field] of [
        ['decide', '{"confidence":0.9,"predicted":"yes","concepts":0}', 'concepts'],
        ['decide/batch', '{"items":[{"confidence":0.9,"predicted":"yes","concepts":{"dark":true}},{"confidence":0.9,"predicted":"yes","concepts":1}]}', 'items[1].concepts'],
        ['decide/batch', '{"items":[{"confidence":0.9,"predicted":"yes","concepts":{"dark":true,"__proto__":true}}]}', 'items[0].concepts.__proto__'],
        ['decide', '{"confidence":0.9,"predicted":"yes","concepts":{"dark":"true"}}', 'concepts.dark'],
        ['decide', '{"confidence":0.9,"predicted":"yes","concepts":{"dark":true},"conc\\u0065pts":0}', 'concepts'],
      ]) {
        const r = await post(path, body);
        expect([r.status, r.body.error?.details?.field]).toEqual([400, field]);
      }
      for (const body of ['{"confidence":0.9,"predicted":"yes","concepts":{"dark":tru}}', '{"confidence":0.9,"predicted":"yes","concepts":{"dark":false}.5}']) {
        expect((await post('decide', body)).body.error.code).toBe('malformed_body');
      }
      const runOn = `{"items":[{"confidence":0.9,"predicted":"yes","concepts":{"dark":true}},{"confidence":0.9,"predicted":"yes","concepts":{"dark":false}0}]}`;
      expect((await post('decide/batch', runOn)).body.error.code).toBe('malformed_body');
    });

    it('answers batch after batch whole while their buffers are reused: a big one, then smaller ones', async () => {
      const item = (i: number) => ({ confidence: i % 2 ? 0.9 : 0.3, predicted: 'yes', itemId: `reuse-${i}`, concepts: { dark: false, night: false } });
      for (const n of [400, 150, 150, 7]) {
        const r = await t.request('POST', '/models/rj/decide/batch', { items: Array.from({ length: n }, (_, i) => item(i)) });
        expect(r.status).toBe(200);
        expect(r.body.count).toBe(n);
        expect(r.body.decisions).toHaveLength(n);
        expect(r.body.decisions.map((d: { decision: string }) => d.decision)).toEqual(Array.from({ length: n }, (_, i) => (i % 2 ? 'accept' : 'reject')));
      }
      // The later, smaller answers were written into the first one's buffer: each is exactly its own bytes.
      expect(t.app.get(DecisionService).answerBuffers.take(150 * 640)).toBeDefined();
    });

    it('logs a batch of 1,200 decisions whole, with tabs, quotes and backslashes in item ids (several COPYs on the embedded database)', async () => {
      const odd = ['tab\there', 'quote"and\\backslash', 'new\nline', 'ünï'];
      const items = Array.from({ length: 1_200 }, (_, i) => ({ confidence: 0.9, predicted: 'yes', itemId: `many-${i}-${odd[i % 4]}`, concepts: { dark: false, night: false } }));
      const r = await t.request('POST', '/models/rj/decide/batch', { items });
      expect(r.status).toBe(200);
      await t.request('GET', '/models/rj/decisions/summary'); // flushes the log
      const db = t.app.get(Database);
      const rows: Array<{ item_id: string; id: string }> = await db.dataSource.query(`SELECT id, item_id FROM decisions WHERE item_id LIKE 'many-%'`);
      expect(rows).toHaveLength(1_200);
      const byItem = new Map(rows.map((row) => [row.item_id, row.id]));
      items.forEach((item, i) => expect(byItem.get(item.itemId)).toBe(r.body.decisions[i].decisionId));
    });

    it('logs every decision: by item, by id, and the writer counters', async () => {
      const a = await decide('rj', { confidence: 0.8, predicted: 'no', itemId: 'log-1', concepts: { dark: false, night: false }, attributes: { age: 40 } });
      const byItem = await t.request('GET', '/models/rj/decisions?itemId=log-1');
      expect(byItem.status).toBe(200);
      expect(byItem.body).toHaveLength(1);
      expect(byItem.body[0]).toMatchObject({ id: a.body.decisionId, itemId: 'log-1', predicted: 'no', confidence: 0.8, decision: 'accept', ruleSetVersion: 1, policyVersion: 2, matchedRules: [] });
      const one = await t.request('GET', `/models/rj/decisions/${a.body.decisionId}`);
      expect(one.body).toMatchObject({ id: a.body.decisionId, reasonCode: 'accepted', threshold: 0.5 });
      expect((await t.request('GET', '/models/rj/decisions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await t.request('GET', '/models/rj/decisions/not-a-uuid')).status).toBe(400);
      expect((await t.request('GET', '/models/rj/decisions')).body.error.details.field).toBe('itemId');
      const stats = await t.request('GET', '/models/rj/decisions/stats');
      expect(stats.body.log).toMatchObject({ dropped: 0, failedWrites: 0 });
      expect(stats.body.log.written).toBeGreaterThan(10);
    });
  });

  describe('fail closed on an internal failure, fail open when configured', () => {
    beforeAll(async () => {
      expect((await t.request('POST', '/models', { name: 'broken', classes: ['yes', 'no'] })).status).toBe(201);
      const db = t.app.get(Database);
      const [{ id }] = await db.dataSource.query(`SELECT id FROM models WHERE name = 'broken'`);
      // A stored set that no longer compiles (an operator json-rules-engine 7 does not ship): it must not take decisions down silently.
      const rules = [rule('bad', 'Bad rule', { type: 'reject' }, { all: [{ fact: 'age', operator: 'regex', value: '^1' }] })];
      await db.dataSource.query(`INSERT INTO rule_sets (model_id, version, source, state, rules, published_at) VALUES ($1, 1, 'expert', 'active', $2, now())`, [id, JSON.stringify(rules)]);
    });

    it('rejects, stating why, and reports the failure', async () => {
      const r = await decide('broken', { confidence: 0.99, predicted: 'yes', itemId: 'f1' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ decision: 'reject', reasonCode: 'internal_failure', threshold: null, matchedRules: [] });
      expect(r.body.reason).toMatch(/^rejected \(fail closed\): rule set version 1 cannot be compiled: .*operator/);
      expect((await t.request('GET', '/models/broken/rejector')).body.failure).toMatch(/cannot be compiled/);
      const reload = await t.request('POST', '/models/broken/rejector/reload');
      expect(reload.status).toBe(200);
      expect(reload.body).toMatchObject({ model: 'broken', ruleSetVersion: null, failure: expect.stringMatching(/rule set version 1 cannot be compiled/) });
      // Input errors are still the caller's, not hidden behind the fail mode.
      expect((await decide('broken', { confidence: 0.99, predicted: 'maybe' })).status).toBe(422);
    });

    it('accepts when the model fails open', async () => {
      await t.request('PUT', '/models/broken/rejector-settings', { failMode: 'open' });
      const r = await decide('broken', { confidence: 0.2, predicted: 'yes' });
      expect(r.body).toMatchObject({ decision: 'accept', reasonCode: 'internal_failure' });
      expect(r.body.reason).toMatch(/^accepted \(fail open\)/);
      const batch = await t.request('POST', '/models/broken/decide/batch', { items: [{ confidence: 0.2, predicted: 'no' }] });
      expect(batch.body.decisions[0]).toMatchObject({ decision: 'accept', reasonCode: 'internal_failure' });
    });
  });

  describe('shadow set and the realized value of logged decisions once labels arrive', () => {
    beforeAll(async () => {
      expect((await t.request('POST', '/models', { name: 'sum', classes: ['yes', 'no'] })).status).toBe(201);
      const predictions = [
        { externalId: 'i1', predicted: 'yes', confidence: 0.9 },
        { externalId: 'i2', predicted: 'yes', confidence: 0.8 },
        { externalId: 'i3', predicted: 'yes', confidence: 0.97 },
        { externalId: 'i4', predicted: 'yes', confidence: 0.99 },
      ];
      expect((await t.request('POST', '/models/sum/predictions/batch', { predictions })).status).toBe(200);
      await publish('sum', [rule('north', 'Northern items are misread', { type: 'reject' }, { all: [{ fact: 'region', operator: 'equal', value: 'north' }] })], 'activate');
      await publish('sum', [rule('unsure', 'Below 0.95 the model is unsure', { type: 'reject' }, { all: [{ fact: 'confidence', operator: 'lessThan', value: 0.95 }] })], 'shadow');
    });

    it('applies the active set only, logs the shadow decision beside it, and scores both once labelled', async () => {
      const items = [
        { itemId: 'i1', confidence: 0.9, predicted: 'yes', attributes: { region: 'south' } }, // active accept (right: +1); shadow reject (−1)
        { itemId: 'i2', confidence: 0.8, predicted: 'yes', attributes: { region: 'south' } }, // active accept (wrong: −5); shadow reject (−1)
        { itemId: 'i3', confidence: 0.97, predicted: 'yes', attributes: { region: 'north' } }, // active reject (−1); shadow accept (right: +1)
        { itemId: 'i4', confidence: 0.99, predicted: 'yes', attributes: { region: 'south' } }, // both accept; never labelled
        { confidence: 0.5, predicted: 'yes', attributes: { region: 'south' } }, // both reject; no item id
      ];
      const r = await t.request('POST', '/models/sum/decide/batch', { items });
      expect(r.body.decisions.map((d: { decision: string; ruleSetVersion: number }) => [d.decision, d.ruleSetVersion])).toEqual([
        ['accept', 1],
        ['accept', 1],
        ['reject', 1],
        ['accept', 1],
        ['reject', 1],
      ]);
      const logged = await t.request('GET', '/models/sum/decisions?itemId=i1');
      expect(logged.body[0]).toMatchObject({ shadowVersion: 2, shadowDecision: 'reject', shadowMatchedRules: ['unsure'], decision: 'accept', matchedRules: [] });

      const before = await t.request('GET', '/models/sum/decisions/summary');
      expect(before.body).toMatchObject({ decisions: 5, labelled: 0 });

      const labels = await t.request('POST', '/models/sum/labels', { labels: [ { externalId: 'i1', label: 'yes' }, { externalId: 'i2', label: 'no' }, { externalId: 'i3', label: 'yes' } ] });
      expect(labels.status).toBe(200);
      const s = await t.request('GET', '/models/sum/decisions/summary');
      expect(s.status).toBe(200);
      expect(s.body).toMatchObject({ model: 'sum', policyVersion: 1, decisions: 5, labelled: 3, unflushed: [] });
      expect(s.body.byRuleSetVersion).toHaveLength(1);
      const v1 = s.body.byRuleSetVersion[0];
      expect(v1).toMatchObject({ ruleSetVersion: 1, decisions: 5, accepted: 3, coverage: 0.6, labelled: { n: 3, accepted: 2, totalValue: -5, selectiveRisk: 0.5 } });
      expect(v1.labelled.realizedValue).toBeCloseTo(-5 / 3, 12);
      expect(s.body.shadow).toHaveLength(1);
      const sh = s.body.shadow[0];
      expect(sh).toMatchObject({ shadowVersion: 2, ruleSetVersion: 1, decisions: 5, agreement: 0.4, applied: { n: 3, totalValue: -5 }, shadow: { n: 3, accepted: 1, totalValue: -1, selectiveRisk: 0 } });
      expect(sh.shadow.realizedValue).toBeGreaterThan(sh.applied.realizedValue);
    });
  });

  describe('evaluate a rule set before activating it: T*, Tv, rules + threshold, oracle', () => {
    beforeAll(async () => {
      expect((await t.request('POST', '/models', { name: 'ev', classes: ['yes', 'no'] })).status).toBe(201);
      // Two groups: in "east" the model is right with probability c (calibrated); in "west" only half the time at any confidence.
      const rng = seededRng(17);
      const lines: string[] = [];
      for (let i = 0; i < 2000; i++) {
        const west = rng.next() < 0.3;
        const c = 0.6 + 0.4 * rng.next();
        const right = rng.next() < (west ? 0.5 : c);
        const attributes = { region: west ? 'west' : 'east', age: 20 + rng.int(50) };
        lines.push(JSON.stringify({ externalId: `e${i}`, predicted: 'yes', confidence: c, label: right ? 'yes' : 'no', split: i % 2 ? 'validation' : 'test', attributes }));
      }
      const imp = await t.request('POST', '/models/ev/predictions/import', lines.join('\n') + '\n', { 'content-type': 'application/x-ndjson' });
      expect(imp.body.rows).toBe(2000);
      const draft = await t.request('POST', '/models/ev/rule-sets', {
        source: 'expert',
        rules: [rule('west', 'The model guesses in the west', { type: 'reject' }, { all: [{ fact: 'region', operator: 'equal', value: 'west' }] })],
      });
      expect(draft.body).toMatchObject({ version: 1, state: 'draft' });
    });

    it('returns the four strategies side by side; the oracle is the ceiling and the rule pays', async () => {
      const r = await t.request('GET', '/models/ev/rule-sets/1/evaluate?split=test');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ model: 'ev', ruleSetVersion: 1, state: 'draft', split: 'test', n: 1000, calibratorVersion: null, tv: { fitSplit: 'validation', n: 1000 } });
      expect(r.body.tStar).toBeCloseTo(T_STAR, 12);
      const { tStar, tv, rules, oracle } = r.body.strategies;
      for (const s of [tStar, tv, rules, oracle]) {
        expect(s.n).toBe(1000);
        expect(s.coverage).toBeGreaterThanOrEqual(0);
        expect(s.coverage).toBeLessThanOrEqual(1);
        expect(oracle.realizedValue).toBeGreaterThanOrEqual(s.realizedValue);
      }
      expect(oracle.selectiveRisk).toBe(0);
      // Rejecting the west (value ≈ 0.5·1 + 0.5·(−5) = −2 per accepted item, against D = −1) must pay.
      expect(rules.realizedValue).toBeGreaterThan(tStar.realizedValue);
      expect(rules.coverage).toBeLessThan(tStar.coverage);
      expect(r.body.facts.itemsMatched).toBeGreaterThan(200);
    });

    it.each([
      ['/models/ev/rule-sets/9/evaluate', 404, 'not_found'],
      ['/models/ev/rule-sets/x/evaluate', 400, 'invalid_input'],
      ['/models/ev/rule-sets/1/evaluate?split=dev', 400, 'invalid_input'],
      ['/models/ev/rule-sets/1/evaluate?split=train', 422, 'unprocessable'],
      ['/models/nope/rule-sets/1/evaluate', 404, 'not_found'],
    ])('%s → %i', async (url, status, code) => {
      const r = await t.request('GET', url);
      expect(r.status).toBe(status);
      expect(r.body.error.code).toBe(code);
    });
  });

  it('lists every rejector route in the OpenAPI document', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body;
    // The decide routes are Fastify routes documented by hand: their body schemas must resolve.
    for (const [path, schema] of [['/models/{name}/decide', 'DecideRequestDto'], ['/models/{name}/decide/batch', 'DecideBatchRequestDto']]) {
      expect(doc.paths[path].post.requestBody.content['application/json'].schema.$ref).toBe(`#/components/schemas/${schema}`);
      expect(doc.components.schemas[schema].properties).toBeDefined();
    }
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/models/{name}/decide',
        '/models/{name}/decide/batch',
        '/models/{name}/decisions/summary',
        '/models/{name}/decisions/stats',
        '/models/{name}/rule-sets/{version}/evaluate',
        '/models/{name}/detectors',
        '/models/{name}/rejector-settings',
        '/models/{name}/rejector/reload',
      ]),
    );
  });

  it('on PostgreSQL, a NOTIFY on the live-sets channel from another connection reaches the in-process events', async () => {
    if (t.kind !== 'postgres') return; // one process on the embedded database: in-process events are all there is
    const events = t.app.get(RuleSetEvents);
    const heard = new Promise<LiveSetChange>((resolve) => {
      const off = events.onChange((c) => {
        if (c.modelId === 424242) {
          off();
          resolve(c);
        }
      });
    });
    await eventually(async () => {
      // The listener connects in the background at start-up; send until it hears one.
      const c = new Client({ connectionString: t.config.databaseUrl });
      await c.connect();
      await c.query(`SELECT pg_notify('caveat_live_sets', $1)`, [JSON.stringify({ modelId: 424242, reason: 'activated' })]);
      await c.end();
      return Promise.race([heard.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 200))]);
    });
    expect(await heard).toEqual({ modelId: 424242, reason: 'activated' });
  });
});

describe('decision log on a clean stop', () => {
  it('flushes every buffered decision before the database closes', async () => {
    const t = await startTestApp();
    let closed = false;
    try {
      await t.request('POST', '/models', { name: 'stop', classes: ['yes', 'no'] });
      const items = Array.from({ length: 500 }, (_, i) => ({ confidence: (i % 100) / 100, predicted: 'yes', itemId: `s${i}` }));
      expect((await t.request('POST', '/models/stop/decide/batch', { items })).status).toBe(200);
      if (t.kind === 'postgres') {
        await t.app.close();
        closed = true;
        const c = new Client({ connectionString: t.config.databaseUrl });
        await c.connect();
        const { rows } = await c.query(`SELECT count(*)::int AS n FROM decisions`);
        await c.end();
        expect(rows[0].n).toBe(500);
      } else {
        await t.app.close();
        closed = true;
        const again = await startTestApp({}, { dataDir: t.config.dataDir });
        try {
          const [{ n }] = await again.app.get(Database).dataSource.query(`SELECT count(*)::int AS n FROM decisions`);
          expect(n).toBe(500);
        } finally {
          await again.close();
        }
      }
    } finally {
      if (!closed) await t.app.close();
      await t.close().catch(() => undefined);
    }
  });
});
