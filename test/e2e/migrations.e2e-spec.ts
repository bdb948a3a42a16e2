import { Database } from '../../src/database/database';
import { MIGRATIONS } from '../../src/database/migrations';
import { startTestApp, type TestApp } from '../support/test-app';

describe('migrations', () => {
  let t: TestApp;
  let db: Database;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(Database);
  });
  afterAll(() => t.close());

  const tables = async (): Promise<string[]> =>
    (await db.dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'caveat_migrations' ORDER BY 1`)).map((r: { tablename: string }) => r.tablename);

  it('finds the decisions of an item through the hash index on item_id', async () => {
    // Without it the planner could only scan the log: force the choice it has.
    const plan: Array<{ 'QUERY PLAN': string }> = await db.transaction(async (runner) => {
      await runner.query(`SET LOCAL enable_seqscan = off`);
      return runner.query(`EXPLAIN SELECT id FROM decisions WHERE model_id = 1 AND item_id = 'x' ORDER BY decided_at DESC, id LIMIT 10`);
    });
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/using decisions_item on decisions/i);
  });

  it('are reversible: every one undone, newest first, leaves no table, and all apply again', async () => {
    const all = await tables();
    expect(all).toEqual(expect.arrayContaining(['decisions', 'models', 'predictions', 'rule_sets']));
    // 'none': TypeORM's undo would wrap even a migration that declares transaction = false (CONCURRENTLY).
    for (let i = 0; i < MIGRATIONS.length; i++) await db.dataSource.undoLastMigration({ transaction: 'none' });
    expect(await tables()).toEqual([]);
    expect(await db.dataSource.runMigrations({ transaction: 'each' })).toHaveLength(MIGRATIONS.length);
    expect(await tables()).toEqual(all);
  });
});
