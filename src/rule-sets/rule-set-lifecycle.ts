import type { QueryRunner } from 'typeorm';
import { CaveatError } from '../core/errors';
import type { Database } from '../database/database';
import { isLockNotAvailable, isUniqueViolation } from '../database/pg-errors';
import { activationConflict } from './activation-guard';
import { notifyLiveSetChange, type LiveSetChange, type RuleSetEvents } from './rule-set-events';
import { RuleSetEntity } from './rule-set.entity';
import { transitionRefusal, type TargetState } from './rule-set-states';

export interface ModelRef {
  id: number;
  name: string;
}

export interface StateChange {
  set: RuleSetEntity;
  /** Versions this change retired (the previous active or shadow set). */
  retired: number[];
  change: LiveSetChange;
}

const REASON: Record<TargetState, LiveSetChange['reason']> = { active: 'activated', shadow: 'shadowed', retired: 'retired' };
const LIVE_INDEXES = ['rule_sets_one_active', 'rule_sets_one_shadow'];
const VERSION_KEY = 'rule_sets_model_id_version_key';

/**
 * State changes of published rule sets, each in one transaction that first locks the model row
 * with `FOR NO KEY UPDATE NOWAIT`: a concurrent change of the same model (another process) fails at
 * once with 409 instead of queueing behind it. NO KEY UPDATE rather than UPDATE because foreign-key
 * checks of inserts into the model's child tables (predictions, imports) take KEY SHARE on the same
 * row, which UPDATE would conflict with — an import in progress must not block activations. The
 * partial unique indexes (one active, one shadow per model) back this up: a violation is a 409 too.
 * On PostgreSQL the change is announced with NOTIFY on `caveat_live_sets`, delivered at commit.
 */
export class RuleSetLifecycle {
  constructor(
    private readonly db: Database,
    private readonly events: RuleSetEvents,
  ) {}

  /** draft → active | shadow, shadow → active (the previous holder retires), active | shadow → retired. */
  async changeState(model: ModelRef, version: number, to: TargetState): Promise<StateChange> {
    const change: LiveSetChange = { modelId: model.id, reason: REASON[to] };
    return this.locked(model, change, async (runner) => {
      const rows: Array<{ id: number; state: RuleSetEntity['state'] }> = await runner.query(
        `SELECT id, state FROM rule_sets WHERE model_id = $1 AND version = $2 FOR UPDATE`,
        [model.id, version],
      );
      if (rows.length === 0) throw notFound(model, version);
      const refusal = transitionRefusal(rows[0].state, to);
      if (refusal) throw new CaveatError('conflict', `version ${version} of '${model.name}' cannot become ${to}: ${refusal}`, { field: 'version', version, state: rows[0].state });
      const retired = to === 'retired' ? [] : await retireHolder(runner, model.id, to);
      await runner.query(
        `UPDATE rule_sets SET state = $2::text, published_at = COALESCE(published_at, now()),
                retired_at = CASE WHEN $2::text = 'retired' THEN now() END
          WHERE id = $1`,
        [rows[0].id, to],
      );
      return { set: await runner.manager.findOneByOrFail(RuleSetEntity, { id: rows[0].id }), retired };
    });
  }

  /** Publishes a copy of a published version as the next version (based_on = it) and activates it. */
  async revert(model: ModelRef, version: number): Promise<StateChange> {
    const change: LiveSetChange = { modelId: model.id, reason: 'activated' };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.locked(model, change, async (runner) => {
          const rows: Array<{ id: number; state: RuleSetEntity['state'] }> = await runner.query(`SELECT id, state FROM rule_sets WHERE model_id = $1 AND version = $2`, [
            model.id,
            version,
          ]);
          if (rows.length === 0) throw notFound(model, version);
          if (rows[0].state === 'draft') {
            throw new CaveatError('conflict', `version ${version} of '${model.name}' is a draft, never published: activate it instead of reverting to it`, { field: 'version', version, state: 'draft' });
          }
          const retired = await retireHolder(runner, model.id, 'active');
          // The model lock keeps other state changes out, but not new drafts: a clash on the version
          // number is retried below with the next one.
          const [{ id }] = await runner.query(
            `INSERT INTO rule_sets (model_id, version, source, state, rules, params, snapshot, based_on, published_at)
             SELECT model_id, (SELECT MAX(version) + 1 FROM rule_sets WHERE model_id = $1), source, 'active', rules, params, snapshot, version, now()
               FROM rule_sets WHERE id = $2
             RETURNING id`,
            [model.id, rows[0].id],
          );
          return { set: await runner.manager.findOneByOrFail(RuleSetEntity, { id }), retired };
        });
      } catch (e) {
        if (isUniqueViolation(e, VERSION_KEY) && attempt < 5) continue;
        throw e;
      }
    }
  }

  private async locked(model: ModelRef, change: LiveSetChange, work: (runner: QueryRunner) => Promise<Omit<StateChange, 'change'>>): Promise<StateChange> {
    try {
      const result = await this.db.transaction(async (runner) => {
        await runner.query(`SELECT id FROM models WHERE id = $1 FOR NO KEY UPDATE NOWAIT`, [model.id]);
        const out = await work(runner);
        await notifyLiveSetChange(this.db, runner, change, this.events);
        return out;
      });
      return { ...result, change };
    } catch (e) {
      if (isLockNotAvailable(e) || LIVE_INDEXES.some((index) => isUniqueViolation(e, index))) throw activationConflict(model.name);
      throw e;
    }
  }
}

/** Retires the model's current holder of `state` (active or shadow); returns its version, if any. */
async function retireHolder(runner: QueryRunner, modelId: number, state: 'active' | 'shadow'): Promise<number[]> {
  const result = await runner.query(`UPDATE rule_sets SET state = 'retired', retired_at = now() WHERE model_id = $1 AND state = $2 RETURNING version`, [modelId, state], true);
  return (result.records as Array<{ version: number }>).map((r) => r.version);
}

const notFound = (model: ModelRef, version: number): CaveatError =>
  new CaveatError('not_found', `model '${model.name}' has no rule set version ${version}`, { field: 'version', version });
