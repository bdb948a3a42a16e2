import fc from 'fast-check';
import type { PoolClient } from 'pg';
import type { PredictionRow } from '../../src/core/predictions/prediction-row';
import { Database } from '../../src/database/database';
import { openSink, type DirectWriteOptions, type PredictionSink } from '../../src/predictions/import-sink';
import { writeBatch } from '../../src/predictions/prediction-writer';
import { startTestApp, type TestApp } from '../support/test-app';

// The streamed-import writer straight, inside transactions of its own: which way each row goes
// (straight into predictions, or staged and upserted at the end), that both ways leave the same
// rows, and how it behaves beside concurrent writers. The same on both databases.

// The embedded database has one connection, so its transactions never overlap: the tests of
// concurrent writers need a server.
const onPostgres = process.env.DATABASE_URL ? it : it.skip;

const row = (externalId: string, over: Partial<PredictionRow> = {}): PredictionRow => ({
  externalId,
  predicted: 'a',
  confidence: 0.6,
  probabilities: null,
  label: null,
  split: 'test',
  predictedAt: null,
  attributes: null,
  text: null,
  ...over,
});

/** A spread of rows: labels, given times, attributes, text with tabs and newlines, probabilities. */
const variety = (prefix: string): PredictionRow[] => [
  row(`${prefix}1`, { label: 'a' }),
  row(`${prefix}2`, { predictedAt: '2026-01-02T03:04:05.000Z', label: 'b' }),
  row(`${prefix}3`, { attributes: { age: 40, tags: ['x', 'y'], note: 'tab\there' }, split: 'validation' }),
  row(`${prefix}4`, { text: 'line one\nline two\\ with a backslash\r\tand a tab', predicted: 'b', confidence: 1 }),
  row(`${prefix}5`, { probabilities: { a: 0.25, b: 0.75 }, predicted: 'b', confidence: 0.75, split: 'production' }),
  row(`${prefix}6`, { externalId: `${prefix}6 ünï\u2028`, confidence: 0 }),
  row(`${prefix}7`, { label: 'b', attributes: {} }),
];

describe('prediction writer (streamed-import sink)', () => {
  let t: TestApp;
  let db: Database;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(Database);
    for (const name of ['empty-a', 'repeats', 'seeded', 'race', 'race-import', 'equal-a', 'equal-b', 'switch-a', 'switch-b', 'deferred', 'line-break', 'busy', 'slow']) {
      expect((await t.request('POST', '/models', { name, classes: ['a', 'b'] })).status).toBe(201);
      ids[name] = (await db.dataSource.query(`SELECT id FROM models WHERE name = $1`, [name]))[0].id;
    }
  });
  afterAll(() => t.close());

  /** Runs one import of `chunks` through a sink, returning the modes it went through and its counts. */
  const importChunks = (model: string, chunks: PredictionRow[][], options?: DirectWriteOptions) =>
    db.transaction(async (_r, client) => {
      const sink = await openSink(db, client, ids[model], options);
      const modes: Array<PredictionSink['mode']> = [sink.mode];
      for (const c of chunks) {
        await sink.add(c);
        modes.push(sink.mode);
      }
      return { modes, counts: await sink.finish() };
    });

  /** The model's rows as the API would show them, with "is it this transaction's now()" for the times. */
  const rowsOf = (model: string, prefix: string) =>
    db.dataSource.query(
        `SELECT substr(external_id, length($2) + 1) AS id, attributes, text, predicted, confidence, probabilities, label, split,
                CASE WHEN predicted_at = updated_at THEN 'now' ELSE to_char(predicted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') END AS predicted_at,
                CASE WHEN labeled_at IS NULL THEN NULL WHEN labeled_at = updated_at THEN 'now' ELSE 'other' END AS labeled_at
           FROM predictions WHERE model_id = $1 ORDER BY external_id`,
      [ids[model], prefix],
    );

  /** A transaction that stops where its work calls `pause()` until `release()`: a writer held open beside others. */
  const pausedTransaction = <T>(work: (client: PoolClient, pause: () => Promise<void>) => Promise<T>) => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const paused = new Promise<void>((r) => (reached = r));
    const done = db.transaction((_r, client) =>
      work(client, () => {
        reached();
        return held;
      }),
    );
    return { paused, release, done };
  };

  it('the first import into an empty model copies directly; into a model with rows it stages; both leave the same rows', async () => {
    const rows = variety('v');
    const direct = await importChunks('equal-a', [rows.slice(0, 3), rows.slice(3, 6), rows.slice(6)]);
    // One unrelated row first, so the model is not empty.
    await db.transaction((_r, c) => writeBatch(c, ids['equal-b'], [row('zz-other')]));
    const staged = await importChunks('equal-b', [rows.slice(0, 3), rows.slice(3, 6), rows.slice(6)]);
    expect(direct.modes).toEqual(['direct', 'direct', 'direct', 'direct']);
    expect(staged.modes).toEqual(['staged', 'staged', 'staged', 'staged']);
    expect(direct.counts).toEqual({ inserted: 7, updated: 0 });
    expect(staged.counts).toEqual({ inserted: 7, updated: 0 });
    const a = await rowsOf('equal-a', 'v');
    const b = (await rowsOf('equal-b', 'v')).filter((r: { id: string }) => !r.id.startsWith('z'));
    expect(a).toHaveLength(7);
    expect(a).toEqual(b);
    expect(a[0]).toMatchObject({ id: '1', label: 'a', labeled_at: 'now', predicted_at: 'now' });
    expect(a[1]).toMatchObject({ id: '2', predicted_at: '2026-01-02T03:04:05', labeled_at: 'now' });
    expect(a[3].text).toBe('line one\nline two\\ with a backslash\r\tand a tab');
    expect(a[2].attributes).toEqual({ age: 40, tags: ['x', 'y'], note: 'tab\there' });
    expect(a[5].id).toBe('6 ünï\u2028');
  });

  it('a repeat after direct chunks is staged, new ids still go directly, and the last occurrence wins whole', async () => {
    const { modes, counts } = await importChunks('repeats', [
      [row('r1', { label: 'a', attributes: { k: 1 } }), row('r2'), row('r3')],
      [row('r4'), row('r5', { label: 'b' })],
      [row('r6'), row('r1', { predicted: 'b', confidence: 0.9 })], // r1 again, without label or attributes
      [row('r7'), row('r5', { confidence: 0.7 }), row('r5', { confidence: 0.8, label: 'a' })],
    ]);
    expect(modes.every((m) => m === 'direct')).toBe(true);
    expect(counts).toEqual({ inserted: 7, updated: 3 });
    const got = await rowsOf('repeats', 'r');
    expect(got.map((r: { id: string }) => r.id)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(got[0]).toMatchObject({ predicted: 'b', confidence: 0.9, label: null, labeled_at: null, attributes: null });
    expect(got[4]).toMatchObject({ confidence: 0.8, label: 'a', labeled_at: 'now' });
  });

  it('a later import into the model updates through the staged upsert, keeping labels it does not carry', async () => {
    await importChunks('seeded', [[row('s1', { label: 'a' }), row('s2')]]);
    const { modes, counts } = await importChunks('seeded', [[row('s1', { confidence: 0.9 }), row('s3')]]);
    expect(modes).toEqual(['staged', 'staged']);
    expect(counts).toEqual({ inserted: 1, updated: 1 });
    expect((await rowsOf('seeded', 's'))[0]).toMatchObject({ id: '1', confidence: 0.9, label: 'a' });
  });

  it('into a model with rows, once enough rows are staged it reads the ids and copies new ones directly; the rows equal an all-staged import', async () => {
    const existing = [row('w1', { label: 'a', attributes: { old: true } }), row('w2', { label: 'b' }), row('w3', { text: 'kept' })];
    const chunks = [
      [row('w1'), row('n1', { label: 'a' }), row('n2')], // all staged: the sink has not read the ids yet
      [row('n3'), row('n4'), row('w2', { confidence: 0.9 })], // w2 is the model's: staged
      [row('n5'), row('n1', { predicted: 'b' }), row('n6', { attributes: { k: 2 } })], // n1 repeats a staged row
      [row('n7'), row('w1', { confidence: 0.7 }), row('n3', { label: 'b' })], // n3 repeats a direct row
    ];
    for (const m of ['switch-a', 'switch-b']) await db.transaction((_r, c) => writeBatch(c, ids[m], existing));
    const adaptive = await importChunks('switch-a', chunks, { stagedRowsBeforeDirect: 3 });
    const staged = await importChunks('switch-b', chunks, { stagedRowsBeforeDirect: Number.POSITIVE_INFINITY });
    expect(adaptive.modes).toEqual(['staged', 'direct', 'direct', 'direct', 'direct']);
    expect(staged.modes.every((m) => m === 'staged')).toBe(true);
    expect(adaptive.counts).toEqual({ inserted: 7, updated: 5 });
    expect(staged.counts).toEqual(adaptive.counts);
    const a = await rowsOf('switch-a', '');
    expect(a).toEqual(await rowsOf('switch-b', ''));
    const byId = Object.fromEntries(a.map((r: { id: string }) => [r.id, r]));
    expect(byId.w1).toMatchObject({ confidence: 0.7, label: 'a', attributes: { old: true } }); // merged with the stored row
    expect(byId.w2).toMatchObject({ confidence: 0.9, label: 'b' });
    expect(byId.n1).toMatchObject({ predicted: 'b', label: null, labeled_at: null }); // last occurrence whole
    expect(byId.n3).toMatchObject({ label: 'b', labeled_at: 'now' });
    expect(byId.n6.attributes).toEqual({ k: 2 });
  });

  it('property: any import, chunked any way, into a model with or without rows, leaves what an all-staged import leaves', async () => {
    const idArb = fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8');
    const rowArb = fc.record({
      id: idArb,
      label: fc.constantFrom(null, 'a', 'b'),
      confidence: fc.constantFrom(0.5, 0.7, 0.9),
      attr: fc.constantFrom(null, 1, 2),
    });
    const toRow = (r: { id: string; label: string | null; confidence: number; attr: number | null }) =>
      row(r.id, { label: r.label, confidence: r.confidence, attributes: r.attr === null ? null : { v: r.attr } });
    let run = 0;
    let wentDirect = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 4 }),
        fc.array(fc.array(rowArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(1, 2, 4),
        async (before, chunks, after) => {
          run++;
          const [a, b] = [`prop-${run}-a`, `prop-${run}-b`];
          for (const name of [a, b]) {
            await t.request('POST', '/models', { name, classes: ['a', 'b'] });
            ids[name] = (await db.dataSource.query(`SELECT id FROM models WHERE name = $1`, [name]))[0].id;
            if (before.length > 0) await importChunks(name, [before.map(toRow)]);
          }
          // The reference holds one more row, under an id no import uses, so it is never empty
          // and, never reading ids, stages everything.
          await db.transaction((_r, c) => writeBatch(c, ids[b], [row('q-other')]));
          const rows = chunks.map((c) => c.map(toRow));
          const got = await importChunks(a, rows, { stagedRowsBeforeDirect: after });
          const reference = await importChunks(b, rows, { stagedRowsBeforeDirect: Number.POSITIVE_INFINITY });
          expect(reference.modes.every((m) => m === 'staged')).toBe(true);
          if (got.modes.includes('direct')) wentDirect++;
          expect(got.counts).toEqual(reference.counts);
          expect(await rowsOf(a, '')).toEqual((await rowsOf(b, '')).filter((r: { id: string }) => r.id !== 'q-other'));
        },
      ),
      { numRuns: 40 },
    );
    expect(wentDirect).toBeGreaterThan(10);
  });

  it('waits to read the ids of a big model until a tenth as many rows were staged', async () => {
    await db.transaction((_r, c) => writeBatch(c, ids['deferred'], Array.from({ length: 50 }, (_, i) => row(`old-${i}`))));
    const chunk = (k: number) => [row(`d${k}-1`), row(`d${k}-2`), row(`d${k}-3`)];
    const { modes, counts } = await importChunks('deferred', [chunk(1), chunk(2), chunk(3)], { stagedRowsBeforeDirect: 1 });
    // 3 staged < 50 / 10: wait until 5 are; after the second chunk 6 are, so the ids are read.
    expect(modes).toEqual(['staged', 'staged', 'direct', 'direct']);
    expect(counts).toEqual({ inserted: 9, updated: 0 });
  });

  it('stays staged when an id of the model holds a line break (ids could not be told apart)', async () => {
    await db.transaction((_r, c) => writeBatch(c, ids['line-break'], [row('two\nlines'), row('two')]));
    const { modes, counts } = await importChunks('line-break', [[row('lines'), row('x1')], [row('two', { confidence: 0.9 }), row('x2')]], { stagedRowsBeforeDirect: 1 });
    expect(modes.every((m) => m === 'staged')).toBe(true);
    expect(counts).toEqual({ inserted: 3, updated: 1 });
    const byId = Object.fromEntries((await rowsOf('line-break', '')).map((r: { id: string; confidence: number }) => [r.id, r.confidence]));
    expect(byId).toEqual({ two: 0.9, 'two\nlines': 0.6, lines: 0.6, x1: 0.6, x2: 0.6 });
  });

  onPostgres('stays staged while another writer of the model is open, and commits after it', async () => {
    await db.transaction((_r, c) => writeBatch(c, ids['busy'], [row('b0')]));
    const other = pausedTransaction(async (c, pause) => {
      const counts = await writeBatch(c, ids['busy'], [row('b1')]);
      await pause();
      return counts;
    });
    await other.paused;
    const result = await importChunks('busy', [[row('b2'), row('b3')], [row('b4')]], { stagedRowsBeforeDirect: 1 }); // a staged import does not wait for the other writer
    other.release();
    await other.done;
    expect(result.modes).toEqual(['staged', 'staged', 'staged']);
    expect(result.counts).toEqual({ inserted: 3, updated: 0 });
  });

  onPostgres('a batch waiting more than 2 s for a direct import answers 409 and writes nothing', async () => {
    const importing = pausedTransaction(async (client, pause) => {
      const sink = await openSink(db, client, ids['slow']);
      await sink.add([row('s1')]);
      await pause();
      return sink.finish();
    });
    await importing.paused;
    const t0 = Date.now();
    await expect(db.transaction((_r, c) => writeBatch(c, ids['slow'], [row('s2')]))).rejects.toMatchObject({ code: 'conflict' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    importing.release();
    expect(await importing.done).toEqual({ inserted: 1, updated: 0 });
    expect((await rowsOf('slow', 's')).map((r: { id: string }) => r.id)).toEqual(['1']);
  });

  onPostgres('a batch for the model waits for a direct import to commit, then updates what it wrote', async () => {
    // Without the lock the batch would commit x3 at once and the import's COPY of x3 would fail.
    const importing = pausedTransaction(async (client, pause) => {
      const sink = await openSink(db, client, ids['race']);
      await sink.add([row('x1'), row('x2')]);
      await pause();
      await sink.add([row('x3')]);
      return { mode: sink.mode, counts: await sink.finish() };
    });
    await importing.paused;
    let batchDone = false;
    const batch = db.transaction((_r, c) => writeBatch(c, ids['race'], [row('x3', { label: 'b' })])).then((r) => {
      batchDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(batchDone).toBe(false);
    importing.release();
    expect(await importing.done).toEqual({ mode: 'direct', counts: { inserted: 3, updated: 0 } });
    expect(await batch).toEqual({ inserted: 0, updated: 1 });
    expect((await rowsOf('race', 'x'))[2]).toMatchObject({ id: '3', label: 'b' });
  });

  onPostgres('a second import started during a direct one stages, after it commits', async () => {
    const first = pausedTransaction(async (client, pause) => {
      const sink = await openSink(db, client, ids['race-import']);
      await sink.add([row('y1', { label: 'a' })]);
      await pause();
      return sink.finish();
    });
    await first.paused;
    const second = importChunks('race-import', [[row('y1', { confidence: 0.95 }), row('y2')]]);
    await new Promise((r) => setTimeout(r, 300));
    first.release();
    expect(await first.done).toEqual({ inserted: 1, updated: 0 });
    const { modes, counts } = await second;
    expect(modes).toEqual(['staged', 'staged']);
    expect(counts).toEqual({ inserted: 1, updated: 1 });
    expect((await rowsOf('race-import', 'y'))[0]).toMatchObject({ confidence: 0.95, label: 'a' });
  });

  it('a COPY the database refuses fails its transaction, which rolls back, and the connection keeps working', async () => {
    // On the embedded database the COPY runs in-process beside the socket's transaction (Database.copyIn).
    await expect(
      db.transaction(async (_r, client) => {
        await db.copyIn(client, `predictions (model_id, external_id, predicted, confidence, split)`, `${ids['empty-a']}\tok\ta\t0.5\ttest\n`);
        await db.copyIn(client, `predictions (model_id, external_id, predicted, confidence, split)`, `${ids['empty-a']}\tbad\ta\t5\ttest\n`);
      }),
    ).rejects.toThrow(/check constraint/);
    expect(await rowsOf('empty-a', '')).toEqual([]);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM predictions WHERE model_id = $1`, [ids['empty-a']]);
    expect(n).toBe(0);
  });

  it('a failed import leaves nothing, and the model still takes a direct import afterwards', async () => {
    await expect(
      db.transaction(async (_r, client) => {
        const sink = await openSink(db, client, ids['empty-a']);
        await sink.add([row('e1'), row('e2')]);
        throw new Error('a bad row later in the stream');
      }),
    ).rejects.toThrow('a bad row');
    expect(await rowsOf('empty-a', 'e')).toEqual([]);
    const { modes } = await importChunks('empty-a', [[row('e1')]]);
    expect(modes).toEqual(['direct', 'direct']);
    expect(await rowsOf('empty-a', 'e')).toHaveLength(1);
  });
});
