import { CaveatError } from '../core/errors';
import type { CaveatRule } from '../core/rejection/rule-model';
import type { Database } from '../database/database';
import { insertNextVersion } from '../database/next-version';
import { RuleSetEntity, type RuleSetSource } from './rule-set.entity';

export interface NewDraft {
  source: RuleSetSource;
  rules: CaveatRule[];
  params?: Record<string, unknown> | null;
  snapshot?: Record<string, unknown> | null;
  basedOn?: number | null;
}

/** Persistence of rule sets, shared by induction (which writes drafts) and the rejector. */
export class RuleSetStore {
  constructor(private readonly db: Database) {}

  /** Stores a new draft as the model's next version (retrying if a concurrent writer took the number). */
  async createDraft(modelId: number, draft: NewDraft): Promise<RuleSetEntity> {
    return insertNextVersion(this.db, 'rule_sets', modelId, (runner, version) =>
      runner.manager.save(RuleSetEntity, {
        modelId,
        version,
        source: draft.source,
        state: 'draft',
        rules: draft.rules,
        params: draft.params ?? null,
        snapshot: draft.snapshot ?? null,
        basedOn: draft.basedOn ?? null,
        publishedAt: null,
        retiredAt: null,
      }),
    );
  }

  async get(modelId: number, version: number, modelName: string): Promise<RuleSetEntity> {
    const row = await this.db.dataSource.getRepository(RuleSetEntity).findOne({ where: { modelId, version } });
    if (!row) throw new CaveatError('not_found', `model '${modelName}' has no rule set version ${version}`, { field: 'version', version });
    return row;
  }

  /** The model's active and shadow sets (either may be missing). */
  async liveSets(modelId: number): Promise<{ active: RuleSetEntity | null; shadow: RuleSetEntity | null }> {
    const rows = await this.db.dataSource.getRepository(RuleSetEntity).find({ where: [{ modelId, state: 'active' }, { modelId, state: 'shadow' }] });
    return { active: rows.find((r) => r.state === 'active') ?? null, shadow: rows.find((r) => r.state === 'shadow') ?? null };
  }

  /** The model's versions, newest first, without their rules (only how many there are). */
  async summaries(modelId: number): Promise<RuleSetSummaryRow[]> {
    return this.db.dataSource.query(
      `SELECT version, source, state, jsonb_array_length(rules) AS "ruleCount", params, based_on AS "basedOn",
              created_at AS "createdAt", published_at AS "publishedAt", retired_at AS "retiredAt"
         FROM rule_sets WHERE model_id = $1 ORDER BY version DESC`,
      [modelId],
    );
  }

  /**
   * Replaces the rules (and, when given, the params) of a draft. Published versions are immutable:
   * the state is tested in the UPDATE itself, so an activation committing first wins.
   */
  async replaceDraft(modelId: number, version: number, rules: CaveatRule[], params: Record<string, unknown> | undefined, modelName: string): Promise<RuleSetEntity> {
    const result = await this.db.dataSource.query(
      `UPDATE rule_sets SET rules = $3::jsonb, params = CASE WHEN $4::boolean THEN $5::jsonb ELSE params END
        WHERE model_id = $1 AND version = $2 AND state = 'draft' RETURNING id`,
      [modelId, version, JSON.stringify(rules), params !== undefined, params === undefined ? null : JSON.stringify(params)],
    );
    const [rows] = result as [Array<{ id: number }>, number];
    const current = await this.get(modelId, version, modelName);
    if (rows.length === 0) {
      throw new CaveatError('conflict', `version ${version} of '${modelName}' is ${current.state}: published versions are immutable; make a new draft`, {
        field: 'version',
        version,
        state: current.state,
      });
    }
    return current;
  }
}

/** A version as listed: everything but the rules themselves. */
export interface RuleSetSummaryRow {
  version: number;
  source: RuleSetSource;
  state: RuleSetEntity['state'];
  ruleCount: number;
  params: Record<string, unknown> | null;
  basedOn: number | null;
  createdAt: Date;
  publishedAt: Date | null;
  retiredAt: Date | null;
}
