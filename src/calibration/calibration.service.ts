import { Inject, Injectable, Optional } from '@nestjs/common';
import { applyCalibratorToAll, fitCalibrator, type Calibrator } from '../core/calibration/calibrator';
import { calibrationReport, type CalibrationReport } from '../core/calibration/calibration-report';
import { policyThreshold } from '../core/cost/cost-policy';
import { thresholdReport } from '../core/cost/threshold-report';
import { CaveatError } from '../core/errors';
import type { Split } from '../core/predictions/prediction-row';
import { Database } from '../database/database';
import { insertNextVersion } from '../database/next-version';
import { ModelsService, type LoadedModel } from '../models/models.service';
import { readLabelledColumns, type LabelledColumns } from '../predictions/prediction-columns';
import { RuleSetEvents, notifyLiveSetChange, type LiveSetChange } from '../rule-sets/rule-set-events';
import { CalibratorEntity, type CalibratorScores, type MetricSnapshot } from './calibrator.entity';
import type { FitCalibratorDto } from './dto/fit-calibrator.dto';

export interface ThresholdQuery {
  split: Split;
  replicates: number;
  seed: number;
}

export interface CalibrationQuery {
  split: Split;
  calibratorVersion?: number;
  bins: number;
  h: number;
}

@Injectable()
export class CalibrationService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
    // Tells the in-memory rejectors that the active calibrator changed (absent in contexts without rule sets).
    @Optional() @Inject(RuleSetEvents) private readonly events?: RuleSetEvents,
  ) {}

  /** T*, Tv with its bootstrap interval, EV/RV at both, baselines and value curves (DESIGN §1). */
  async thresholds(modelName: string, q: ThresholdQuery) {
    const model = await this.models.load(modelName);
    const cols = await this.columns(model, q.split);
    const { V, D, W } = model.policy;
    return {
      model: modelName,
      split: q.split,
      policyVersion: model.policyVersion,
      ...thresholdReport(cols.confidence, cols.correct, { V, D, W }, { replicates: q.replicates, seed: q.seed }),
    };
  }

  /** Every calibration metric of DESIGN §2 on a split, before and (with a calibrator) after recalibration. */
  async calibration(modelName: string, q: CalibrationQuery) {
    const model = await this.models.load(modelName);
    const cols = await this.columns(model, q.split, true);
    const threshold = policyThreshold(model.policy);
    const options = { bins: q.bins, threshold, h: q.h, probabilities: probabilityOption(cols) };
    const raw = calibrationReport(cols.confidence, cols.correct, options);
    let calibrated: { calibrator: { version: number; method: string }; report: CalibrationReport } | null = null;
    if (q.calibratorVersion !== undefined) {
      const cal = await this.findCalibrator(model, q.calibratorVersion);
      const conf = applyCalibratorToAll(cal.params, cols.confidence);
      calibrated = { calibrator: { version: cal.version, method: cal.method }, report: calibrationReport(conf, cols.correct, { ...options, probabilities: undefined }) };
    }
    return { model: modelName, split: q.split, tStar: threshold, raw, calibrated };
  }

  /** Fits a recalibrator on one split, scores it on another, and stores it as the next version. */
  async fit(modelName: string, dto: FitCalibratorDto) {
    const model = await this.models.load(modelName);
    const fitSplit = dto.fitSplit ?? 'validation';
    const scoreSplit = dto.scoreSplit ?? 'test';
    if (fitSplit === scoreSplit) throw new CaveatError('invalid_input', 'scoreSplit: must differ from fitSplit (a recalibrator scored on its own fit data says nothing)', { field: 'scoreSplit' });
    const fitCols = await this.columns(model, fitSplit, dto.method === 'temperature');
    const calibrator = fitCalibrator(dto.method, fitCols.confidence, fitCols.correct, { bins: dto.bins, probabilities: probabilityOption(fitCols) });
    const scores = await this.score(model, scoreSplit, calibrator);
    const saved = await insertNextVersion(this.db, 'calibrators', model.entity.id, (runner, version) =>
      runner.manager.save(CalibratorEntity, { modelId: model.entity.id, version, method: dto.method, fitSplit, fitN: fitCols.n, params: calibrator, scores }),
    );
    return view(saved, true);
  }

  async list(modelName: string) {
    const model = await this.models.load(modelName);
    const rows = await this.db.dataSource.getRepository(CalibratorEntity).find({ where: { modelId: model.entity.id }, order: { version: 'DESC' } });
    return rows.map((r) => view(r, false));
  }

  async get(modelName: string, version: number) {
    return view(await this.findCalibrator(await this.models.load(modelName), version), true);
  }

  /** Makes one version the model's active calibrator (the rejector applies it); at most one is active. */
  async activate(modelName: string, version: number) {
    const model = await this.models.load(modelName);
    const cal = await this.findCalibrator(model, version);
    const change: LiveSetChange = { modelId: model.entity.id, reason: 'calibrator' };
    await this.db.transaction(async (runner) => {
      await runner.query(`UPDATE calibrators SET active = false WHERE model_id = $1 AND active`, [model.entity.id]);
      await runner.query(`UPDATE calibrators SET active = true WHERE id = $1`, [cal.id]);
      await notifyLiveSetChange(this.db, runner, change, this.events);
    });
    this.events?.emit(change);
    return view({ ...cal, active: true }, false);
  }

  async deactivate(modelName: string) {
    const model = await this.models.load(modelName);
    const change: LiveSetChange = { modelId: model.entity.id, reason: 'calibrator' };
    await this.db.transaction(async (runner) => {
      await runner.query(`UPDATE calibrators SET active = false WHERE model_id = $1 AND active`, [model.entity.id]);
      await notifyLiveSetChange(this.db, runner, change, this.events);
    });
    this.events?.emit(change);
    return { active: null };
  }

  /** The active calibrator of a model, or null (used by the rejector). */
  async active(modelId: number): Promise<{ version: number; calibrator: Calibrator } | null> {
    const row = await this.db.dataSource.getRepository(CalibratorEntity).findOne({ where: { modelId, active: true } });
    return row ? { version: row.version, calibrator: row.params } : null;
  }

  private async score(model: LoadedModel, split: Split, calibrator: Calibrator): Promise<CalibratorScores | null> {
    let cols: LabelledColumns;
    try {
      cols = await this.columns(model, split);
    } catch (e) {
      if (e instanceof CaveatError && e.code === 'unprocessable') return null; // nothing labelled to score on yet
      throw e;
    }
    const before = calibrationReport(cols.confidence, cols.correct);
    const after = calibrationReport(applyCalibratorToAll(calibrator, cols.confidence), cols.correct);
    return { split, n: cols.n, before: snapshot(before), after: snapshot(after) };
  }

  private async findCalibrator(model: LoadedModel, version: number): Promise<CalibratorEntity> {
    const row = await this.db.dataSource.getRepository(CalibratorEntity).findOne({ where: { modelId: model.entity.id, version } });
    if (!row) throw new CaveatError('not_found', `model '${model.entity.name}' has no calibrator version ${version}`, { field: 'calibrator', version });
    return row;
  }

  private columns(model: LoadedModel, split: Split, probabilities = false): Promise<LabelledColumns> {
    return readLabelledColumns(this.db, model.entity, split, { probabilities });
  }
}

function probabilityOption(cols: LabelledColumns) {
  return cols.probabilities ? { matrix: cols.probabilities, k: cols.classes.length, labels: Uint32Array.from(cols.label) } : undefined;
}

function snapshot(r: CalibrationReport): MetricSnapshot {
  return { eceEqualWidth: r.eceEqualWidth, eceEqualMass: r.eceEqualMass, mceEqualWidth: r.mceEqualWidth, brierTopLabel: r.brierTopLabel, nllTopLabel: r.nllTopLabel };
}

function view(e: CalibratorEntity, withParams: boolean) {
  const { version, method, fitSplit, fitN, scores, active, createdAt } = e;
  return { version, method, fitSplit, fitN, scores, active, createdAt, ...(withParams ? { calibrator: e.params } : {}) };
}
