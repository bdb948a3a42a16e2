import { Inject, Injectable } from '@nestjs/common';
import { CaveatError, invalid } from '../core/errors';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { DecisionLogService } from './decision-log.service';
import { ValueTally } from './realized-value';

interface GroupRow {
  rv: number | null;
  sv: number | null;
  decision: 'accept' | 'reject';
  shadow_decision: 'accept' | 'reject' | null;
  predicted: string;
  label: string | null;
  n: number;
}

const DECISION_COLUMNS = `id, decided_at AS "decidedAt", item_id AS "itemId", policy_version AS "policyVersion", rule_set_version AS "ruleSetVersion",
  calibrator_version AS "calibratorVersion", confidence, calibrated_confidence AS "calibratedConfidence", predicted, decision,
  reason_code AS "reasonCode", threshold, matched_rules AS "matchedRules", unresolved_concepts AS "unresolvedConcepts",
  shadow_version AS "shadowVersion", shadow_decision AS "shadowDecision", shadow_threshold AS "shadowThreshold", shadow_matched_rules AS "shadowMatchedRules"`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the decision log: by id, by item, its writer's counters, and the realized value once labels arrived. */
@Injectable()
export class DecisionsService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
    @Inject(DecisionLogService) private readonly log: DecisionLogService,
  ) {}

  async get(modelName: string, id: string) {
    if (!UUID.test(id)) throw invalid('id', 'must be a decision id (a UUID)');
    const model = await this.models.load(modelName);
    const unflushed = await this.log.flush();
    const [row] = await this.db.dataSource.query(`SELECT ${DECISION_COLUMNS} FROM decisions WHERE id = $1 AND model_id = $2`, [id, model.entity.id]);
    if (!row && unflushed.length > 0) {
      throw new CaveatError('unavailable', `decision ${id} is not in the log yet, and a service process could not write its buffer: ${unflushed.join('; ')}`, { field: 'id' });
    }
    if (!row) throw new CaveatError('not_found', `model '${modelName}' has no logged decision ${id}`, { field: 'id' });
    return row;
  }

  /** The logged decisions about one item, newest first. */
  async byItem(modelName: string, itemId: string, limit: number) {
    const model = await this.models.load(modelName);
    const unflushed = await this.log.flush();
    // The list would be complete or not, and nobody could tell.
    if (unflushed.length > 0) throw new CaveatError('unavailable', `a service process could not write its buffered decisions: ${unflushed.join('; ')}`, { field: 'itemId' });
    return this.db.dataSource.query(`SELECT ${DECISION_COLUMNS} FROM decisions WHERE model_id = $1 AND item_id = $2 ORDER BY decided_at DESC, id LIMIT $3`, [
      model.entity.id,
      itemId,
      limit,
    ]);
  }

  /** The decision log writers' counters, summed over the service's processes (one writer per process serves every model). */
  async stats(modelName: string) {
    await this.models.load(modelName);
    return { model: modelName, scope: 'service', ...(await this.log.stats()) };
  }

  /**
   * Realized value of the logged decisions (issue 6), by the rule-set version that decided them,
   * once outcomes arrived: a decision joins its item's label (decisions.item_id =
   * predictions.external_id of the same model). Accepted → V if correct else W; rejected → D,
   * under the model's current policy. For decisions that had a shadow set, the shadow's would-be
   * decisions are scored on the same items, beside the applied ones.
   */
  async summary(modelName: string) {
    const model = await this.models.load(modelName);
    const unflushed = await this.log.flush(); // decisions still in memory count too
    const rows: GroupRow[] = await this.db.dataSource.query(
      `SELECT d.rule_set_version AS rv, d.shadow_version AS sv, d.decision, d.shadow_decision, d.predicted, p.label, count(*)::int AS n
         FROM decisions d
         LEFT JOIN predictions p ON p.model_id = d.model_id AND p.external_id = d.item_id AND p.label IS NOT NULL
        WHERE d.model_id = $1
        GROUP BY 1, 2, 3, 4, 5, 6`,
      [model.entity.id],
    );
    const policy = model.policy;
    const byVersion = new Map<number | null, { decisions: number; accepted: number; labelled: ValueTally }>();
    const shadows = new Map<string, { shadowVersion: number; ruleSetVersion: number | null; decisions: number; agree: number; applied: ValueTally; shadow: ValueTally }>();
    let total = 0;
    let labelled = 0;
    for (const r of rows) {
      total += r.n;
      let v = byVersion.get(r.rv);
      if (!v) byVersion.set(r.rv, (v = { decisions: 0, accepted: 0, labelled: new ValueTally() }));
      v.decisions += r.n;
      if (r.decision === 'accept') v.accepted += r.n;
      if (r.label !== null) {
        labelled += r.n;
        v.labelled.add(policy, r.predicted, r.label, r.decision === 'accept', r.n);
      }
      if (r.sv === null || r.shadow_decision === null) continue;
      const key = `${r.sv}:${r.rv}`;
      let s = shadows.get(key);
      if (!s) shadows.set(key, (s = { shadowVersion: r.sv, ruleSetVersion: r.rv, decisions: 0, agree: 0, applied: new ValueTally(), shadow: new ValueTally() }));
      s.decisions += r.n;
      if (r.shadow_decision === r.decision) s.agree += r.n;
      if (r.label !== null) {
        s.applied.add(policy, r.predicted, r.label, r.decision === 'accept', r.n);
        s.shadow.add(policy, r.predicted, r.label, r.shadow_decision === 'accept', r.n);
      }
    }
    const order = (a: number | null, b: number | null) => (a ?? 0) - (b ?? 0);
    return {
      model: modelName,
      policyVersion: model.policyVersion,
      policy: { V: policy.V, D: policy.D, W: policy.W },
      decisions: total,
      labelled,
      /** Why decisions held by a service process may be missing from these figures (empty: none are). */
      unflushed,
      byRuleSetVersion: [...byVersion.entries()]
        .sort((a, b) => order(a[0], b[0]))
        .map(([version, v]) => ({
          ruleSetVersion: version,
          decisions: v.decisions,
          accepted: v.accepted,
          coverage: v.decisions === 0 ? null : v.accepted / v.decisions,
          labelled: v.labelled.summary(),
        })),
      shadow: [...shadows.values()]
        .sort((a, b) => a.shadowVersion - b.shadowVersion || order(a.ruleSetVersion, b.ruleSetVersion))
        .map((s) => ({
          shadowVersion: s.shadowVersion,
          ruleSetVersion: s.ruleSetVersion,
          decisions: s.decisions,
          agreement: s.decisions === 0 ? null : s.agree / s.decisions,
          applied: s.applied.summary(),
          shadow: s.shadow.summary(),
        })),
    };
  }
}
