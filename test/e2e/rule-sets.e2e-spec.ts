import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { run as rulesImport } from '../../src/cli/commands/rules-import.command';
import { openLocal } from '../../src/cli/local-services';
import type { CaveatRule } from '../../src/core/rejection/rule-model';
import { Database } from '../../src/database/database';
import { RuleSetEvents, type LiveSetChange } from '../../src/rule-sets/rule-set-events';
import { RuleSetStore } from '../../src/rule-sets/rule-set-store';
import { captureOutput } from '../support/capture';
import { startTestApp, type TestApp } from '../support/test-app';

const RULES_DIR = resolve(process.cwd(), 'rules');
const onPostgres = process.env.DATABASE_URL ? it : it.skip;
const onEmbedded = process.env.DATABASE_URL ? it.skip : it;

const rule = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  sentence: `Rule ${id} in words.`,
  action: { type: 'reject' },
  conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] },
  ...extra,
});

/** The shipped rule files as the import endpoint takes them, and how many rules they hold. */
function shippedRuleFiles(): { files: Array<{ name: string; text: string }>; ruleCount: number } {
  const files = readdirSync(RULES_DIR)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => ({ name: `rules/${n}`, text: readFileSync(join(RULES_DIR, n), 'utf8') }));
  const ruleCount = files.reduce((s, f) => {
    const v = JSON.parse(f.text);
    return s + (Array.isArray(v) ? v.length : 1);
  }, 0);
  return { files, ruleCount };
}

type Query = (sql: string, params?: unknown[]) => Promise<any[]>;

/** Whether this database has the concepts table (issue 5), i.e. rule concept names are checked. */
async function hasConceptsTable(query: Query): Promise<boolean> {
  const [{ present }] = await query(`SELECT to_regclass('concepts') IS NOT NULL AS present`);
  return present;
}

/** Adds a caller-flag concept to a model's vocabulary, when there is a vocabulary. */
async function defineConcept(query: Query, model: string, name: string): Promise<void> {
  if (!(await hasConceptsTable(query))) return;
  await query(`INSERT INTO concepts (model_id, name, kind, status) SELECT id, $2, 'caller', 'accepted' FROM models WHERE name = $1`, [model, name]);
}

describe('rule sets: drafts, imports, merges and the lifecycle', () => {
  let t: TestApp;
  let query: Query;
  beforeAll(async () => {
    t = await startTestApp();
    const db = t.app.get(Database);
    query = (sql, params) => db.dataSource.query(sql, params);
    for (const name of ['income', 'other', 'race', 'files']) {
      expect((await t.request('POST', '/models', { name, classes: ['<=50K', '>50K'] })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const draft = async (model: string, rules: unknown[], source = 'expert') => {
    const r = await t.request('POST', `/models/${model}/rule-sets`, { source, rules });
    expect(r.status).toBe(201);
    return r.body.version as number;
  };
  const states = async (model: string): Promise<Record<number, string>> =>
    Object.fromEntries((await t.request('GET', `/models/${model}/rule-sets`)).body.map((s: { version: number; state: string }) => [s.version, s.state]));

  it('documents every route in OpenAPI', async () => {
    const paths = Object.keys((await t.request('GET', '/openapi.json')).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining(
        ['', '/import', '/merge', '/{version}', '/{version}/activate', '/{version}/shadow', '/{version}/retire', '/{version}/revert'].map((p) => `/models/{name}/rule-sets${p}`),
      ),
    );
  });

  describe('drafts', () => {
    it('creates a draft from JSON rules and reads it back ranked as given', async () => {
      const r = await t.request('POST', '/models/income/rule-sets', {
        source: 'expert',
        rules: [rule('young'), rule('unsure', { action: { type: 'threshold', threshold: 0.9 }, conditions: { all: [{ fact: 'confidence', operator: 'lessThan', value: 0.7 }] } })],
        params: { author: 'ops' },
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ model: 'income', version: 1, source: 'expert', state: 'draft', ruleCount: 2, params: { author: 'ops' }, basedOn: null, publishedAt: null });
      expect(r.body.rules.map((x: CaveatRule) => [x.id, x.source])).toEqual([
        ['young', 'expert'],
        ['unsure', 'expert'],
      ]);
      const g = await t.request('GET', '/models/income/rule-sets/1');
      expect(g.status).toBe(200);
      expect(g.body.rules[1]).toEqual({ ...rule('unsure'), action: { type: 'threshold', threshold: 0.9 }, conditions: { all: [{ fact: 'confidence', operator: 'lessThan', value: 0.7 }] }, source: 'expert' });
    });

    it('lists versions newest first without their rules', async () => {
      await draft('income', [rule('a'), rule('b'), rule('c')]);
      const r = await t.request('GET', '/models/income/rule-sets');
      expect(r.status).toBe(200);
      expect(r.body.map((s: { version: number; ruleCount: number }) => [s.version, s.ruleCount])).toEqual([
        [2, 3],
        [1, 2],
      ]);
      expect(r.body[0]).not.toHaveProperty('rules');
    });

    it.each([
      ['a misspelt operator', { source: 'expert', rules: [rule('ok'), rule('bad', { conditions: { all: [{ fact: 'age', operator: 'lessThen', value: 3 }] } })] }, 'rules[1].conditions.all[0].operator', 'bad'],
      ['a threshold above 1', { source: 'expert', rules: [rule('t', { action: { type: 'threshold', threshold: 2 } })] }, 'rules[0].action.threshold', 't'],
      ['an induced rule in an expert set', { source: 'expert', rules: [rule('i', { source: 'induced' })] }, 'rules[0].source', 'i'],
      ['a rule of a mixed set without its source', { source: 'mixed', rules: [rule('m')] }, 'rules[0].source', 'm'],
      ['a duplicate id', { source: 'expert', rules: [rule('d'), rule('d')] }, 'rules[1].id', 'd'],
    ])('400 naming the rule and the field: %s', async (_name, body, field, ruleId) => {
      const r = await t.request('POST', '/models/income/rule-sets', body);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'invalid_input', details: { field, rule: ruleId } });
      expect(r.body.error.message).toContain(`${field} (rule '${ruleId}')`);
    });

    it.each([
      ['no source', { rules: [] }, 'source'],
      ['an unknown source', { source: 'crowd', rules: [] }, 'source'],
      ['rules not a list', { source: 'expert', rules: {} }, 'rules'],
      ['an unknown field', { source: 'expert', rules: [], colour: 1 }, 'colour'],
    ])('400 on a malformed body: %s', async (_name, body, field) => {
      const r = await t.request('POST', '/models/income/rule-sets', body);
      expect(r.status).toBe(400);
      expect(r.body.error.details.field).toBe(field);
    });

    it('replaces the rules of a draft with PUT and PATCH', async () => {
      const v = await draft('income', [rule('old')]);
      const put = await t.request('PUT', `/models/income/rule-sets/${v}`, { rules: [rule('new1'), rule('new2')], params: { edited: true } });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ version: v, state: 'draft', ruleCount: 2, params: { edited: true } });
      const patch = await t.request('PATCH', `/models/income/rule-sets/${v}`, { rules: [rule('new3')] });
      expect(patch.status).toBe(200);
      const g = await t.request('GET', `/models/income/rule-sets/${v}`);
      expect(g.body.rules.map((x: CaveatRule) => x.id)).toEqual(['new3']);
      expect(g.body.params).toEqual({ edited: true });
      const bad = await t.request('PUT', `/models/income/rule-sets/${v}`, { rules: [rule('x', { action: { type: 'skip' } })] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toBe('rules[0].action.type');
    });

    it('404 on an unknown model or version, 400 on a version that is not a number', async () => {
      for (const [method, url, body] of [
        ['POST', '/models/nope/rule-sets', { source: 'expert', rules: [] }],
        ['GET', '/models/nope/rule-sets', undefined],
        ['GET', '/models/nope/rule-sets/1', undefined],
        ['POST', '/models/nope/rule-sets/1/activate', undefined],
        ['POST', '/models/nope/rule-sets/import', { files: [{ name: 'a.json', text: '[]' }] }],
      ] as const) {
        const r = await t.request(method, url, body);
        expect([url, r.status, r.body.error.details.field]).toEqual([url, 404, 'name']);
      }
      for (const [method, url, body] of [
        ['GET', '/models/income/rule-sets/99', undefined],
        ['PUT', '/models/income/rule-sets/99', { rules: [] }],
        ['POST', '/models/income/rule-sets/99/activate', undefined],
        ['POST', '/models/income/rule-sets/99/shadow', undefined],
        ['POST', '/models/income/rule-sets/99/retire', undefined],
        ['POST', '/models/income/rule-sets/99/revert', undefined],
        ['POST', '/models/income/rule-sets/merge', { versions: [1, 99] }],
      ] as const) {
        const r = await t.request(method, url, body);
        expect([url, r.status, r.body.error.details.field]).toEqual([url, 404, 'version']);
      }
      for (const v of ['abc', '0', '1.5', '-2']) {
        const r = await t.request('GET', `/models/income/rule-sets/${v}`);
        expect([v, r.status, r.body.error.details.field]).toEqual([v, 400, 'version']);
      }
    });
  });

  describe('lifecycle', () => {
    it('activates a draft, then refuses to edit or re-activate it (409)', async () => {
      const events: LiveSetChange[] = [];
      const stop = t.app.get(RuleSetEvents).onChange((c) => events.push(c));
      const v = await draft('other', [rule('r1')]);
      const r = await t.request('POST', `/models/other/rule-sets/${v}/activate`);
      stop();
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ model: 'other', version: v, state: 'active', retired: [] });
      expect(r.body.publishedAt).not.toBeNull();
      // (On PostgreSQL a LISTEN-based reloader may echo the same change: the one sent here is what counts.)
      expect(events).toContainEqual({ modelId: expect.any(Number), reason: 'activated' });
      const put = await t.request('PUT', `/models/other/rule-sets/${v}`, { rules: [rule('r2')] });
      expect(put.status).toBe(409);
      expect(put.body.error).toMatchObject({ code: 'conflict', details: { state: 'active' } });
      expect(put.body.error.message).toMatch(/immutable/);
      expect((await t.request('PATCH', `/models/other/rule-sets/${v}`, { rules: [] })).status).toBe(409);
      expect((await t.request('GET', `/models/other/rule-sets/${v}`)).body.rules.map((x: CaveatRule) => x.id)).toEqual(['r1']);
      const again = await t.request('POST', `/models/other/rule-sets/${v}/activate`);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already active/);
    });

    it('keeps one active and at most one shadow set: each new one retires the previous', async () => {
      const a1 = await draft('race', [rule('a1')]);
      const a2 = await draft('race', [rule('a2')]);
      const s1 = await draft('race', [rule('s1')]);
      const s2 = await draft('race', [rule('s2')]);
      expect((await t.request('POST', `/models/race/rule-sets/${a1}/activate`)).body.retired).toEqual([]);
      expect((await t.request('POST', `/models/race/rule-sets/${s1}/shadow`)).body).toMatchObject({ state: 'shadow', retired: [] });
      expect((await t.request('POST', `/models/race/rule-sets/${a2}/activate`)).body.retired).toEqual([a1]);
      expect((await t.request('POST', `/models/race/rule-sets/${s2}/shadow`)).body.retired).toEqual([s1]);
      expect(await states('race')).toEqual({ [a1]: 'retired', [a2]: 'active', [s1]: 'retired', [s2]: 'shadow' });
      // An active set cannot become the shadow; a retired one cannot come back but by revert.
      expect((await t.request('POST', `/models/race/rule-sets/${a2}/shadow`)).status).toBe(409);
      const back = await t.request('POST', `/models/race/rule-sets/${a1}/activate`);
      expect(back.status).toBe(409);
      expect(back.body.error.message).toMatch(/revert/);
      // Promoting the shadow: it becomes active, the active retires, no shadow is left.
      const promoted = await t.request('POST', `/models/race/rule-sets/${s2}/activate`);
      expect(promoted.body).toMatchObject({ state: 'active', retired: [a2] });
      expect(await states('race')).toEqual({ [a1]: 'retired', [a2]: 'retired', [s1]: 'retired', [s2]: 'active' });
    });

    it('retires the active or shadow set, and refuses to retire a draft or a retired set', async () => {
      const events: LiveSetChange[] = [];
      const stop = t.app.get(RuleSetEvents).onChange((c) => events.push(c));
      const d = await draft('race', [rule('d')]);
      expect((await t.request('POST', `/models/race/rule-sets/${d}/retire`)).status).toBe(409);
      const live = Number(Object.entries(await states('race')).find(([, s]) => s === 'active')![0]);
      const r = await t.request('POST', `/models/race/rule-sets/${live}/retire`);
      stop();
      expect(r.body).toMatchObject({ state: 'retired', retired: [] });
      expect(r.body.retiredAt).not.toBeNull();
      expect(new Set(events.map((e) => e.reason))).toEqual(new Set(['retired']));
      expect((await t.request('POST', `/models/race/rule-sets/${live}/retire`)).body.error.message).toMatch(/already retired/);
      expect(Object.values(await states('race'))).not.toContain('active');
    });

    it('revert publishes a new version equal to the old one and activates it', async () => {
      const old = await draft('other', [rule('keep1'), rule('keep2', { action: { type: 'threshold', threshold: 0.8 } })]);
      await t.request('POST', `/models/other/rule-sets/${old}/activate`);
      const next = await draft('other', [rule('newer')]);
      await t.request('POST', `/models/other/rule-sets/${next}/activate`);
      const r = await t.request('POST', `/models/other/rule-sets/${old}/revert`);
      expect(r.status).toBe(200);
      const copy = r.body.version;
      expect(copy).toBe(next + 1);
      expect(r.body).toMatchObject({ state: 'active', basedOn: old, source: 'expert', retired: [next] });
      const [a, b] = await Promise.all([t.request('GET', `/models/other/rule-sets/${old}`), t.request('GET', `/models/other/rule-sets/${copy}`)]);
      expect(b.body.rules).toEqual(a.body.rules);
      expect(a.body.state).toBe('retired');
      // A draft was never published: activate it instead.
      const d = await draft('other', [rule('x')]);
      expect((await t.request('POST', `/models/other/rule-sets/${d}/revert`)).status).toBe(409);
    });
  });

  describe('concurrent activations', () => {
    it('of two drafts of one model: exactly one 200 and one 409', async () => {
      const a = await draft('race', [rule('ca')]);
      const b = await draft('race', [rule('cb')]);
      const [ra, rb] = await Promise.all([t.request('POST', `/models/race/rule-sets/${a}/activate`), t.request('POST', `/models/race/rule-sets/${b}/activate`)]);
      expect([ra.status, rb.status].sort()).toEqual([200, 409]);
      const loser = ra.status === 409 ? ra : rb;
      expect(loser.body.error).toMatchObject({ code: 'conflict' });
      expect(loser.body.error.message).toMatch(/another activation of model 'race' is in progress/);
      const s = await states('race');
      expect(Object.values(s).filter((x) => x === 'active')).toHaveLength(1);
      expect(s[ra.status === 200 ? a : b]).toBe('active');
      expect(s[ra.status === 200 ? b : a]).toBe('draft');
    });

    it('of the same draft twice, and of two shadows: one 200 and one 409 each', async () => {
      const a = await draft('race', [rule('same')]);
      const twice = await Promise.all([1, 2].map(() => t.request('POST', `/models/race/rule-sets/${a}/activate`)));
      expect(twice.map((r) => r.status).sort()).toEqual([200, 409]);
      const s1 = await draft('race', [rule('sh1')]);
      const s2 = await draft('race', [rule('sh2')]);
      const shadows = await Promise.all([s1, s2].map((v) => t.request('POST', `/models/race/rule-sets/${v}/shadow`)));
      expect(shadows.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(Object.values(await states('race')).filter((x) => x === 'shadow')).toHaveLength(1);
    });

    it('of different models do not block each other', async () => {
      const a = await draft('income', [rule('m1')]);
      const b = await draft('other', [rule('m2')]);
      const both = await Promise.all([t.request('POST', `/models/income/rule-sets/${a}/activate`), t.request('POST', `/models/other/rule-sets/${b}/activate`)]);
      expect(both.map((r) => r.status)).toEqual([200, 200]);
    });

    // From another process (here: another connection holding the model row), the database lock decides.
    onPostgres('409 while another process holds the model row; an import (KEY SHARE on it) does not block', async () => {
      const other = new Client({ connectionString: t.config.databaseUrl });
      await other.connect();
      try {
        const v = await draft('race', [rule('locked')]);
        await other.query('BEGIN');
        await other.query(`SELECT id FROM models WHERE name = 'race' FOR NO KEY UPDATE`);
        const blocked = await t.request('POST', `/models/race/rule-sets/${v}/activate`);
        expect(blocked.status).toBe(409);
        expect(blocked.body.error.message).toMatch(/another activation of model 'race' is in progress/);
        await other.query('ROLLBACK');
        expect((await states('race'))[v]).toBe('draft');
        // What a foreign-key check of an insert into predictions takes: must not block an activation.
        await other.query('BEGIN');
        await other.query(`SELECT id FROM models WHERE name = 'race' FOR KEY SHARE`);
        expect((await t.request('POST', `/models/race/rule-sets/${v}/activate`)).status).toBe(200);
        await other.query('ROLLBACK');
      } finally {
        await other.end();
      }
    });

    onPostgres('409 when the one-active index is violated by a concurrent writer that bypassed the lock', async () => {
      const other = new Client({ connectionString: t.config.databaseUrl });
      await other.connect();
      try {
        const v = await draft('files', [rule('idx')]);
        await other.query('BEGIN');
        await other.query(
          `INSERT INTO rule_sets (model_id, version, source, state, rules, published_at) SELECT id, 1000, 'expert', 'active', '[]', now() FROM models WHERE name = 'files'`,
        );
        const pending = t.request('POST', `/models/files/rule-sets/${v}/activate`);
        // Wait until the activation is blocked on the uncommitted row of the unique index, then commit it.
        const db = new URL(t.config.databaseUrl!).pathname.slice(1);
        for (;;) {
          const { rows } = await other.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [db]);
          if (rows[0].n > 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await other.query('COMMIT');
        const r = await pending;
        expect(r.status).toBe(409);
        expect(r.body.error.code).toBe('conflict');
        expect((await states('files'))[v]).toBe('draft');
        await other.query(`DELETE FROM rule_sets WHERE version = 1000`);
      } finally {
        await other.end();
      }
    });

    onPostgres('announces each change with NOTIFY on caveat_live_sets at commit', async () => {
      const listener = new Client({ connectionString: t.config.databaseUrl });
      await listener.connect();
      try {
        await listener.query('LISTEN caveat_live_sets');
        const heard = new Promise<string>((done) => listener.on('notification', (n) => done(n.payload ?? '')));
        const v = await draft('income', [rule('notified')]);
        expect((await t.request('POST', `/models/income/rule-sets/${v}/shadow`)).status).toBe(200);
        const [{ id }] = await query(`SELECT id FROM models WHERE name = 'income'`);
        expect(JSON.parse(await heard)).toEqual({ modelId: id, reason: 'shadowed', origin: t.app.get(RuleSetEvents).origin });
      } finally {
        await listener.end();
      }
    });
  });

  describe('merge', () => {
    it('combines an induced draft and an expert set into a mixed draft', async () => {
      const [{ id }] = await query(`SELECT id FROM models WHERE name = 'files'`);
      // Induction stores its rules without an action (json-rules-engine form plus statistics).
      const induced = await t.app.get(RuleSetStore).createDraft(id, {
        source: 'induced',
        rules: [
          { id: 'ind-1', sentence: 'Young and unsure.', conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] }, stats: { support: 0.1 }, source: 'induced' },
          { id: 'ind-2', sentence: 'Old.', conditions: { all: [{ fact: 'age', operator: 'greaterThan', value: 70 }] }, source: 'induced' },
        ] as unknown as CaveatRule[],
      });
      const expert = await draft('files', [rule('exp-1'), rule('exp-2', { action: { type: 'threshold', threshold: 0.75 } })]);
      const r = await t.request('POST', '/models/files/rule-sets/merge', { versions: [induced.version, expert], actions: { 'ind-2': { type: 'threshold', threshold: 0.95 } } });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ source: 'mixed', state: 'draft', ruleCount: 4, params: { mergedFrom: [induced.version, expert] } });
      expect(r.body.rules.map((x: CaveatRule) => [x.id, x.source, x.action])).toEqual([
        ['ind-1', 'induced', { type: 'reject' }],
        ['ind-2', 'induced', { type: 'threshold', threshold: 0.95 }],
        ['exp-1', 'expert', { type: 'reject' }],
        ['exp-2', 'expert', { type: 'threshold', threshold: 0.75 }],
      ]);
      expect(r.body.rules[0].stats).toEqual({ support: 0.1 });
      // The mixed draft itself is valid input: it can be edited as it stands.
      expect((await t.request('PUT', `/models/files/rule-sets/${r.body.version}`, { rules: r.body.rules })).status).toBe(200);
    });

    it('409 naming rule ids that would be duplicated; 400 on a bad action or version list', async () => {
      const a = await draft('files', [rule('dup'), rule('only-a')]);
      const b = await draft('files', [rule('dup')]);
      const r = await t.request('POST', '/models/files/rule-sets/merge', { versions: [a, b] });
      expect(r.status).toBe(409);
      expect(r.body.error.details).toMatchObject({ field: 'versions', duplicates: [{ id: 'dup', versions: [a, b] }] });
      expect(r.body.error.message).toContain("'dup'");
      const cases: Array<[unknown, string]> = [
        [{ versions: [a], actions: { nope: { type: 'reject' } } }, 'actions.nope'],
        [{ versions: [a], actions: { 'only-a': { type: 'threshold', threshold: 3 } } }, 'actions.only-a'],
        [{ versions: [a, a] }, 'versions[1]'],
        [{ versions: [] }, 'versions'],
        [{ versions: ['x'] }, 'versions'],
      ];
      for (const [body, field] of cases) {
        const bad = await t.request('POST', '/models/files/rule-sets/merge', body);
        expect([field, bad.status, bad.body.error.details.field]).toEqual([field, 400, field]);
      }
    });
  });

  describe('import of rule files', () => {
    it('makes an expert draft from the shipped rules/ files (their concept defined first when there is a vocabulary)', async () => {
      const { files, ruleCount } = shippedRuleFiles();
      expect(files.length).toBeGreaterThanOrEqual(2);
      if (await hasConceptsTable(query)) {
        const refused = await t.request('POST', '/models/files/rule-sets/import', { files });
        expect(refused.status).toBe(400);
        expect(refused.body.error.details.issues).toEqual([expect.objectContaining({ file: 'rules/adult-multiple-jobs.json', message: expect.stringMatching(/unknown concept 'multiple-jobs'/) })]);
        await defineConcept(query, 'files', 'multiple-jobs');
      }
      const r = await t.request('POST', '/models/files/rule-sets/import', { files });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ source: 'expert', state: 'draft', ruleCount, conceptsChecked: await hasConceptsTable(query) });
      expect(r.body.files.map((f: { name: string }) => f.name)).toEqual(files.map((f) => f.name));
      expect(r.body.rules.map((x: CaveatRule) => x.id)).toContain('adult-missing-occupation-unsure');
      expect(r.body.rules.every((x: CaveatRule) => x.source === 'expert')).toBe(true);
      expect((await t.request('POST', `/models/files/rule-sets/${r.body.version}/activate`)).status).toBe(200);
    });

    it('400 listing every issue with file:line:column', async () => {
      const lines = ['{', '  "id": "bad-op",', '  "sentence": "s",', '  "action": { "type": "reject" },', '  "conditions": { "all": [ { "fact": "age", "operator": "lessThen", "value": 3 } ] }', '}'];
      const files = [
        { name: 'good.json', text: JSON.stringify(rule('fine')) },
        { name: 'bad.json', text: lines.join('\n') },
        { name: 'broken.json', text: '[{"id": "x",]' },
      ];
      const r = await t.request('POST', '/models/files/rule-sets/import', { files });
      expect(r.status).toBe(400);
      const issues = r.body.error.details.issues as Array<{ file: string; line: number; column: number; path: string }>;
      expect(issues.map((i) => [i.file, i.line, i.column, i.path])).toEqual([
        ['bad.json', 5, lines[4].indexOf('"lessThen"') + 1, 'conditions.all[0].operator'],
        ['broken.json', 1, 13, '(json)'],
      ]);
      expect(r.body.error.message).toMatch(/^bad\.json:5:\d+: conditions\.all\[0\]\.operator: unknown operator 'lessThen'/);
      expect(r.body.error.details.field).toBe('files[1].text');
      const dupName = await t.request('POST', '/models/files/rule-sets/import', { files: [files[0], files[0]] });
      expect(dupName.body.error.details.field).toBe('files[1].name');
      const empty = await t.request('POST', '/models/files/rule-sets/import', { files: [] });
      expect(empty.body.error.details.field).toBe('files');
      const noName = await t.request('POST', '/models/files/rule-sets/import', { files: [{ text: '[]' }] });
      expect(noName.body.error.details.field).toBe('files[0].name');
    });
  });

  describe('caveat rules import', () => {
    let dir: string;
    let url: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'caveat-rules-'));
      writeFileSync(join(dir, 'bad.json'), JSON.stringify([rule('b', { action: { type: 'threshold' } })], null, 2));
      await t.app.listen(0, '127.0.0.1');
      url = await t.app.getUrl();
      await t.request('POST', '/models', { name: 'cli-rules', classes: ['<=50K', '>50K'] });
      await defineConcept(query, 'cli-rules', 'multiple-jobs');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('makes a draft on a running server (--url) and prints its version and rule count', async () => {
      const { ruleCount } = shippedRuleFiles();
      const out = await captureOutput(() => rulesImport([RULES_DIR, '--model', 'cli-rules', '--url', url]));
      expect(out.result).toBe(0);
      expect(out.stdout).toContain(`draft version 1 of 'cli-rules': ${ruleCount} rules (source expert)`);
      expect(out.stdout).toMatch(/adult-missing-occupation\.json\s+1\n/);
      expect((await t.request('GET', '/models/cli-rules/rule-sets/1')).body.ruleCount).toBe(ruleCount);
    });

    it('prints file:line:column issues and exits 1; usage errors name the flag', async () => {
      const out = await captureOutput(() => rulesImport([dir, '--model', 'cli-rules', '--url', url]));
      expect(out.result).toBe(1);
      expect(out.stderr).toMatch(new RegExp(`${join(dir, 'bad.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:\\d+: \\[0\\]\\.action: missing 'threshold'`));
      expect(out.stderr).toContain('no draft made: 1 issue');
      await expect(rulesImport([dir, '--url', url])).rejects.toMatchObject({ details: { field: 'model' } });
      await expect(rulesImport([join(dir, 'nope'), '--model', 'x'])).rejects.toMatchObject({ details: { field: 'DIR' } });
      await expect(rulesImport([RULES_DIR, '--model', 'nope', '--url', url])).rejects.toMatchObject({ code: 'not_found' });
      expect((await captureOutput(() => rulesImport(['--help']))).stdout).toContain('caveat rules import DIR --model NAME');
    });

    onEmbedded('writes the local database without a server', async () => {
      const saved = process.env.CAVEAT_DATA_DIR;
      process.env.CAVEAT_DATA_DIR = join(dir, 'db');
      try {
        const local = await openLocal();
        await local.models.create({ name: 'local-rules', classes: ['<=50K', '>50K'] });
        await defineConcept((sql, params) => local.db.dataSource.query(sql, params), 'local-rules', 'multiple-jobs');
        await local.close();
        const { ruleCount } = shippedRuleFiles();
        const out = await captureOutput(() => rulesImport([RULES_DIR, '--model', 'local-rules']));
        expect(out.result).toBe(0);
        expect(out.stdout).toContain(`draft version 1 of 'local-rules': ${ruleCount} rules`);
      } finally {
        process.env.CAVEAT_DATA_DIR = saved;
      }
    });
  });
});
