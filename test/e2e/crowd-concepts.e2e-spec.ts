import { startTestApp, type TestApp } from '../support/test-app';

// The concept vocabulary (DESIGN §3): curation, attribute concepts, typeahead, free-text
// proposals from failure reports and their grouping, and merges whose labels follow.

describe('concepts: vocabulary, attribute concepts, proposals, merges', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    t = await startTestApp();
    expect((await t.request('POST', '/models', { name: 'photos', classes: ['cat', 'dog'], costPolicy: { K: 5 } })).status).toBe(201);
    // 40 items: age 18..57 (age < 25 for the first 7), every 4th item lacks the age attribute only when i ≥ 36.
    const predictions = Array.from({ length: 40 }, (_, i) => ({
      externalId: `p${i}`,
      predicted: i % 2 ? 'dog' : 'cat',
      confidence: 0.3 + (i % 10) * 0.07,
      attributes: i >= 36 ? { region: 'north' } : { age: 18 + i, region: i % 2 ? 'north' : 'south' },
      text: `photo number ${i}`,
    }));
    expect((await t.request('POST', '/models/photos/predictions/batch', { predictions })).status).toBe(200);
    for (const [name, role] of [
      ['ann', 'crowd'],
      ['stake', 'stakeholder'],
    ]) {
      const r = await t.request('POST', '/annotators', { name, role });
      expect(r.status).toBe(201);
      ids[name] = r.body.id;
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = async (body: Record<string, unknown>) => {
    const r = await t.request('POST', '/models/photos/concepts', body);
    expect(r.status).toBe(201);
    ids[r.body.name] = r.body.id;
    return r.body;
  };

  describe('curating', () => {
    it('creates accepted and proposed concepts with aliases and lists them by status', async () => {
      const dark = await create({ name: 'dark photo', description: 'underexposed', aliases: ['too dark', 'Underexposed', 'too dark'] });
      expect(dark).toMatchObject({ name: 'dark photo', kind: 'crowd', status: 'accepted', aliases: ['too dark', 'Underexposed'], mentions: 0, answers: 0, mergedInto: null });
      expect(dark.history).toEqual([expect.objectContaining({ event: 'created' })]);
      await create({ name: 'blurry' });
      await create({ name: 'small object', status: 'proposed' });
      const proposed = await t.request('GET', '/models/photos/concepts?status=proposed');
      expect(proposed.body.map((c: { name: string }) => c.name)).toEqual(['small object']);
      const all = await t.request('GET', '/models/photos/concepts');
      expect(all.body.map((c: { name: string }) => c.name)).toEqual(['blurry', 'dark photo', 'small object']);
      expect((await t.request('GET', `/models/photos/concepts/${ids['dark photo']}`)).body.name).toBe('dark photo');
    });

    it.each([
      ['a name taken in another case', { name: 'Dark Photo' }, 409, 'conflict', 'name'],
      ['a blank name', { name: '   ' }, 400, 'invalid_input', 'name'],
      ['an unknown kind', { name: 'x', kind: 'magic' }, 400, 'invalid_input', 'kind'],
      ['a crowd concept with a condition', { name: 'x', condition: { all: [] } }, 400, 'invalid_input', 'condition'],
      ['an attribute concept without a condition', { name: 'x', kind: 'attribute' }, 400, 'invalid_input', 'condition'],
      ['an unknown operator', { name: 'x', kind: 'attribute', condition: { all: [{ fact: 'age', operator: 'below', value: 3 }] } }, 400, 'invalid_input', 'condition.all[0].operator'],
      ['an unknown attribute', { name: 'x', kind: 'attribute', condition: { all: [{ fact: 'agee', operator: 'lessThan', value: 3 }] } }, 400, 'invalid_input', 'condition.all[0].fact'],
      ['a root that is not all/any/not', { name: 'x', kind: 'attribute', condition: { fact: 'age', operator: 'lessThan', value: 3 } }, 400, 'invalid_input', 'condition'],
      ['an unknown field', { name: 'x', colour: 'red' }, 400, 'invalid_input', 'colour'],
    ])('refuses %s', async (_n, body, status, code, field) => {
      const r = await t.request('POST', '/models/photos/concepts', body);
      expect(r.status).toBe(status);
      expect(r.body.error).toMatchObject({ code, details: { field } });
    });

    it('404 for an unknown model or concept, 400 for a malformed id or filter', async () => {
      expect((await t.request('POST', '/models/nope/concepts', { name: 'x' })).status).toBe(404);
      const r = await t.request('GET', '/models/photos/concepts/99999');
      expect(r.status).toBe(404);
      expect(r.body.error.details.field).toBe('id');
      expect((await t.request('GET', '/models/photos/concepts/abc')).body.error).toMatchObject({ code: 'invalid_input', details: { field: 'id' } });
      expect((await t.request('GET', '/models/photos/concepts?status=done')).body.error.details.field).toBe('status');
      expect((await t.request('GET', '/models/photos/concepts?kind=magic')).body.error.details.field).toBe('kind');
    });

    it('renames with history; the old name becomes an alias; a taken name is 409', async () => {
      const r = await t.request('POST', `/models/photos/concepts/${ids.blurry}/rename`, { name: 'out of focus' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ name: 'out of focus', aliases: ['blurry'] });
      expect(r.body.history.at(-1)).toMatchObject({ event: 'renamed', from: 'blurry', to: 'out of focus' });
      const taken = await t.request('POST', `/models/photos/concepts/${ids.blurry}/rename`, { name: 'DARK PHOTO' });
      expect(taken.status).toBe(409);
      expect(taken.body.error.details.field).toBe('name');
      expect((await t.request('POST', '/models/photos/concepts/99999/rename', { name: 'y' })).status).toBe(404);
      expect((await t.request('POST', `/models/photos/concepts/${ids.blurry}/rename`, {})).body.error.details.field).toBe('name');
    });

    it('accepts a proposal, retires and reinstates a concept', async () => {
      const a = await t.request('POST', `/models/photos/concepts/${ids['small object']}/accept`);
      expect(a.body).toMatchObject({ status: 'accepted' });
      expect(a.body.history.at(-1)).toMatchObject({ event: 'accepted', from: 'proposed' });
      const r = await t.request('POST', `/models/photos/concepts/${ids['small object']}/retire`);
      expect(r.body.status).toBe('retired');
      expect((await t.request('POST', `/models/photos/concepts/${ids['small object']}/retire`)).body.status).toBe('retired');
      expect((await t.request('POST', `/models/photos/concepts/${ids['small object']}/accept`)).body.status).toBe('accepted');
    });

    it('updates description and aliases; a condition only for attribute concepts', async () => {
      const r = await t.request('PATCH', `/models/photos/concepts/${ids['dark photo']}`, { aliases: ['too dark', 'underexposed', 'murky'], description: 'too little light' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ aliases: ['too dark', 'underexposed', 'murky'], description: 'too little light' });
      const bad = await t.request('PATCH', `/models/photos/concepts/${ids['dark photo']}`, { condition: { all: [] } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toBe('condition');
    });
  });

  describe('attribute concepts', () => {
    it('computes the condition for every item when saved (age < 25: 7 present, 29 absent, 4 without age)', async () => {
      const young = await create({ name: 'young owner', kind: 'attribute', condition: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] } });
      expect(young.evaluation).toMatchObject({ items: 40, present: 7, absent: 29, unresolved: 4 });
      expect(young.values).toEqual({ present: 7, absent: 29 });
    });
    it('recomputes after new items arrive and after the condition changes', async () => {
      await t.request('POST', '/models/photos/predictions', { externalId: 'p40', predicted: 'cat', confidence: 0.9, attributes: { age: 19 } });
      const r = await t.request('POST', `/models/photos/concepts/${ids['young owner']}/evaluate`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ items: 41, present: 8, absent: 29, unresolved: 4 });
      const u = await t.request('PATCH', `/models/photos/concepts/${ids['young owner']}`, { condition: { any: [{ fact: 'age', operator: 'lessThan', value: 20 }, { fact: 'age', operator: 'greaterThanInclusive', value: 50 }] } });
      // age 18, 19 (p0, p1), 19 (p40) and 50..53 (p32..p35)
      expect(u.body.evaluation).toMatchObject({ present: 7, absent: 30 });
      const bad = await t.request('PATCH', `/models/photos/concepts/${ids['young owner']}`, { condition: { any: [] } });
      expect(bad.body.error).toMatchObject({ code: 'invalid_input', details: { field: 'condition.any' } });
    });
    it('only attribute concepts are evaluated; they cannot be merged', async () => {
      const r = await t.request('POST', `/models/photos/concepts/${ids['dark photo']}/evaluate`);
      expect(r.status).toBe(422);
      const m = await t.request('POST', `/models/photos/concepts/${ids['young owner']}/merge`, { into: ids['dark photo'] });
      expect(m.status).toBe(422);
      expect(m.body.error.details.field).toBe('id');
    });
  });

  describe('typeahead', () => {
    it('suggests by name prefix, alias, later word and near spelling', async () => {
      const s = async (q: string) => (await t.request('GET', `/models/photos/concepts/suggest?q=${encodeURIComponent(q)}`)).body;
      expect((await s('too'))[0]).toMatchObject({ id: ids['dark photo'], name: 'dark photo', matched: 'too dark', via: 'alias', status: 'accepted' });
      expect((await s('foc')).map((x: { name: string }) => x.name)).toEqual(['out of focus']);
      expect((await s('drak')).map((x: { name: string }) => x.name)).toContain('dark photo');
      expect(await s('zebra')).toEqual([]);
    });
    it('400 without q or with a bad limit', async () => {
      expect((await t.request('GET', '/models/photos/concepts/suggest')).body.error.details.field).toBe('q');
      expect((await t.request('GET', '/models/photos/concepts/suggest?q=a&limit=0')).body.error.details.field).toBe('limit');
    });
  });

  describe('failure reports and proposals', () => {
    const report = (externalId: string, text: string, extra: Record<string, unknown> = {}) =>
      t.request('POST', '/models/photos/failure-reports', { externalId, annotatorId: ids.stake, text, ...extra });

    it('normalizes the report: known concepts become mentions, the rest proposed concepts; the item waits for a campaign', async () => {
      const r = await report('p3', 'way too dark, dim lighting', { correctLabel: 'dog' });
      expect(r.status).toBe(201);
      expect(r.body.report).toMatchObject({ externalId: 'p3', status: 'open', campaignId: null, correctLabel: 'dog' });
      expect(r.body.freeText.matched).toEqual([expect.objectContaining({ conceptId: ids['dark photo'], name: 'dark photo', kind: 'stem' })]);
      expect(r.body.freeText.proposed).toEqual([expect.objectContaining({ name: 'dim lighting', created: true })]);
      ids['dim lighting'] = r.body.freeText.proposed[0].conceptId;
      expect((await t.request('GET', `/models/photos/concepts/${ids['dark photo']}`)).body.mentions).toBe(1);
      const open = await t.request('GET', '/models/photos/failure-reports?status=open');
      expect(open.body.map((x: { externalId: string }) => x.externalId)).toEqual(['p3']);
    });
    it('a later phrasing with the same stems is a mention of the same proposal', async () => {
      const r = await report('p4', 'the lighting is dim');
      expect(r.body.freeText.matched).toEqual([expect.objectContaining({ conceptId: ids['dim lighting'] })]);
      await report('p5', 'low light');
      await report('p6', 'weird reflections');
    });
    it('groups similar proposals (TF-IDF cosine) with their mention counts', async () => {
      const r = await t.request('GET', '/models/photos/concepts/proposals');
      expect(r.status).toBe(200);
      expect(r.body[0]).toMatchObject({ label: 'dim lighting / low light', mentions: 3 });
      expect(r.body[0].concepts.map((c: { name: string }) => c.name).sort()).toEqual(['dim lighting', 'low light']);
      expect(r.body[1]).toMatchObject({ label: 'weird reflections', mentions: 1, suggestedTarget: null });
      expect((await t.request('GET', '/models/photos/concepts/proposals?threshold=2')).body.error.details.field).toBe('threshold');
    });
    it.each([
      ['an unknown item', { externalId: 'zzz' }, 404, 'externalId'],
      ['an unknown annotator', { annotatorId: 9999 }, 404, 'annotatorId'],
      ['a label outside the classes', { correctLabel: 'bird' }, 422, 'correctLabel'],
      ['blank text', { text: '  ' }, 400, 'text'],
    ])('refuses a report with %s', async (_n, extra, status, field) => {
      const r = await t.request('POST', '/models/photos/failure-reports', { externalId: 'p1', annotatorId: ids.stake, text: 'wrong', ...extra });
      expect(r.status).toBe(status);
      expect(r.body.error.details.field).toBe(field);
    });
    it('400 on a bad status filter', async () => {
      expect((await t.request('GET', '/models/photos/failure-reports?status=done')).body.error.details.field).toBe('status');
    });
  });

  describe('merging', () => {
    it('merges proposals into an accepted concept: mentions follow, names become aliases, the proposal is merged', async () => {
      await t.request('POST', `/models/photos/concepts/${ids['dim lighting']}/accept`);
      const low = (await t.request('GET', '/models/photos/concepts?status=proposed')).body.find((c: { name: string }) => c.name === 'low light');
      const r = await t.request('POST', `/models/photos/concepts/${low.id}/merge`, { into: ids['dim lighting'] });
      expect(r.status).toBe(200);
      expect(r.body.moved).toMatchObject({ mentions: 1, answers: 0 });
      expect(r.body.merged).toMatchObject({ status: 'merged', mergedInto: { id: ids['dim lighting'], name: 'dim lighting' } });
      expect(r.body.concept).toMatchObject({ name: 'dim lighting', mentions: 3, aliases: ['low light'] });
      expect(r.body.concept.history.at(-1)).toMatchObject({ event: 'absorbed', concept: { id: low.id, name: 'low light' } });
      // Free text naming the merged concept now counts for its target.
      const again = await t.request('POST', '/models/photos/failure-reports', { externalId: 'p7', annotatorId: ids.stake, text: 'low light' });
      expect(again.body.freeText.matched).toEqual([expect.objectContaining({ conceptId: ids['dim lighting'] })]);
      ids['low light'] = low.id;
    });
    it.each([
      ['into itself', () => ids['dark photo'], () => ({ into: ids['dark photo'] }), 400, 'into'],
      ['into an unknown concept', () => ids['dark photo'], () => ({ into: 99999 }), 404, 'into'],
      ['a merged concept again', () => ids['low light'], () => ({ into: ids['dark photo'] }), 409, 'id'],
      ['into a merged concept', () => ids['dark photo'], () => ({ into: ids['low light'] }), 409, 'into'],
      ['without a target', () => ids['dark photo'], () => ({}), 400, 'into'],
    ])('refuses to merge %s', async (_n, id, body, status, field) => {
      const r = await t.request('POST', `/models/photos/concepts/${id()}/merge`, body());
      expect(r.status).toBe(status);
      expect(r.body.error.details.field).toBe(field);
    });
    it('a merged concept cannot be renamed, accepted or retired', async () => {
      for (const action of ['accept', 'retire']) expect((await t.request('POST', `/models/photos/concepts/${ids['low light']}/${action}`)).status).toBe(409);
      expect((await t.request('POST', `/models/photos/concepts/${ids['low light']}/rename`, { name: 'lowlight' })).status).toBe(409);
    });
  });

  it('documents every route in OpenAPI', async () => {
    const paths = Object.keys((await t.request('GET', '/openapi.json')).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/models/{name}/concepts',
        '/models/{name}/concepts/proposals',
        '/models/{name}/concepts/suggest',
        '/models/{name}/concepts/{id}',
        '/models/{name}/concepts/{id}/accept',
        '/models/{name}/concepts/{id}/rename',
        '/models/{name}/concepts/{id}/merge',
        '/models/{name}/concepts/{id}/retire',
        '/models/{name}/concepts/{id}/evaluate',
        '/models/{name}/failure-reports',
      ]),
    );
  });
});
