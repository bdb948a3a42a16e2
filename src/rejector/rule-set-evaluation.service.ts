import { Inject, Injectable } from '@nestjs/common';
import { CalibrationService } from '../calibration/calibration.service';
import { ConceptsService } from '../concepts/concepts.service';
import { applyCalibrator, parseCalibrator } from '../core/calibration/calibrator';
import { policyThreshold, type CostPolicy } from '../core/cost/cost-policy';
import { empiricalThresholdIndex, valueCurves } from '../core/cost/value-curves';
import { textDetectors } from '../core/detectors/text-detectors';
import { CaveatError } from '../core/errors';
import type { Split } from '../core/predictions/prediction-row';
import { decide } from '../core/rejection/decide';
import { ConceptFlagsService } from '../crowd/concept-flags.service';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { readLabelledColumns, type LabelledColumns } from '../predictions/prediction-columns';
import { RuleSetStore } from '../rule-sets/rule-set-store';
import { DEFAULT_REJECTOR_SETTINGS } from './loaded-rejector';
import { ValueTally } from './realized-value';
import { prepareSet } from './rejector-loader';
import { loadTextDetectors, readSettingsRow } from './rejector-reads';

/**
 * GET /models/:name/rule-sets/:version/evaluate (issue 6): how a rule set would have paid on a
 * labelled split, before anyone activates it. Four strategies on the same items, with the same
 * (actively recalibrated) confidences and the model's current policy:
 * - threshold only at T* (per predicted class when the policy has class values);
 * - threshold only at Tv, fitted on the labelled validation split (argmax of its realized value curve);
 * - the rules + threshold, decided exactly as POST /decide would (facts: each prediction's
 *   attributes and text, and concept flags from the newest crowd aggregation run when there is one;
 *   the model's unresolved-concept setting applies; no class probabilities, so the strategies
 *   differ only by the rules);
 * - the oracle: reject exactly the wrong predictions (the ceiling).
 */
@Injectable()
export class RuleSetEvaluationService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
    @Inject(RuleSetStore) private readonly ruleSets: RuleSetStore,
    @Inject(CalibrationService) private readonly calibration: CalibrationService,
    @Inject(ConceptsService) private readonly concepts: ConceptsService,
    @Inject(ConceptFlagsService) private readonly flags: ConceptFlagsService,
  ) {}

  async evaluate(modelName: string, version: number, split: Split) {
    const model = await this.models.load(modelName);
    const modelId = model.entity.id;
    const set = await this.ruleSets.get(modelId, version, modelName);
    const cols = await readLabelledColumns(this.db, model.entity, split, { attributes: true, texts: true, externalIds: true });
    const active = await this.calibration.active(modelId);
    const calibrator = active ? { version: active.version, params: parseCalibrator(active.calibrator) } : null;
    const calibrate = calibrator ? (c: number) => applyCalibrator(calibrator.params, c) : undefined;
    const settings = (await readSettingsRow(this.db, modelId)) ?? DEFAULT_REJECTOR_SETTINGS;

    const detectors = await loadTextDetectors(this.db, modelId);
    let prepared;
    try {
      prepared = prepareSet(set, await this.concepts.attributeConcepts(modelName), detectors.length > 0 ? textDetectors(detectors) : undefined);
    } catch (e) {
      throw new CaveatError('unprocessable', e instanceof Error ? e.message : String(e), { field: 'version', version });
    }
    const crowd = await this.crowdFlags(modelName);
    const tv = await this.validationTv(model.entity, model.policy, calibrate);

    const { policy } = model;
    const strategies = { tStar: new ValueTally(), tv: new ValueTally(), rules: new ValueTally(), oracle: new ValueTally() };
    let matchedItems = 0;
    let unresolvedItems = 0;
    let flaggedItems = 0;
    for (let i = 0; i < cols.n; i++) {
      const predicted = cols.classes[cols.predicted[i]];
      const label = cols.classes[cols.label[i]];
      const c = calibrate ? calibrate(cols.confidence[i]) : cols.confidence[i];
      strategies.tStar.add(policy, predicted, label, c >= policyThreshold(policy, predicted));
      if (tv !== null) strategies.tv.add(policy, predicted, label, c >= tv.threshold);
      strategies.oracle.add(policy, predicted, label, cols.correct[i] === 1);
      const flags = crowd?.byItem.get(cols.externalIds![i]);
      if (flags) flaggedItems++;
      const d = decide(
        { confidence: cols.confidence[i], predicted, attributes: cols.attributes![i] ?? undefined, text: cols.texts![i] ?? undefined, concepts: flags },
        prepared.prepared,
        { policy, calibrate, unresolvedConcepts: settings.unresolvedConcepts, failMode: settings.failMode },
      );
      if (d.matchedRules.length > 0) matchedItems++;
      if (d.unresolvedConcepts.length > 0) unresolvedItems++;
      strategies.rules.add(policy, predicted, label, d.decision === 'accept');
    }
    return {
      model: modelName,
      ruleSetVersion: version,
      state: set.state,
      split,
      n: cols.n,
      policyVersion: model.policyVersion,
      calibratorVersion: calibrator?.version ?? null,
      unresolvedConcepts: settings.unresolvedConcepts,
      tStar: policyThreshold(policy),
      tv: tv === null ? null : { threshold: tv.threshold, fitSplit: 'validation', n: tv.n },
      facts: { rules: set.rules.length, itemsMatched: matchedItems, itemsWithUnresolvedConcepts: unresolvedItems, itemsWithCrowdFlags: flaggedItems, crowdRun: crowd?.runId ?? null },
      strategies: {
        tStar: { description: 'threshold only at T*', ...strategies.tStar.summary() },
        tv: tv === null ? null : { description: 'threshold only at Tv (fitted on validation)', ...strategies.tv.summary() },
        rules: { description: `rule set ${version} + threshold T*`, ...strategies.rules.summary() },
        oracle: { description: 'oracle: reject exactly the wrong predictions', ...strategies.oracle.summary() },
      },
    };
  }

  /** Tv = argmax of the realized value curve on the labelled validation split; null when it has no labels. */
  private async validationTv(entity: { id: number; name: string; classes: string[] }, policy: CostPolicy, calibrate: ((c: number) => number) | undefined) {
    let v: LabelledColumns;
    try {
      v = await readLabelledColumns(this.db, entity, 'validation');
    } catch (e) {
      if (e instanceof CaveatError && e.code === 'unprocessable') return null;
      throw e;
    }
    const conf = calibrate ? v.confidence.map(calibrate) : v.confidence;
    const curves = valueCurves(conf, v.correct, policy);
    return { threshold: curves.thresholds[empiricalThresholdIndex(curves, policy)], n: v.n };
  }

  /** Crowd-aggregated concept flags of the newest aggregation run, by item external id; null when there is no run. */
  private async crowdFlags(modelName: string): Promise<{ runId: number; byItem: Map<string, Record<string, boolean>> } | null> {
    let x;
    try {
      x = await this.flags.conceptFlags(modelName);
    } catch (e) {
      if (e instanceof CaveatError && (e.code === 'unprocessable' || e.code === 'not_found')) return null;
      throw e;
    }
    const byItem = new Map<string, Record<string, boolean>>();
    x.itemIds.forEach((itemId, i) => {
      const flags: Record<string, boolean> = {};
      let any = false;
      x.concepts.forEach((name, j) => {
        if (x.kinds[j] !== 'aggregated' || x.answered[j][i] !== 1) return; // attribute concepts resolve from attributes
        flags[name] = x.present[j][i] === 1;
        any = true;
      });
      if (any) byItem.set(itemId, flags);
    });
    return { runId: x.runId, byItem };
  }
}
