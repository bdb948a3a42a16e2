import type { TopLevelCondition } from 'json-rules-engine';
import type { QueryRunner } from 'typeorm';
import { attributeConditionIssues, compileAttributeCondition } from '../core/concepts/attribute-condition';
import { invalid } from '../core/errors';

export interface AttributeEvaluation {
  /** Items of the model. */
  items: number;
  present: number;
  absent: number;
  /** Items lacking an attribute the condition reads (no value stored). */
  unresolved: number;
  seconds: number;
}

// Rows read per page: attributes are read by id ranges, never the whole table at once.
const PAGE = 5000;
// Rows sampled to learn the model's attribute names (for "unknown attribute 'agee', did you mean 'age'").
const ATTRIBUTE_SAMPLE = 2000;

/**
 * Attribute names seen on a sample of the model's items; empty when the model has no item with
 * attributes yet (then names cannot be checked).
 */
export async function knownAttributes(runner: QueryRunner, modelId: number): Promise<string[]> {
  const rows: Array<{ k: string }> = await runner.query(
    `SELECT DISTINCT k FROM (SELECT attributes FROM predictions
                              WHERE model_id = $1 AND attributes IS NOT NULL AND jsonb_typeof(attributes) = 'object'
                              ORDER BY id DESC LIMIT ${ATTRIBUTE_SAMPLE}) p,
                      jsonb_object_keys(p.attributes) k`,
    [modelId],
  );
  return rows.map((r) => r.k);
}

/** Validates an attribute concept's condition (400 naming the offending path), checking attribute names when the model has items. */
export async function checkCondition(runner: QueryRunner, modelId: number, condition: unknown): Promise<TopLevelCondition> {
  const attributes = await knownAttributes(runner, modelId);
  const issues = attributeConditionIssues(condition, attributes.length > 0 ? attributes : undefined);
  if (issues.length > 0) throw invalid(issues[0].path, issues[0].message, { issues });
  return condition as TopLevelCondition;
}

/**
 * Computes an attribute concept for every item of its model inside the caller's transaction:
 * the condition is compiled once to a predicate (src/core/concepts/attribute-condition.ts), the
 * items' attributes are read page by page in id order, and the values replace the stored ones
 * with one multi-row INSERT per page.
 */
export async function computeAttributeValues(runner: QueryRunner, modelId: number, conceptId: number, condition: TopLevelCondition): Promise<AttributeEvaluation> {
  const t0 = performance.now();
  const holds = compileAttributeCondition(condition);
  await runner.query(`DELETE FROM concept_item_values WHERE concept_id = $1`, [conceptId]);
  const counts = { items: 0, present: 0, absent: 0, unresolved: 0 };
  let after = '0';
  for (;;) {
    const rows: Array<{ id: string; attributes: Record<string, unknown> | null }> = await runner.query(
      `SELECT id, attributes FROM predictions WHERE model_id = $1 AND id > $2 ORDER BY id LIMIT ${PAGE}`,
      [modelId, after],
    );
    if (rows.length === 0) break;
    const ids: string[] = [];
    const values: boolean[] = [];
    for (const r of rows) {
      const v = holds(r.attributes);
      if (v === null) {
        counts.unresolved++;
        continue;
      }
      ids.push(r.id);
      values.push(v);
      if (v) counts.present++;
      else counts.absent++;
    }
    counts.items += rows.length;
    if (ids.length > 0) {
      await runner.query(
        `INSERT INTO concept_item_values (concept_id, prediction_id, present) SELECT $1, x.id, x.present FROM unnest($2::bigint[], $3::boolean[]) AS x(id, present)`,
        [conceptId, ids, values],
      );
    }
    after = rows[rows.length - 1].id;
    if (rows.length < PAGE) break;
  }
  return { ...counts, seconds: (performance.now() - t0) / 1000 };
}
