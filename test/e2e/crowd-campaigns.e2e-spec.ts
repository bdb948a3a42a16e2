import { Database } from '../../src/database/database';
import { ConceptFlagsService } from '../../src/crowd/concept-flags.service';
import { startTestApp, type TestApp } from '../support/test-app';

// Annotators, campaigns with a sampling design, tasks, gold answers, aggregation runs and the
// per-item concept flags (DESIGN §3), through HTTP on a fresh database.
//
// 40 items p0..p39: predicted cat (even) / dog (odd), confidence 0.3 + 0.07·(i mod 10), labeled for
// i < 30 (wrong when i mod 3 = 0). Truth of the concepts: "dark" iff i is even, "small" iff i mod 5 = 0.
// Annotators a1, a2 answer the truth, a3 the truth on "dark" and "unsure" on "small", a4 always the opposite.

const N = 40;
const truth = { dark: (i: number) => i % 2 === 0, small: (i: number) => i % 5 === 0 };
const indexOf = (externalId: string) => Number(externalId.slice(1));

describe('crowd: annotators, campaigns, tasks, aggregation, concept flags', () => {
  let t: TestApp;
  const id: Record<string, number> = {};
  beforeAll(async () => {
    t = await startTestApp();
    const ok = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
      const r = await t.request(method, url, body);
      if (r.status >= 300) throw new Error(`${url}: ${r.status} ${r.text}`);
      return r.body;
    };
    await ok('POST', '/models', { name: 'photos', classes: ['cat', 'dog'], costPolicy: { K: 5 } });
    await ok('POST', '/models/photos/predictions/batch', {
      predictions: Array.from({ length: N }, (_, i) => ({
        externalId: `p${i}`,
        predicted: i % 2 ? 'dog' : 'cat',
        confidence: Math.round((0.3 + (i % 10) * 0.07) * 100) / 100,
        label: i < 30 ? (i % 3 === 0 ? (i % 2 ? 'cat' : 'dog') : i % 2 ? 'dog' : 'cat') : undefined,
        attributes: { age: 18 + i },
        text: `photo number ${i}`,
      })),
    });
    for (const name of ['dark', 'small', 'glare', 'reflection']) id[name] = (await ok('POST', '/models/photos/concepts', { name })).id;
    id.young = (await ok('POST', '/models/photos/concepts', { name: 'young', kind: 'attribute', condition: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] } })).id;
    id.proposed = (await ok('POST', '/models/photos/concepts', { name: 'vague idea', status: 'proposed' })).id;
    for (const [name, role] of [
      ['a1', 'crowd'],
      ['a2', 'crowd'],
      ['a3', 'expert'],
      ['a4', 'crowd'],
      ['boss', 'stakeholder'],
    ]) {
      id[name] = (await ok('POST', '/annotators', { name, role })).id;
    }
    await ok('POST', '/models', { name: 'tiny', classes: ['a', 'b'] });
    await ok('POST', '/models/tiny/predictions', { externalId: 'only', predicted: 'a', confidence: 0.9, text: 'the only item' });
    await ok('POST', '/models', { name: 'empty', classes: ['a', 'b'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('annotators', () => {
    it('registers, lists by role and reads annotators', async () => {
      const list = await t.request('GET', '/annotators?role=crowd');
      expect(list.body.map((a: { name: string }) => a.name)).toEqual(['a1', 'a2', 'a4']);
      expect((await t.request('GET', `/annotators/${id.boss}`)).body).toMatchObject({ name: 'boss', role: 'stakeholder' });
    });
    it.each([
      ['a taken name (any case)', { name: 'A1', role: 'crowd' }, 409, 'name'],
      ['an unknown role', { name: 'zed', role: 'boss' }, 400, 'role'],
      ['a blank name', { name: ' ', role: 'crowd' }, 400, 'name'],
    ])('refuses %s', async (_n, body, status, field) => {
      const r = await t.request('POST', '/annotators', body);
      expect(r.status).toBe(status);
      expect(r.body.error.details.field).toBe(field);
    });
    it('404 / 400 on reads', async () => {
      expect((await t.request('GET', '/annotators/9999')).status).toBe(404);
      expect((await t.request('GET', '/annotators/x')).body.error.details.field).toBe('id');
      expect((await t.request('GET', '/annotators?role=boss')).body.error.details.field).toBe('role');
    });
  });

  let stratified: number;
  describe('a stratified campaign', () => {
    it('puts a reported item first and samples the rest with π per stratum (failed/correct/unlabeled × band)', async () => {
      const rep = await t.request('POST', '/models/photos/failure-reports', { externalId: 'p33', annotatorId: id.boss, text: 'clearly a dog' });
      expect(rep.status).toBe(201);
      const r = await t.request('POST', '/models/photos/campaigns', {
        name: 'round 1',
        conceptIds: [id.dark, id.small],
        design: { type: 'stratified', allocation: 'equal', bands: [0.7], seed: 3 },
        budget: 30,
        labelsPerItem: 3,
      });
      expect(r.status).toBe(201);
      stratified = r.body.id;
      // 30 labels / 3 per item = 10 items; reports may take ⌊10/4⌋ = 2, there is 1; 9 are sampled over 6 strata.
      expect(r.body).toMatchObject({ model: 'photos', status: 'open', budget: 30, labelsPerItem: 3, showModelAnswer: false, design: { type: 'stratified', seed: 3 } });
      expect(r.body.concepts.map((c: { name: string }) => c.name)).toEqual(['dark', 'small']);
      expect(r.body.strata.map((s: { key: string }) => s.key)).toEqual(['correct|[0,0.7)', 'correct|[0.7,1]', 'failed|[0,0.7)', 'failed|[0.7,1]', 'unlabeled|[0,0.7)', 'unlabeled|[0.7,1]']);
      expect(r.body.strata.reduce((s: number, x: { sampled: number }) => s + x.sampled, 0)).toBe(9);
      expect(r.body.strata.reduce((s: number, x: { population: number }) => s + x.population, 0)).toBe(N);
      for (const s of r.body.strata) expect(s.pi).toBeCloseTo(s.sampled / s.population, 12);
      expect(r.body.items.stratified).toBe(9);
      expect(r.body.items.total).toBe(9 + r.body.items.report);
      expect(r.body.progress).toEqual({ used: 0, open: 0, submitted: 0, remaining: 30 });
      const reports = await t.request('GET', '/models/photos/failure-reports');
      expect(reports.body[0]).toMatchObject({ externalId: 'p33', status: 'queued', campaignId: stratified });
    });

    it('lists campaigns and reads one', async () => {
      expect((await t.request('GET', '/campaigns?status=open')).body.map((c: { id: number }) => c.id)).toContain(stratified);
      expect((await t.request('GET', '/models/photos/campaigns')).body.map((c: { name: string }) => c.name)).toEqual(['round 1']);
      expect((await t.request('GET', `/campaigns/${stratified}`)).body.name).toBe('round 1');
      expect((await t.request('GET', '/campaigns/9999')).status).toBe(404);
      expect((await t.request('GET', '/campaigns?status=done')).body.error.details.field).toBe('status');
    });

    const campaign = (extra: Record<string, unknown>) => ({ name: 'x', conceptIds: [id.dark], design: { type: 'stratified' }, budget: 60, ...extra });
    it.each([
      ['an unknown design type', () => campaign({ design: { type: 'greedy' } }), 400, 'design.type'],
      ['an unknown design setting', () => campaign({ design: { type: 'stratified', policy: 'ucb1' } }), 400, 'design.policy'],
      ['bands out of order', () => campaign({ design: { type: 'stratified', bands: [0.9, 0.5] } }), 400, 'design.bands'],
      ['a budget below the number of strata', () => campaign({ budget: 5 }), 400, 'budget'],
      ['a budget below one item', () => campaign({ budget: 2, labelsPerItem: 3 }), 400, 'budget'],
      ['an unknown concept', () => campaign({ conceptIds: [9999] }), 404, 'conceptIds[0]'],
      ['a proposed concept', () => campaign({ conceptIds: [id.dark, id.proposed] }), 422, 'conceptIds[1]'],
      ['an attribute concept', () => campaign({ conceptIds: [id.young] }), 422, 'conceptIds[0]'],
      ['no concept', () => campaign({ conceptIds: [] }), 400, 'conceptIds'],
      ['a split without items', () => campaign({ split: 'train' }), 422, 'split'],
      ['a taken name', () => campaign({ name: 'round 1' }), 409, 'name'],
    ])('refuses %s', async (_n, body, status, field) => {
      const r = await t.request('POST', '/models/photos/campaigns', body());
      expect(r.status).toBe(status);
      expect(r.body.error.details.field).toBe(field);
    });
    it('404 for an unknown model', async () => {
      expect((await t.request('POST', '/models/nope/campaigns', campaign({}))).status).toBe(404);
    });
  });

  const given: Array<{ annotator: string; item: string; task: number }> = [];
  const explored: string[] = [];
  describe('tasks', () => {
    it('gives a task with the item and the checklist, without the model answer; asking again resumes it', async () => {
      const r = await t.request('POST', `/campaigns/${stratified}/tasks/next`, { annotatorId: id.a1 });
      expect(r.status).toBe(200);
      const task = r.body.task;
      expect(task).toMatchObject({ campaignId: stratified, campaign: 'round 1', model: 'photos', annotatorId: id.a1, status: 'open', showModelAnswer: false, prompt: 'What makes this item hard?' });
      expect(task.item.text).toBe(`photo number ${indexOf(task.item.externalId)}`);
      expect(task.item.predicted).toBeUndefined();
      expect(task.concepts.map((c: { name: string }) => c.name)).toEqual(['dark', 'small']);
      expect(r.body.progress).toEqual({ budget: 30, used: 1, remaining: 29 });
      expect((await t.request('POST', `/campaigns/${stratified}/tasks/next`, { annotatorId: id.a1 })).body.task.id).toBe(task.id);
      expect((await t.request('GET', `/tasks/${task.id}`)).body.item.externalId).toBe(task.item.externalId);
    });

    it.each([
      ['an unknown annotator', () => ({ annotatorId: 9999 }), 404, 'annotatorId'],
      ['no annotator', () => ({}), 400, 'annotatorId'],
    ])('next refuses %s', async (_n, body, status, field) => {
      const r = await t.request('POST', `/campaigns/${stratified}/tasks/next`, body());
      expect(r.status).toBe(status);
      expect(r.body.error.details.field).toBe(field);
    });
    it('next: 404 for an unknown campaign, 400 for a malformed id', async () => {
      expect((await t.request('POST', '/campaigns/9999/tasks/next', { annotatorId: id.a1 })).status).toBe(404);
      expect((await t.request('POST', '/campaigns/x/tasks/next', { annotatorId: id.a1 })).body.error.details.field).toBe('id');
    });

    it.each([
      ['another annotator', () => ({ annotatorId: id.a2, answers: [{ conceptId: id.dark, answer: 'yes' }] }), 400, 'annotatorId'],
      ['a concept not on the checklist', () => ({ annotatorId: id.a1, answers: [{ conceptId: id.glare, answer: 'yes' }] }), 400, 'answers[0].conceptId'],
      ['a concept answered twice', () => ({ annotatorId: id.a1, answers: [{ conceptId: id.dark, answer: 'yes' }, { conceptId: id.dark, answer: 'no' }] }), 400, 'answers[1].conceptId'],
      ['an answer that is not yes/no/unsure', () => ({ annotatorId: id.a1, answers: [{ conceptId: id.dark, answer: 'maybe' }] }), 400, 'answers[0].answer'],
      ['nothing at all', () => ({ annotatorId: id.a1, answers: [], freeText: '  ' }), 400, 'answers'],
      ["a judgement of a model answer it did not show", () => ({ annotatorId: id.a1, answers: [{ conceptId: id.dark, answer: 'yes' }], modelCorrect: true }), 400, 'modelCorrect'],
    ])('submit refuses %s, writing nothing', async (_n, body, status, field) => {
      const task = (await t.request('POST', `/campaigns/${stratified}/tasks/next`, { annotatorId: id.a1 })).body.task;
      const r = await t.request('POST', `/tasks/${task.id}/submit`, body());
      expect(r.status).toBe(status);
      expect(r.body.error.details.field).toBe(field);
      expect((await t.request('GET', `/tasks/${task.id}`)).body.status).toBe('open');
    });
    it('submit: 404 for an unknown task', async () => {
      expect((await t.request('POST', '/tasks/99999/submit', { annotatorId: id.a1, answers: [] })).status).toBe(404);
      expect((await t.request('GET', '/tasks/99999')).status).toBe(404);
    });

    it('labels the whole budget: 3 labels per item, never the same item twice for an annotator, free text normalized', async () => {
      const answer = (who: string, i: number) => {
        const flip = who === 'a4';
        const yn = (v: boolean) => ((flip ? !v : v) ? 'yes' : 'no');
        return [
          { conceptId: id.dark, answer: yn(truth.dark(i)) },
          { conceptId: id.small, answer: who === 'a3' ? 'unsure' : yn(truth.small(i)) },
        ];
      };
      let first = true;
      for (let round = 0; round < 20; round++) {
        let gaveAny = false;
        for (const who of ['a1', 'a2', 'a3', 'a4']) {
          const r = await t.request('POST', `/campaigns/${stratified}/tasks/next`, { annotatorId: id[who] });
          if (!r.body.task) continue;
          gaveAny = true;
          const item = r.body.task.item.externalId;
          const body: Record<string, unknown> = { annotatorId: id[who], answers: answer(who, indexOf(item)) };
          if (first) body.freeText = 'too dark, odd colour cast';
          const s = await t.request('POST', `/tasks/${r.body.task.id}/submit`, body);
          expect(s.status).toBe(200);
          if (first) {
            expect(s.body).toMatchObject({ task: { id: r.body.task.id, status: 'submitted' }, answers: 2 });
            expect(s.body.freeText.matched).toEqual([expect.objectContaining({ conceptId: id.dark, name: 'dark', phrase: 'too dark' })]);
            expect(s.body.freeText.proposed).toEqual([expect.objectContaining({ name: 'odd colour cast', created: true })]);
            const again = await t.request('POST', `/tasks/${r.body.task.id}/submit`, body);
            expect(again.status).toBe(409);
            first = false;
          }
          given.push({ annotator: who, item, task: r.body.task.id });
        }
        if (!gaveAny) break;
      }
      expect(given).toHaveLength(30);
      expect(new Set(given.map((g) => `${g.annotator}:${g.item}`)).size).toBe(30);
      const perItem = new Map<string, number>();
      for (const g of given) perItem.set(g.item, (perItem.get(g.item) ?? 0) + 1);
      expect([...perItem.values()].every((n) => n === 3)).toBe(true);
      expect(perItem.size).toBe(10);
      const end = await t.request('POST', `/campaigns/${stratified}/tasks/next`, { annotatorId: id.a1 });
      expect(end.body).toEqual({ task: null, reason: 'budget spent', progress: { budget: 30, used: 30, remaining: 0 } });
      expect((await t.request('GET', `/campaigns/${stratified}`)).body.progress).toEqual({ used: 30, open: 0, submitted: 30, remaining: 0 });
    });

    it('holds labels per item and the budget when annotators ask at the same time', async () => {
      // Its own model, so these answers stay out of the aggregation tests below: 12 items, 2 per stratum.
      await t.request('POST', '/models', { name: 'rush', classes: ['a', 'b'] });
      const predictions = Array.from({ length: 12 }, (_, i) => ({ externalId: `r${i}`, predicted: 'a', confidence: i % 2 ? 0.9 : 0.4, label: i < 4 ? 'b' : i < 8 ? 'a' : undefined }));
      await t.request('POST', '/models/rush/predictions/batch', { predictions });
      const concept = (await t.request('POST', '/models/rush/concepts', { name: 'small' })).body.id;
      const camp = (await t.request('POST', '/models/rush/campaigns', { name: 'rush', conceptIds: [concept], design: { type: 'stratified', bands: [0.7], seed: 9 }, budget: 12, labelsPerItem: 2 })).body;
      expect(camp.items.total).toBe(6);
      const who = ['a1', 'a2', 'a3', 'a4', 'boss'];
      const handed: Array<{ annotator: string; item: string }> = [];
      for (let round = 0; round < 10; round++) {
        const results = await Promise.all([...who, ...who].map((w) => t.request('POST', `/campaigns/${camp.id}/tasks/next`, { annotatorId: id[w] }).then((r) => ({ w, r }))));
        const open = new Map<number, { w: string; item: string }>();
        for (const { w, r } of results) if (r.body.task) open.set(r.body.task.id, { w, item: r.body.task.item.externalId });
        if (open.size === 0) break;
        // Asking twice at once gives an annotator one task, not two.
        expect(new Set([...open.values()].map((x) => x.w)).size).toBe(open.size);
        await Promise.all([...open].map(([taskId, x]) => t.request('POST', `/tasks/${taskId}/submit`, { annotatorId: id[x.w], answers: [{ conceptId: concept, answer: 'no' }] })));
        for (const x of open.values()) handed.push({ annotator: x.w, item: x.item });
      }
      expect(handed).toHaveLength(12);
      const perItem = new Map<string, Set<string>>();
      for (const h of handed) perItem.set(h.item, (perItem.get(h.item) ?? new Set()).add(h.annotator));
      expect([...perItem.values()].map((s) => s.size)).toEqual(Array(6).fill(2));
      await t.request('POST', `/campaigns/${camp.id}/close`);
    });

    it('frees the slot of a task left open past its timeout; the late submission is refused', async () => {
      const c = await t.request('POST', '/models/tiny/campaigns', { name: 'one', conceptIds: [], design: { type: 'stratified' }, budget: 1 });
      expect(c.body.error.details.field).toBe('conceptIds');
      const dark = (await t.request('POST', '/models/tiny/concepts', { name: 'dark' })).body.id;
      const camp = (await t.request('POST', '/models/tiny/campaigns', { name: 'one', conceptIds: [dark], design: { type: 'stratified' }, budget: 1, taskTimeoutSeconds: 60 })).body;
      const first = (await t.request('POST', `/campaigns/${camp.id}/tasks/next`, { annotatorId: id.a1 })).body.task;
      expect((await t.request('POST', `/campaigns/${camp.id}/tasks/next`, { annotatorId: id.a2 })).body).toMatchObject({ task: null, reason: 'budget spent' });
      await t.app.get(Database).dataSource.query(`UPDATE tasks SET created_at = now() - interval '2 minutes' WHERE id = $1`, [first.id]);
      const second = (await t.request('POST', `/campaigns/${camp.id}/tasks/next`, { annotatorId: id.a2 })).body.task;
      expect(second.item.externalId).toBe('only');
      expect((await t.request('GET', `/tasks/${first.id}`)).body.status).toBe('expired');
      const late = await t.request('POST', `/tasks/${first.id}/submit`, { annotatorId: id.a1, answers: [{ conceptId: dark, answer: 'yes' }] });
      expect(late.status).toBe(409);
      // a1 had the item: it is not handed out to a1 again.
      await t.request('POST', `/tasks/${second.id}/submit`, { annotatorId: id.a2, answers: [{ conceptId: dark, answer: 'no' }] });
      const closed = await t.request('POST', `/campaigns/${camp.id}/close`);
      expect(closed.body.status).toBe('closed');
      expect((await t.request('POST', `/campaigns/${camp.id}/tasks/next`, { annotatorId: id.a3 })).body).toMatchObject({ task: null, reason: 'closed' });
      expect((await t.request('POST', '/campaigns/9999/close')).status).toBe(404);
    });
  });

  describe('an explore campaign (UCB1 over predicted class × confidence band)', () => {
    it('draws one discovery-only item per task, shows the model answer, and rewards confident failures', async () => {
      const r = await t.request('POST', '/models/photos/campaigns', {
        name: 'hunt',
        conceptIds: [id.dark],
        design: { type: 'explore', policy: 'ucb1', bands: [0.7], seed: 1 },
        budget: 4,
        showModelAnswer: true,
      });
      expect(r.status).toBe(201);
      const cid = r.body.id;
      expect(r.body.items.total).toBe(0);
      expect(r.body.arms.map((a: { key: string }) => a.key)).toEqual(['cat|[0,0.7)', 'cat|[0.7,1]', 'dog|[0,0.7)', 'dog|[0.7,1]']);
      const outcomes: boolean[] = [];
      for (let k = 0; k < 4; k++) {
        const task = (await t.request('POST', `/campaigns/${cid}/tasks/next`, { annotatorId: id.boss })).body.task;
        explored.push(task.item.externalId);
        expect(task.showModelAnswer).toBe(true);
        expect(typeof task.item.predicted).toBe('string');
        const s = await t.request('POST', `/tasks/${task.id}/submit`, { annotatorId: id.boss, answers: [{ conceptId: id.dark, answer: 'no' }], modelCorrect: false });
        expect(s.status).toBe(200);
        outcomes.push(s.body.discoveryOutcome);
        // T* = (K − 1)/(K + 1) = 2/3 with K = 5: the item is a confident failure iff its confidence reaches it.
        expect(s.body.discoveryOutcome).toBe(task.item.confidence >= 2 / 3);
      }
      // UCB1 pulls every arm once, in key order: low band, high band, low band, high band.
      expect(outcomes).toEqual([false, true, false, true]);
      const after = (await t.request('GET', `/campaigns/${cid}`)).body;
      expect(after.items).toEqual({ total: 4, stratified: 0, discovery: 4, report: 0 });
      expect(after.arms.map((a: { pulls: number; hits: number }) => [a.pulls, a.hits])).toEqual([
        [1, 0],
        [1, 1],
        [1, 0],
        [1, 1],
      ]);
      expect((await t.request('POST', `/campaigns/${cid}/tasks/next`, { annotatorId: id.a2 })).body.reason).toBe('budget spent');
    });
    it.each([
      ['an unknown policy', { type: 'explore', policy: 'greedy' }, 'design.policy'],
      ['too many partition attributes', { type: 'explore', partitionAttributes: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'design.partitionAttributes'],
      ['a bad seed', { type: 'explore', seed: -1 }, 'design.seed'],
    ])('refuses %s', async (_n, design, field) => {
      const r = await t.request('POST', '/models/photos/campaigns', { name: 'y', conceptIds: [id.dark], design, budget: 4 });
      expect(r.status).toBe(400);
      expect(r.body.error.details.field).toBe(field);
    });
  });

  describe('gold answers', () => {
    it('sets gold on every campaign item for "dark", reads them back, removes one', async () => {
      const items = [...new Set(given.map((g) => g.item))];
      const r = await t.request('PUT', '/models/photos/gold', { gold: items.map((externalId) => ({ externalId, conceptId: id.dark, answer: truth.dark(indexOf(externalId)) ? 'yes' : 'no' })) });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ set: 10, removed: 0 });
      const extra = await t.request('PUT', '/models/photos/gold', { gold: [{ externalId: 'p39', conceptId: id.small, answer: 'no' }] });
      expect(extra.body.set).toBe(1);
      expect((await t.request('PUT', '/models/photos/gold', { gold: [{ externalId: 'p39', conceptId: id.small, answer: null }] })).body).toEqual({ set: 0, removed: 1 });
      const list = await t.request('GET', '/models/photos/gold');
      expect(list.body).toHaveLength(10);
      expect(list.body[0]).toMatchObject({ conceptId: id.dark, concept: 'dark' });
    });
    it.each([
      ['an unknown item', () => ({ gold: [{ externalId: 'zzz', conceptId: id.dark, answer: 'yes' }] }), 422, 'gold'],
      ['an unknown concept', () => ({ gold: [{ externalId: 'p1', conceptId: 9999, answer: 'yes' }] }), 422, 'gold[0].conceptId'],
      ['an attribute concept', () => ({ gold: [{ externalId: 'p1', conceptId: id.young, answer: 'yes' }] }), 422, 'gold[0].conceptId'],
      ['an answer that is not yes/no', () => ({ gold: [{ externalId: 'p1', conceptId: id.dark, answer: 'unsure' }] }), 400, 'gold[0].answer'],
      ['an empty list', () => ({ gold: [] }), 400, 'gold'],
    ])('refuses %s', async (_n, body, status, field) => {
      const r = await t.request('PUT', '/models/photos/gold', body());
      expect(r.status).toBe(status);
      expect(r.body.error.details.field).toBe(field);
    });
  });

  describe('aggregation runs and concept flags', () => {
    const stratifiedItems = () => [...new Set(given.map((g) => g.item))];
    const expectTruthFlags = (flags: any, method: string) => {
      for (const item of flags.items.filter((x: { externalId: string }) => stratifiedItems().includes(x.externalId))) {
        const i = indexOf(item.externalId);
        expect([method, item.externalId, 'dark', item.flags.dark.present]).toEqual([method, item.externalId, 'dark', truth.dark(i)]);
        expect([method, item.externalId, 'small', item.flags.small.present]).toEqual([method, item.externalId, 'small', truth.small(i)]);
      }
    };

    it('majority vote: posteriors are vote shares, gold pairs take their known answer, the careless annotator is flagged', async () => {
      const r = await t.request('POST', '/models/photos/aggregations', { method: 'mv', minGoldAnswers: 2 });
      expect(r.status).toBe(201);
      const a3Tasks = given.filter((g) => g.annotator === 'a3').length;
      // Round 1 (2 concepts × 30 tasks, a3's "small" answers unsure) + the explore campaign (4 "dark" answers by boss).
      expect(r.body).toMatchObject({ method: 'mv', answers: 60 - a3Tasks + 4, iterations: 0, converged: true });
      expect(r.body.pairs).toBe(10 * 2 + explored.filter((x) => !stratifiedItems().includes(x)).length);
      const a4 = r.body.annotators.find((a: { name: string }) => a.name === 'a4');
      expect(a4).toMatchObject({ flagged: true, excluded: false, gold: { accuracy: 0 } });
      expect(r.body.annotators.find((a: { name: string }) => a.name === 'a1')).toMatchObject({ flagged: false, gold: { accuracy: 1 } });
      const flags = (await t.request('GET', `/models/photos/concept-flags?run=${r.body.id}&campaign=${stratified}`)).body;
      expect(flags.run).toEqual({ id: r.body.id, method: 'mv' });
      expect(flags.items).toHaveLength(10);
      for (const item of flags.items) {
        const labels = given.filter((g) => g.item === item.externalId);
        const votes = labels.filter((g) => g.annotator !== 'a3');
        const yes = votes.filter((g) => truth.small(indexOf(g.item)) !== (g.annotator === 'a4')).length;
        expect(item.flags.small.posterior).toBeCloseTo(yes / votes.length, 12);
        expect(item.flags.dark.posterior).toBe(truth.dark(indexOf(item.externalId)) ? 1 : 0); // gold
      }
    });

    it('Dawid–Skene recovers every flag, learning that a4 answers the opposite; excluding a4 does too', async () => {
      for (const body of [{ method: 'ds' }, { method: 'ds', excludeFlagged: true, minGoldAnswers: 2 }, { method: 'ds-onecoin', smoothing: 1 }]) {
        const r = await t.request('POST', '/models/photos/aggregations', body);
        expect(r.status).toBe(201);
        expect(r.body.converged).toBe(true);
        const flags = (await t.request('GET', `/models/photos/concept-flags?campaign=${stratified}`)).body;
        expect(flags.run.id).toBe(r.body.id);
        expectTruthFlags(flags, JSON.stringify(body));
        if (body.excludeFlagged) {
          expect(r.body.annotators.find((a: { name: string }) => a.name === 'a4')).toMatchObject({ flagged: true, excluded: true, accuracy: null });
        } else {
          expect(r.body.annotators.find((a: { name: string }) => a.name === 'a4').accuracy).toBeLessThan(0.2);
        }
      }
      const runs = await t.request('GET', '/models/photos/aggregations');
      expect(runs.body.map((x: { method: string }) => x.method)).toEqual(['ds-onecoin', 'ds', 'ds', 'mv']);
      const one = await t.request('GET', `/aggregations/${runs.body[0].id}`);
      expect(one.body.concepts.map((c: { name: string }) => c.name)).toEqual(['dark', 'small']);
    });

    it('weights stratified items by 1/π and marks reported and discovery items discovery-only; attribute concepts come along', async () => {
      const campaign = (await t.request('GET', `/campaigns/${stratified}`)).body;
      const piOf = new Map<string, number>(campaign.strata.map((s: { key: string; pi: number }) => [s.key, s.pi]));
      const flags = (await t.request('GET', '/models/photos/concept-flags')).body;
      expect(flags.concepts.map((c: { name: string; kind: string }) => [c.name, c.kind])).toEqual([
        ['dark', 'aggregated'],
        ['small', 'aggregated'],
        ['young', 'attribute'],
      ]);
      for (const item of flags.items) {
        const i = indexOf(item.externalId);
        expect(item.flags.young).toEqual({ present: 18 + i < 25, posterior: 18 + i < 25 ? 1 : 0 });
        if (item.discoveryOnly) {
          expect(item.weight).toBe(1);
          continue;
        }
        const outcome = i >= 30 ? 'unlabeled' : i % 3 === 0 ? 'failed' : 'correct';
        const c = Math.round((0.3 + (i % 10) * 0.07) * 100) / 100;
        expect(item.weight).toBeCloseTo(1 / (piOf.get(`${outcome}|${c < 0.7 ? '[0,0.7)' : '[0.7,1]'}`) as number), 12);
      }
      const reported = flags.items.find((x: { externalId: string }) => x.externalId === 'p33');
      if (campaign.items.report === 1) expect(reported).toMatchObject({ discoveryOnly: true, weight: 1 });

      const x = await t.app.get(ConceptFlagsService).conceptFlags('photos', { campaignId: stratified });
      expect(x.itemIds).toHaveLength(10);
      expect(x.concepts).toEqual(['dark', 'small', 'young']);
      expect(x.present).toHaveLength(3);
      expect(x.weights).toBeInstanceOf(Float64Array);
      x.itemIds.forEach((ext, j) => {
        expect(x.present[0][j]).toBe(truth.dark(indexOf(ext)) ? 1 : 0);
        expect(x.answered[2][j]).toBe(1);
      });
    });

    it.each([
      ['an unknown method', 'POST', '/models/photos/aggregations', { method: 'em' }, 400, 'method'],
      ['a model without answers', 'POST', '/models/empty/aggregations', {}, 422, 'name'],
      ['an unknown model', 'POST', '/models/nope/aggregations', {}, 404, 'name'],
      ['an unknown run', 'GET', '/aggregations/9999', undefined, 404, 'id'],
      ['flags of an unknown run', 'GET', '/models/photos/concept-flags?run=9999', undefined, 404, 'run'],
      ['flags of a malformed run id', 'GET', '/models/photos/concept-flags?run=abc', undefined, 400, 'run'],
      ['flags of an unknown campaign', 'GET', '/models/photos/concept-flags?campaign=9999', undefined, 404, 'campaign'],
      ['flags before any run', 'GET', '/models/empty/concept-flags', undefined, 422, 'run'],
    ])('refuses %s', async (_n, method, url, body, status, field) => {
      const r = await t.request(method as 'GET' | 'POST', url, body);
      expect(r.status).toBe(status);
      expect(r.body.error.details.field).toBe(field);
    });
  });

  describe('merging concepts that have labels', () => {
    it('answers, gold and campaign slots follow the merge in one transaction', async () => {
      const camp = (await t.request('POST', '/models/photos/campaigns', { name: 'glare', conceptIds: [id.glare], design: { type: 'stratified', bands: [0.7] }, budget: 6 })).body;
      const task = (await t.request('POST', `/campaigns/${camp.id}/tasks/next`, { annotatorId: id.a1 })).body.task;
      await t.request('POST', `/tasks/${task.id}/submit`, { annotatorId: id.a1, answers: [{ conceptId: id.glare, answer: 'yes' }] });
      await t.request('PUT', '/models/photos/gold', { gold: [{ externalId: task.item.externalId, conceptId: id.glare, answer: 'yes' }] });
      const r = await t.request('POST', `/models/photos/concepts/${id.glare}/merge`, { into: id.reflection });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ moved: { answers: 1, gold: 1, campaigns: 1 }, goldConflicts: 0 });
      expect(r.body.concept).toMatchObject({ name: 'reflection', answers: 1, aliases: ['glare'] });
      expect((await t.request('GET', `/campaigns/${camp.id}`)).body.concepts.map((c: { name: string }) => c.name)).toEqual(['reflection']);
      const next = (await t.request('POST', `/campaigns/${camp.id}/tasks/next`, { annotatorId: id.a2 })).body.task;
      expect(next.concepts.map((c: { name: string }) => c.name)).toEqual(['reflection']);
      const run = (await t.request('POST', '/models/photos/aggregations', { method: 'mv' })).body;
      expect(run.concepts.map((c: { name: string }) => c.name)).toContain('reflection');
    });
  });

  it('documents every route in OpenAPI', async () => {
    const paths = Object.keys((await t.request('GET', '/openapi.json')).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/annotators',
        '/annotators/{id}',
        '/models/{name}/campaigns',
        '/campaigns',
        '/campaigns/{id}',
        '/campaigns/{id}/close',
        '/campaigns/{id}/tasks/next',
        '/tasks/{id}',
        '/tasks/{id}/submit',
        '/models/{name}/gold',
        '/models/{name}/aggregations',
        '/aggregations/{id}',
        '/models/{name}/concept-flags',
        '/label',
      ]),
    );
  });
});
