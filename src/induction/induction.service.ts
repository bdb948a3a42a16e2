import { Inject, Injectable } from '@nestjs/common';
import { CalibrationService } from '../calibration/calibration.service';
import { applyCalibratorToAll } from '../core/calibration/calibrator';
import { ConceptFlagsService } from '../crowd/concept-flags.service';
import { induceRules } from '../core/induction/induce';
import type { InducedRule, InductionResult } from '../core/induction/types';
import type { CaveatRule } from '../core/rejection/rule-model';
import { CaveatError } from '../core/errors';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { readLabelledColumns, type LabelledColumns } from '../predictions/prediction-columns';
import { RuleSetStore } from '../rule-sets/rule-set-store';
import type { InduceDto } from './dto/induce.dto';
import { datasetFromPredictions, itemFacts, subsetColumns } from './prediction-dataset';
import { subgroupAction } from './subgroup-threshold';

@Injectable()
export class InductionService {

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
    @Inject(ConceptFlagsService) private readonly flags: ConceptFlagsService,
    @Inject(CalibrationService) private readonly calibration: CalibrationService,
    @Inject(RuleSetStore) private readonly store: RuleSetStore,
  ) {}

  /**
   * Mines "the model fails when…" rules on a labelled split (DESIGN §4) and stores them as a
   * draft rule set, with the parameters, the data snapshot and each rule's action.
   */
  async induce(modelName: string, dto: InduceDto) {
    const model = await this.models.load(modelName);
    const split = dto.split ?? 'validation';
    const all = await readLabelledColumns(this.db, model.entity, split, { attributes: true, externalIds: true });
    const { split: _s, categorical, action: actionMode, concepts: _c, aggregationRun, campaign, ...given } = dto;
    // Absent fields take the core's defaults (the DTO instance may carry them as undefined).
    const params = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Omit<InduceDto, 'split' | 'categorical' | 'action'>;
    const useConcepts = dto.concepts === true || aggregationRun !== undefined || campaign !== undefined;
    const { cols, concepts, weights, conceptRun } = useConcepts ? await this.withConceptFlags(modelName, all, aggregationRun, campaign) : { cols: all, concepts: undefined, weights: undefined, conceptRun: null };
    const dataset = datasetFromPredictions(cols, { categorical, concepts, weights });
    const result: InductionResult = induceRules(dataset, { holdout: 0.3, ...params, costPolicy: model.policy });
    const { V, D, W } = model.policy;
    // The rejector compares the recalibrated confidence with a rule's threshold, so each subgroup's
    // own Tv is found on the same scale: through the calibrator active now (recorded in params).
    const active = await this.calibration.active(model.entity.id);
    const decisionConfidence = active ? applyCalibratorToAll(active.calibrator, cols.confidence) : cols.confidence;
    // Each item's facts are built once, when the first rule needs them, and read by every rule.
    let facts: ReturnType<typeof itemFacts>[] | undefined;
    const factsOf = (i: number) => (facts ??= Array.from({ length: cols.n }, (_, j) => itemFacts(cols, j, concepts)))[i];
    const rules: CaveatRule[] = result.rules.map((r: InducedRule) => {
      const conditions = r.engine.conditions;
      const sub = actionMode === 'reject' ? null : subgroupAction(conditions, factsOf, cols.n, decisionConfidence, cols.correct, { V, D, W });
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
      params: { ...result.params, split, categorical: categorical ?? [], action: actionMode ?? 'subgroup-threshold', policyVersion: model.policyVersion, calibratorVersion: active?.version ?? null, conceptRun, campaign: campaign ?? null },
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

  /**
   * Restricts the split to the items people annotated and adds their concept flags as literals,
   * weighted 1/π by the sampling design that chose them (DESIGN §3–4): rates over a stratified
   * sample are then unbiased estimates of the rates over the whole split.
   */
  private async withConceptFlags(modelName: string, cols: LabelledColumns, runId?: number, campaignId?: number) {
    const flags = await this.flags.conceptFlags(modelName, { runId, campaignId });
    const row = new Map(flags.itemIds.map((id, k) => [id, k]));
    const keep: number[] = [];
    const flagRow: number[] = [];
    cols.externalIds!.forEach((id, i) => {
      const k = row.get(id);
      if (k !== undefined) {
        keep.push(i);
        flagRow.push(k);
      }
    });
    if (keep.length === 0) {
      throw new CaveatError('unprocessable', `no item of this split has concept flags in aggregation run ${flags.runId}`, { field: 'concepts' });
    }
    const concepts = flags.concepts.map((name, c) => ({
      name,
      // 1 present, 0 absent, 255 unknown (not asked): an unknown flag makes neither literal hold.
      values: Uint8Array.from(flagRow, (k) => (flags.answered[c][k] ? flags.present[c][k] : 255)),
    }));
    const weights = Float64Array.from(flagRow, (k) => flags.weights[k]);
    return { cols: subsetColumns(cols, keep), concepts, weights, conceptRun: flags.runId };
  }
}
