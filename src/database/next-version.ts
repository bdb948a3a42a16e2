import type { QueryRunner } from 'typeorm';
import type { Database } from './database';
import { isUniqueViolation } from './pg-errors';

/** Tables whose rows are versioned per model with UNIQUE (model_id, version). */
export type VersionedTable = 'cost_policies' | 'calibrators' | 'rule_sets';

/**
 * Inserts a model's next version of a row: reads MAX(version) + 1 and inserts in one transaction.
 * Two concurrent writers may read the same number; the unique (model_id, version) constraint
 * stops the second, which retries with the next number.
 */
export async function insertNextVersion<T>(db: Database, table: VersionedTable, modelId: number, insert: (runner: QueryRunner, version: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (runner) => {
        const [{ next }] = await runner.query(`SELECT COALESCE(MAX(version), 0) + 1 AS next FROM ${table} WHERE model_id = $1`, [modelId]);
        return insert(runner, Number(next));
      });
    } catch (e) {
      if (isUniqueViolation(e) && attempt < 5) continue;
      throw e;
    }
  }
}
