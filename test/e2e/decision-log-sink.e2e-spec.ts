import { Database } from '../../src/database/database';
import { decisionId } from '../../src/rejector/decision-id';
import type { DecisionRecord } from '../../src/rejector/decision-log';
import { DatabaseDecisionSink } from '../../src/rejector/decision-log-sink';
import { startTestApp, type TestApp } from '../support/test-app';

/** The decision log's binary COPY, read back column by column from the real database (both kinds). */
describe('the decision log sink', () => {
  let t: TestApp;
  let db: Database;
  let modelId: number;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(Database);
    await t.request('POST', '/models', { name: 'sink', classes: ['yes', 'no'] });
    [{ id: modelId }] = await db.dataSource.query(`SELECT id FROM models WHERE name = 'sink'`);
  });
  afterAll(() => t.close());

  const record = (over: Partial<DecisionRecord>): DecisionRecord => ({
    id: decisionId(),
    decidedAt: Date.UTC(2026, 11, 5, 1, 2, 3, 456),
    modelId,
    policyVersion: 1,
    ruleSetVersion: 2,
    calibratorVersion: null,
    itemId: 'item-1',
    confidence: 0.8123,
    calibratedConfidence: 0.75,
    predicted: 'yes',
    decision: 'reject',
    reasonCode: 'below_threshold',
    threshold: 0.9,
    matchedRules: ['r1', 'r22'],
    unresolvedConcepts: [],
    shadowVersion: null,
    shadowDecision: null,
    shadowThreshold: null,
    shadowMatchedRules: null,
    ...over,
  });

  const read = async (id: string) =>
    (
      await db.dataSource.query(
        `SELECT id, (extract(epoch from decided_at) * 1000)::bigint::text AS ms, model_id, policy_version, rule_set_version, calibrator_version, item_id,
                confidence, calibrated_confidence, predicted, decision, reason_code, threshold, matched_rules, unresolved_concepts,
                shadow_version, shadow_decision, shadow_threshold, shadow_matched_rules
           FROM decisions WHERE id = $1`,
        [id],
      )
    )[0];

  it('writes every column as given: NULLs, empty and non-empty arrays, non-ASCII text, exact floats and milliseconds', async () => {
    const plain = record({});
    const shadowed = record({
      itemId: 'photo sombre — 暗い "q"\\t',
      confidence: 1 / 3,
      calibratedConfidence: null,
      threshold: null,
      calibratorVersion: 7,
      matchedRules: [],
      unresolvedConcepts: ['sarcasme', 'ironie'],
      shadowVersion: 3,
      shadowDecision: 'accept',
      shadowThreshold: 0.65,
      shadowMatchedRules: ['règle-1'],
      decidedAt: Date.UTC(1999, 11, 31, 23, 59, 59, 999),
    });
    const noItem = record({ itemId: null, shadowMatchedRules: [] });
    await new DatabaseDecisionSink(db).write([plain, shadowed, noItem]);

    expect(await read(plain.id)).toEqual({
      id: plain.id,
      ms: String(plain.decidedAt),
      model_id: modelId,
      policy_version: 1,
      rule_set_version: 2,
      calibrator_version: null,
      item_id: 'item-1',
      confidence: 0.8123,
      calibrated_confidence: 0.75,
      predicted: 'yes',
      decision: 'reject',
      reason_code: 'below_threshold',
      threshold: 0.9,
      matched_rules: ['r1', 'r22'],
      unresolved_concepts: [],
      shadow_version: null,
      shadow_decision: null,
      shadow_threshold: null,
      shadow_matched_rules: null,
    });
    expect(await read(shadowed.id)).toMatchObject({
      ms: String(shadowed.decidedAt),
      item_id: 'photo sombre — 暗い "q"\\t',
      confidence: 1 / 3,
      calibrated_confidence: null,
      threshold: null,
      calibrator_version: 7,
      matched_rules: [],
      unresolved_concepts: ['sarcasme', 'ironie'],
      shadow_version: 3,
      shadow_decision: 'accept',
      shadow_threshold: 0.65,
      shadow_matched_rules: ['règle-1'],
    });
    expect(await read(noItem.id)).toMatchObject({ item_id: null, shadow_matched_rules: [] });
  });

  it('writes a batch larger than one embedded COPY piece, all or nothing', async () => {
    const many = Array.from({ length: 1234 }, (_, i) => record({ itemId: `bulk-${i}` }));
    await new DatabaseDecisionSink(db).write(many);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM decisions WHERE item_id LIKE 'bulk-%'`);
    expect(n).toBe(1234);
    // A duplicate id fails the whole batch: nothing of it is written.
    const again = [record({ itemId: 'dup-a' }), many[0]];
    await expect(new DatabaseDecisionSink(db).write(again)).rejects.toThrow(/duplicate key|unique/i);
    const [{ d }] = await db.dataSource.query(`SELECT count(*)::int AS d FROM decisions WHERE item_id = 'dup-a'`);
    expect(d).toBe(0);
  });
});
