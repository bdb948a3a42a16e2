import { Readable } from 'node:stream';
import type { PredictionRow } from '../../src/core/predictions/prediction-row';
import { Database } from '../../src/database/database';
import { writeBatch } from '../../src/predictions/prediction-writer';
import { startTestApp, type TestApp } from '../support/test-app';


describe('service foundation (models, cost policies, predictions)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const model = { name: 'income', description: 'census', classes: ['<=50K', '>50K'], costPolicy: { K: 9 } };

  describe('health and docs', () => {
    it('reports the database state', async () => {
      const r = await t.request('GET', '/health');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'ok', database: { kind: t.kind, status: 'up' } });
    });
    it('serves the OpenAPI document with every route', async () => {
      const r = await t.request('GET', '/openapi.json');
      expect(r.status).toBe(200);
      expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/models', '/models/{name}', '/models/{name}/predictions/import', '/models/{name}/labels', '/health']));
      expect((await t.request('GET', '/docs')).status).toBe(200);
    });
  });

  describe('models', () => {
    it('creates a model and returns its policy with T*', async () => {
      const r = await t.request('POST', '/models', model);
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ name: 'income', classes: ['<=50K', '>50K'], costPolicy: { version: 1, V: 1, D: -1, W: -9, tStar: 0.8 } });
      const g = await t.request('GET', '/models/income');
      expect(g.body.costPolicy.tStar).toBeCloseTo(0.8, 12);
      const list = await t.request('GET', '/models');
      expect(list.body.map((m: { name: string }) => m.name)).toContain('income');
    });
    it('versions policy changes and keeps the history', async () => {
      const r = await t.request('PUT', '/models/income/cost-policy', { V: 2, D: 0, W: -8, classValues: { '>50K': 4 } });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ version: 2, tStar: 0.8, tStarByClass: { '<=50K': 0.8, '>50K': 8 / 12 } });
      const h = await t.request('GET', '/models/income/cost-policy/history');
      expect(h.body.map((p: { version: number }) => p.version)).toEqual([2, 1]);
      const listed = (await t.request('GET', '/models')).body.find((m: { name: string }) => m.name === 'income');
      expect(listed.costPolicy).toMatchObject({ version: 2, V: 2, D: 0, W: -8 });
      expect(h.body[1]).toMatchObject({ W: -9, tStar: 0.8 });
      expect((await t.request('GET', '/models/income')).body.costPolicy.version).toBe(2);
    });
    it.each([
      ['missing classes', { name: 'x' }, 'classes'],
      ['one class', { name: 'x', classes: ['a'] }, 'classes'],
      ['bad name', { name: 'a b', classes: ['a', 'b'] }, 'name'],
      ['unknown field', { name: 'x', classes: ['a', 'b'], colour: 1 }, 'colour'],
      ['W and K', { name: 'x', classes: ['a', 'b'], costPolicy: { W: -1, K: 2 } }, 'costPolicy.K'],
      ['policy class unknown', { name: 'x', classes: ['a', 'b'], costPolicy: { classValues: { c: 1 } } }, 'costPolicy.classValues.c'],
      ['misspelt policy field', { name: 'x', classes: ['a', 'b'], costPolicy: { k: 9 } }, 'costPolicy.k'],
    ])('400 naming the field: %s', async (_n, body, field) => {
      const r = await t.request('POST', '/models', body);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'invalid_input', details: { field } });
    });
    it('400 when a policy update is not an object or names an unknown field', async () => {
      for (const [body, field] of [[[1], 'costPolicy'], [{ V: 1, d: -2 }, 'costPolicy.d']] as const) {
        const r = await t.request('PUT', '/models/income/cost-policy', body);
        expect(r.status).toBe(400);
        expect(r.body.error.details.field).toBe(field);
      }
      expect((await t.request('GET', '/models/income/cost-policy/history')).body).toHaveLength(2);
    });
    it('409 on a duplicate name, 404 on an unknown model', async () => {
      expect((await t.request('POST', '/models', model)).body.error.code).toBe('conflict');
      const r = await t.request('GET', '/models/nope');
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    });
    it('reads JSON bodies as Fastify does: UTF-8 text and a BOM kept, an empty body or a __proto__ key refused', async () => {
      const json = { 'content-type': 'application/json' };
      const created = await t.request('POST', '/models', '\ufeff' + JSON.stringify({ name: 'utf8-body', classes: ['oui', 'très'], description: 'photo sombre — 暗い' }), json);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ classes: ['oui', 'très'], description: 'photo sombre — 暗い' });
      const empty = await t.request('POST', '/models', '', json);
      expect([empty.status, empty.body.error.code, empty.body.error.message]).toEqual([400, 'malformed_body', 'the JSON body is empty']);
      for (const body of ['{"name":"p","classes":["a","b"],"__proto__":{"x":1}}', '{"name":"p","classes":["a","b"],"constructor":{"prototype":{}}}']) {
        const r = await t.request('POST', '/models', body, json);
        expect([r.status, r.body.error.code]).toEqual([400, 'malformed_body']);
      }
    });
    it('400 on malformed JSON, 415 on an unsupported type, 413 on a huge body', async () => {
      expect((await t.request('POST', '/models', '{bad', { 'content-type': 'application/json' })).body.error.code).toBe('malformed_body');
      expect((await t.request('POST', '/models', 'x', { 'content-type': 'text/plain' })).status).toBe(415);
      const huge = JSON.stringify({ name: 'x', classes: ['a', 'b'], description: 'x'.repeat(t.config.jsonBodyLimit) });
      const r = await t.request('POST', '/models', huge, { 'content-type': 'application/json' });
      expect(r.status).toBe(413);
      expect(r.body.error.code).toBe('payload_too_large');
    });
  });

  describe('predictions', () => {
    const p = (id: string, extra: Record<string, unknown> = {}) => ({ externalId: id, predicted: '>50K', confidence: 0.9, ...extra });

    it('creates one prediction and reads it back', async () => {
      const r = await t.request('POST', '/models/income/predictions?split=test', p('a1', { attributes: { age: 40 }, text: 'hello', probabilities: { '>50K': 0.9, '<=50K': 0.1 } }));
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ externalId: 'a1', split: 'test', confidence: 0.9, attributes: { age: 40 }, text: 'hello', label: null });
    });
    it('re-sending an external id updates, never duplicates, and keeps a known label', async () => {
      await t.request('POST', '/models/income/labels', { labels: [{ externalId: 'a1', label: '<=50K' }] });
      const r = await t.request('POST', '/models/income/predictions/batch?split=test', { predictions: [p('a1', { confidence: 0.6 }), p('a2'), p('a2', { confidence: 0.7 })] });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ rows: 3, inserted: 1, updated: 2 });
      const a1 = (await t.request('GET', '/models/income/predictions/a1')).body;
      expect(a1).toMatchObject({ confidence: 0.6, label: '<=50K' });
      expect((await t.request('GET', '/models/income/predictions/a2')).body.confidence).toBe(0.7);
      const page = await t.request('GET', '/models/income/predictions?split=test&limit=10');
      expect(page.body.items.map((i: { externalId: string }) => i.externalId)).toEqual(['a1', 'a2']);
    });
    it.each([
      ['confidence out of range', p('b1', { confidence: 1.2 }), 400, 'invalid_input', 'predictions[1].confidence'],
      ['probabilities not summing to 1', p('b1', { probabilities: { '>50K': 0.9, '<=50K': 0.2 } }), 400, 'invalid_input', 'predictions[1].probabilities'],
      ['probabilities without the predicted class', p('b1', { probabilities: { '<=50K': 1 } }), 400, 'invalid_input', 'predictions[1].probabilities'],
      ['unknown predicted class', p('b1', { predicted: 'cat' }), 422, 'unknown_class', 'predictions[1].predicted'],
      ['unknown label class', p('b1', { label: 'dog' }), 422, 'unknown_class', 'predictions[1].label'],
      ['bad split', p('b1', { split: 'dev' }), 400, 'invalid_input', 'predictions[1].split'],
      ['missing externalId', { predicted: '>50K', confidence: 0.5 }, 400, 'invalid_input', 'predictions[1].externalId'],
    ])('a bad row rejects the whole batch: %s', async (_n, bad, status, code, field) => {
      const r = await t.request('POST', '/models/income/predictions/batch', { predictions: [p('ok-1'), bad] });
      expect(r.status).toBe(status);
      expect(r.body.error).toMatchObject({ code, details: { field, row: 2 } });
      expect((await t.request('GET', '/models/income/predictions/ok-1')).status).toBe(404);
    });
    it('404 for predictions of an unknown model', async () => {
      expect((await t.request('POST', '/models/nope/predictions/batch', { predictions: [p('x')] })).status).toBe(404);
    });

    it('streams a CSV import with probabilities and attributes', async () => {
      const lines = ['id,predicted,confidence,label,age,occupation,prob:>50K,prob:<=50K'];
      for (let i = 0; i < 12_000; i++) lines.push(`c${i},>50K,0.8,${i % 2 ? '>50K' : '<=50K'},${20 + (i % 50)},"Sales, retail",0.8,0.2`);
      const r = await t.request('POST', '/models/income/predictions/import?split=validation', lines.join('\n') + '\n', { 'content-type': 'text/csv' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ rows: 12_000, inserted: 12_000, rejected: 0 });
      const c7 = (await t.request('GET', '/models/income/predictions/c7')).body;
      expect(c7).toMatchObject({ split: 'validation', label: '>50K', attributes: { age: 27, occupation: 'Sales, retail' }, probabilities: { '>50K': 0.8, '<=50K': 0.2 } });
      const s = (await t.request('GET', '/models/income/predictions/summary')).body;
      expect(s.splits.find((x: { split: string }) => x.split === 'validation')).toMatchObject({ count: 12_000, labeled: 12_000, correct: 6_000, accuracy: 0.5 });
    });
    it('streams NDJSON; a bad row late in the stream rejects the whole import with its row number', async () => {
      const rows = Array.from({ length: 7_000 }, (_, i) => JSON.stringify(p(`n${i}`, i === 6_500 ? { confidence: 'high' } : {})));
      const r = await t.request('POST', '/models/income/predictions/import', rows.join('\n'), { 'content-type': 'application/x-ndjson' });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'invalid_input', details: { row: 6_501, line: 6_501, field: 'rows[6501].confidence' } });
      expect((await t.request('GET', '/models/income/predictions/n0')).status).toBe(404);
    });
    it('skips bad rows when asked, and reports them', async () => {
      const body = [p('s1'), p('s2', { predicted: 'cat' }), p('s3')].map((x) => JSON.stringify(x)).join('\n');
      const r = await t.request('POST', '/models/income/predictions/import?onInvalid=skip', body, { 'content-type': 'application/x-ndjson' });
      expect(r.body).toMatchObject({ rows: 2, inserted: 2, rejected: 1, rejects: [{ row: 2, code: 'unknown_class', field: 'rows[2].predicted' }] });
    });
    it.each([
      ['a NUL in the external id', { externalId: 'a\u0000' }, 'externalId'],
      ['a lone surrogate in the external id', { externalId: 'a\ud800' }, 'externalId'],
      ['a lone surrogate in the text', { text: 'x\udc00' }, 'text'],
      ['a NUL deep in the attributes', { attributes: { a: { b: ['ok', 'x\u0000'] } } }, 'attributes.a.b[1]'],
      ['a lone surrogate in an attribute key', { attributes: { ['k\ud800']: 1 } }, 'attributes (a key)'],
    ])('400 naming the field for text the database cannot store: %s (batch, import, labels)', async (_n, over, field) => {
      const row = { ...p('u1'), ...over };
      const batch = await t.request('POST', '/models/income/predictions/batch', { predictions: [p('u0'), row] });
      expect(batch.status).toBe(400);
      expect(batch.body.error).toMatchObject({ code: 'invalid_input', details: { field: `predictions[1].${field}` } });
      const imported = await t.request('POST', '/models/income/predictions/import', [p('u0'), row].map((x) => JSON.stringify(x)).join('\n'), { 'content-type': 'application/x-ndjson' });
      expect(imported.status).toBe(400);
      expect(imported.body.error).toMatchObject({ code: 'invalid_input', details: { field: `rows[2].${field}`, row: 2 } });
      expect((await t.request('GET', '/models/income/predictions/u0')).status).toBe(404);
      if (field === 'externalId') {
        const labels = await t.request('POST', '/models/income/labels', { labels: [{ externalId: row.externalId, label: '>50K' }] });
        expect(labels.status).toBe(400);
        expect(labels.body.error.details.field).toBe('labels[0].externalId');
      }
    });
    it.each([
      ['malformed NDJSON', '{"externalId":"q"\n', 'application/x-ndjson', 400, 'malformed_body'],
      ['CSV row with too many fields', 'id,predicted,confidence\nq,>50K,0.5,extra\n', 'text/csv', 400, 'malformed_body'],
      ['unterminated CSV quote', 'id,predicted,confidence\n"q,>50K,0.5\n', 'text/csv', 400, 'malformed_body'],
      ['JSON sent to the import route', '{}', 'application/json', 415, 'unsupported_media_type'],
    ])('import rejects %s', async (_n, body, type, status, code) => {
      const r = await t.request('POST', '/models/income/predictions/import', body, { 'content-type': type });
      expect(r.status).toBe(status);
      expect(r.body.error.code).toBe(code);
    });
    it('accepts a streamed body it never holds whole', async () => {
      const gen = Readable.from(
        (function* () {
          yield 'id,predicted,confidence\n';
          for (let i = 0; i < 3000; i++) yield `st${i},<=50K,0.55\n`;
        })(),
      );
      const res = await t.app.inject({ method: 'POST', url: '/models/income/predictions/import?split=train', payload: gen, headers: { 'content-type': 'text/csv' } });
      expect(JSON.parse(res.body)).toMatchObject({ rows: 3000, inserted: 3000 });
    });

    it('sets labels in bulk, atomically', async () => {
      const bad = await t.request('POST', '/models/income/labels', { labels: [{ externalId: 'c1', label: '<=50K' }, { externalId: 'zzz', label: '>50K' }] });
      expect(bad.status).toBe(422);
      expect(bad.body.error.details.unknownExternalIds).toEqual(['zzz']);
      expect((await t.request('GET', '/models/income/predictions/c1')).body.label).toBe('>50K');
      const cls = await t.request('POST', '/models/income/labels', { labels: [{ externalId: 'c1', label: 'cat' }] });
      expect(cls.status).toBe(422);
      expect(cls.body.error).toMatchObject({ code: 'unknown_class', details: { field: 'labels[0].label' } });
      const ok = await t.request('POST', '/models/income/labels', { labels: [{ externalId: 'c1', label: '<=50K' }, { externalId: 'c3', label: null }] });
      expect(ok.body).toEqual({ updated: 2 });
      expect((await t.request('GET', '/models/income/predictions/c1')).body.label).toBe('<=50K');
      expect((await t.request('GET', '/models/income/predictions/c3')).body.label).toBeNull();
    });
    it('400 on bad query parameters', async () => {
      expect((await t.request('GET', '/models/income/predictions?limit=0')).body.error.details.field).toBe('limit');
      expect((await t.request('GET', '/models/income/predictions?split=dev')).body.error.details.field).toBe('split');
      expect((await t.request('POST', '/models/income/predictions/batch', {})).body.error.details.field).toBe('predictions');
    });
  });
});

describe('streamed import in small chunks (new rows, repeats across chunks, re-sends)', () => {
  // Three rows per chunk, so one import spans several chunks. The first import into the empty
  // model writes rows with new ids straight into predictions and stages the repeats
  // (prediction-writer.e2e-spec.ts checks each way).
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ importChunkRows: 3 });
    await t.request('POST', '/models', { name: 'chunks', classes: ['a', 'b'] });
  });
  afterAll(() => t.close());
  const ndjson = (rows: Array<Record<string, unknown>>) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const get = async (id: string) => (await t.request('GET', `/models/chunks/predictions/${id}`)).body;

  it('counts inserts and updates; within one import the last occurrence of an id wins whole', async () => {
    const rows = [
      { externalId: 'k1', predicted: 'a', confidence: 0.6, label: 'a' },
      { externalId: 'k2', predicted: 'a', confidence: 0.6, predictedAt: '2026-01-02T03:04:05.000Z' },
      { externalId: 'k3', predicted: 'b', confidence: 0.6 },
      { externalId: 'k4', predicted: 'b', confidence: 0.6 },
      { externalId: 'k5', predicted: 'b', confidence: 0.6 },
      { externalId: 'k5', predicted: 'a', confidence: 0.65 }, // a repeat within a chunk
      { externalId: 'k1', predicted: 'b', confidence: 0.9 }, // a repeat from an earlier chunk, without a label
      { externalId: 'k7', predicted: 'a', confidence: 0.7 },
    ];
    const r = await t.request('POST', '/models/chunks/predictions/import?split=test', ndjson(rows), { 'content-type': 'application/x-ndjson' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 8, inserted: 6, updated: 2, rejected: 0 });
    expect(await get('k1')).toMatchObject({ predicted: 'b', confidence: 0.9, label: null, labeledAt: null });
    expect(await get('k5')).toMatchObject({ predicted: 'a', confidence: 0.65 });
    expect((await get('k2')).predictedAt).toBe('2026-01-02T03:04:05.000Z');
    const k3 = await get('k3');
    expect(Date.parse(k3.predictedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(k3.labeledAt).toBeNull();
  });

  it('a later import of known ids updates them, keeping a known label it does not carry', async () => {
    const rows = ['k2', 'k3', 'k8', 'k9'].map((id) => ({ externalId: id, predicted: 'b', confidence: 0.8, label: 'b' }));
    rows.push({ externalId: 'k7', predicted: 'a', confidence: 0.75 } as (typeof rows)[number]);
    const labelled = await t.request('POST', '/models/chunks/labels', { labels: [{ externalId: 'k7', label: 'b' }] });
    expect(labelled.status).toBe(200);
    const r = await t.request('POST', '/models/chunks/predictions/import?split=validation', ndjson(rows), { 'content-type': 'application/x-ndjson' });
    expect(r.body).toMatchObject({ rows: 5, inserted: 2, updated: 3 });
    expect(await get('k3')).toMatchObject({ split: 'validation', confidence: 0.8, label: 'b' });
    expect(await get('k7')).toMatchObject({ confidence: 0.75, label: 'b' });
    const page = await t.request('GET', '/models/chunks/predictions?limit=100');
    expect(page.body.items.filter((i: { externalId: string }) => i.externalId.startsWith('k'))).toHaveLength(8);
  });

  it('a re-send in the very next request still keeps the label (not confused with a repeat in the same request)', async () => {
    // Each pair is sent without waiting in between, so the two transactions run back to back (on
    // PGlite consecutive transactions can share a millisecond now()). Whichever runs first, the
    // label must survive.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const id = `b2b-${i}`;
        return Promise.all([
          t.request('POST', '/models/chunks/predictions/batch', { predictions: [{ externalId: id, predicted: 'a', confidence: 0.6, label: 'a' }] }),
          t.request('POST', '/models/chunks/predictions/import', ndjson([{ externalId: id, predicted: 'b', confidence: 0.7 }]), { 'content-type': 'application/x-ndjson' }),
        ]);
      }),
    );
    for (let i = 0; i < 20; i++) expect((await get(`b2b-${i}`)).label).toBe('a');
  });

  it('back-to-back transactions: a re-send without a label keeps the one the previous transaction wrote', async () => {
    // Straight at the writer, transactions back to back. PGlite's now() counts milliseconds, so
    // "this transaction wrote the row" must not be judged by now() (prediction-writer.ts). Through
    // the socket a transaction takes about a millisecond here, so this rarely catches that old
    // mistake by itself; it pins the behaviour: a later transaction keeps the label.
    const db = t.app.get(Database);
    const modelId = (await db.dataSource.query(`SELECT id FROM models WHERE name = 'chunks'`))[0].id as number;
    const row = (externalId: string, label: string | null): PredictionRow => ({
      externalId, predicted: 'a', confidence: 0.6, probabilities: null, label, split: 'test', predictedAt: null, attributes: null, text: null,
    });
    for (let i = 0; i < 100; i++) {
      // Both queued at once: the second starts the moment the first commits. (On PostgreSQL
      // they may run in either order; the label survives either way.)
      await Promise.all([
        db.transaction((_r, c) => writeBatch(c, modelId, [row(`tx-${i}`, 'b')])),
        db.transaction((_r, c) => writeBatch(c, modelId, [row(`tx-${i}`, null)])),
      ]);
    }
    const kept = await db.dataSource.query(`SELECT count(*)::int AS n FROM predictions WHERE model_id = $1 AND external_id LIKE 'tx-%' AND label = 'b' AND labeled_at IS NOT NULL`, [modelId]);
    expect(kept[0].n).toBe(100);
  });

  it('a bad row in a late chunk leaves nothing of the earlier, already written chunks', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ externalId: `z${i}`, predicted: i === 8 ? 'c' : 'a', confidence: 0.5 }));
    const r = await t.request('POST', '/models/chunks/predictions/import', ndjson(rows), { 'content-type': 'application/x-ndjson' });
    expect(r.status).toBe(422);
    expect((await t.request('GET', '/models/chunks/predictions/z0')).status).toBe(404);
  });
});

describe('embedded database persistence', () => {
  it('keeps data across a restart of the service', async () => {
    if (process.env.DATABASE_URL) return; // the server keeps its own data; this is about the embedded directory
    const first = await startTestApp();
    await first.request('POST', '/models', { name: 'kept', classes: ['a', 'b'] });
    await first.request('POST', '/models/kept/predictions', { externalId: 'k1', predicted: 'a', confidence: 0.5 });
    await first.app.close();
    const second = await startTestApp({}, { dataDir: first.config.dataDir });
    try {
      expect((await second.request('GET', '/models/kept/predictions/k1')).body).toMatchObject({ externalId: 'k1', confidence: 0.5 });
    } finally {
      await second.close();
      await first.close().catch(() => undefined);
    }
  });
});
