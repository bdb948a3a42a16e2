import { Inject, Injectable } from '@nestjs/common';
import { induceRules } from '../core/induction/induce';
import type { InducedRule, InductionResult } from '../core/induction/types';
import type { CaveatRule } from '../core/rejection/rule-model';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { readLabelledColumns } from '../predictions/prediction-columns';
import { RuleSetStore } from '../rule-sets/rule-set-store';
import type { InduceDto } from './dto/induce.dto';
import { datasetFromPredictions, itemFacts } from './prediction-dataset';
import { subgroupAction } from './subgroup-threshold';

@Injectable()
export class InductionService {
  private readonly store: RuleSetStore;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
  ) {
    this.store = new RuleSetStore(db);
  }

  /**
   * Mines "the model fails when…" rules on a labelled split (DESIGN §4) and stores them as a
   * draft rule set, with the parameters, the data snapshot and each rule's action.
   */
  async induce(modelName: string, dto: InduceDto) {
    const model = await this.models.load(modelName);
    const split = dto.split ?? 'validation';
    const cols = await readLabelledColumns(this.db, model.entity, split, { attributes: true });
    const { split: _s, categorical, action: actionMode, ...given } = dto;
    // Absent fields take the core's defaults (the DTO instance may carry them as undefined).
    const params = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Omit<InduceDto, 'split' | 'categorical' | 'action'>;
    const dataset = datasetFromPredictions(cols, { categorical });
    const result: InductionResult = induceRules(dataset, { holdout: 0.3, ...params, costPolicy: model.policy });
    const { V, D, W } = model.policy;
    const rules: CaveatRule[] = result.rules.map((r: InducedRule) => {
      const conditions = r.engine.conditions;
      const sub = actionMode === 'reject' ? null : subgroupAction(conditions, (i) => itemFacts(cols, i), cols.n, cols.confidence, cols.correct, { V, D, W });
      return {
        id: r.id,
        sentence: r.sentence,
        action: sub ? sub.action : { type: 'reject' },
        conditions,
        stats: { ...r.stats, holdout: r.holdout ?? null, condition: r.condition, subgroupTv: sub?.subgroupTv ?? null },
        source: 'induced',
      };
    });
    const saved = await this.store.createDraft(model.entity.id, {
      source: 'induced',
      rules,
      params: { ...result.params, split, categorical: categorical ?? [], action: actionMode ?? 'subgroup-threshold', policyVersion: model.policyVersion },
      snapshot: { ...result.data, target: result.target, positive: result.positive ?? null, search: result.search, funnel: result.funnel },
    });
    return {
      model: modelName,
      version: saved.version,
      state: saved.state,
      source: saved.source,
      split,
      data: result.data,
      search: result.search,
      funnel: result.funnel,
      rules: rules.map((r, i) => ({ rank: i + 1, ...r })),
    };
  }
}
