import { CaveatError } from '../core/errors';
import type { CaveatRule } from '../core/rejection/rule-model';
import type { Database } from '../database/database';
import { isUniqueViolation } from '../database/pg-errors';
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
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction(async (runner) => {
          const [{ next }] = await runner.query(`SELECT COALESCE(MAX(version), 0) + 1 AS next FROM rule_sets WHERE model_id = $1`, [modelId]);
          return runner.manager.save(RuleSetEntity, {
            modelId,
            version: Number(next),
            source: draft.source,
            state: 'draft',
            rules: draft.rules,
            params: draft.params ?? null,
            snapshot: draft.snapshot ?? null,
            basedOn: draft.basedOn ?? null,
            publishedAt: null,
            retiredAt: null,
          });
        });
      } catch (e) {
        if (isUniqueViolation(e) && attempt < 5) continue;
        throw e;
      }
    }
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

  async list(modelId: number): Promise<RuleSetEntity[]> {
    return this.db.dataSource.getRepository(RuleSetEntity).find({ where: { modelId }, order: { version: 'DESC' } });
  }
}
