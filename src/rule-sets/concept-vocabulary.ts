import type { Database } from '../database/database';

/**
 * The concept names a model's rules may read: the model's concepts (issue 5) that are proposed or
 * accepted — a merged or retired name no longer resolves. Read straight from the `concepts` table
 * so rule sets do not depend on the concepts module being loaded; while that table does not exist
 * (its migration not yet applied) there is no vocabulary and concept names are not checked.
 */
export class ConceptVocabulary {
  constructor(private readonly db: Database) {}

  /** The names, or undefined when this database has no concepts table. */
  async names(modelId: number): Promise<string[] | undefined> {
    const [{ present }] = await this.db.dataSource.query(`SELECT to_regclass('concepts') IS NOT NULL AS present`);
    if (!present) return undefined;
    const rows: Array<{ name: string }> = await this.db.dataSource.query(
      `SELECT name FROM concepts WHERE model_id = $1 AND status IN ('proposed', 'accepted') ORDER BY name`,
      [modelId],
    );
    return rows.map((r) => r.name);
  }
}
