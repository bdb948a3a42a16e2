/**
 * `caveat calibrate`: calibration metrics (DESIGN §2) of the raw confidences and after each
 * recalibrator fitted on one part of the data and scored on the other. Offline on a CSV file; or
 * `--model NAME`, which fits and stores recalibrators through the service (local or --url).
 */
import { writeFile } from 'node:fs/promises';
import { parseCli, numberOption, required } from '../args';
import { invalid } from '../../core/errors';
import { optimalThreshold } from '../../core/cost/cost-policy';
import type { ScalarCosts } from '../../core/cost/value-curves';
import { calibrationReport, type CalibrationReport } from '../../core/calibration/calibration-report';
import { CALIBRATOR_METHODS, applyCalibratorToAll, fitCalibrator, type Calibrator, type CalibratorMethod } from '../../core/calibration/calibrator';
import { permutation, seededRng } from '../../core/random/rng';
import { count, fixed, formatTable } from '../format';
import {
  PREDICTION_OPTIONS,
  costPolicyOptions,
  joinNegativeValues,
  outputFormat,
  predictionColumns,
  readPredictionsCsv,
  type PredictionColumns,
} from '../offline-predictions';

const HELP = `Usage: caveat calibrate --csv FILE --confidence COL (--correct COL | --label COL --predicted COL) [options]
       caveat calibrate --model NAME [--url URL] --method isotonic   (online: served by the Caveat service)

Calibration of the confidences, raw and after recalibration: each recalibrator is fitted on
one part of the rows and all metrics are computed on the other.

Input: --csv, --confidence, --correct or --label/--predicted as for 'caveat thresholds'.
Fit and evaluation rows:
  --split-col COL --fit-split NAME --eval-split NAME
                         by a split column (e.g. validation / test), or else
  --fit-fraction 0.5 --seed 1
                         a seeded shuffle: this fraction fits, the rest evaluates
Recalibration:
  --method all           platt | isotonic | histogram | temperature | all
  --bins 15              bins of both ECEs, the reliability data and histogram binning
  --out FILE             write the fitted calibrator JSON ({method, version, params}); with
                         --method all, an object keyed by method
Local calibration at T* (cost policy, DESIGN §1): --V 1 --D -1 (--K 5 | --W -5), --h 0.05
Output: --format table|json
`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseCli(
    joinNegativeValues(args),
    {
      ...PREDICTION_OPTIONS,
      'fit-split': { type: 'string' },
      'eval-split': { type: 'string' },
      'fit-fraction': { type: 'string' },
      method: { type: 'string' },
      bins: { type: 'string' },
      h: { type: 'string' },
      out: { type: 'string' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const format = outputFormat(values);
  const method = values.method ?? 'all';
  if (method !== 'all' && !(CALIBRATOR_METHODS as readonly string[]).includes(method)) {
    throw invalid('--method', `must be one of ${CALIBRATOR_METHODS.join(', ')} or all`);
  }
  const fitFraction = numberOption(values, 'fit-fraction', 0.5);
  if (!(fitFraction > 0 && fitFraction < 1)) throw invalid('--fit-fraction', 'must lie strictly between 0 and 1');
  const bins = numberOption(values, 'bins', 15);
  if (!Number.isInteger(bins) || bins < 1) throw invalid('--bins', 'must be a positive whole number');
  if (values.model !== undefined) {
    const { fitAndScore } = await import('../online-calibration.js');
    const r = await fitAndScore(values.model, {
      url: values.url,
      methods: method === 'all' ? [...CALIBRATOR_METHODS] : [method as CalibratorMethod],
      fitSplit: values['fit-split'],
      evalSplit: values['eval-split'],
      bins,
      h: numberOption(values, 'h', 0.05),
    });
    const result: CalibrateResult = {
      source: { file: `model '${values.model}'`, rows: r.raw.n + r.fitN, fit: `split '${r.fitSplit}'`, eval: `split '${r.evalSplit}'` },
      fitCount: r.fitN,
      evalCount: r.raw.n,
      tStar: r.tStar,
      raw: r.raw,
      methods: r.methods,
    };
    if (format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(formatCalibration(result, { bins, h: numberOption(values, 'h', 0.05) }));
      process.stdout.write(`stored as calibrator version(s) ${r.methods.map((m) => `${m.version} (${m.calibrator.method})`).join(', ')}; activate one with POST /models/${values.model}/calibrators/:version/activate\n`);
    }
    return 0;
  }
  const columns = predictionColumns(values);
  const bySplit = values['split-col'] !== undefined;
  if (bySplit) {
    columns.splits = [required(values, 'fit-split'), required(values, 'eval-split')];
    if (columns.splits[0] === columns.splits[1]) throw invalid('--eval-split', 'must differ from --fit-split');
  } else if (values['fit-split'] !== undefined || values['eval-split'] !== undefined) {
    throw invalid('--split-col', '--fit-split and --eval-split need --split-col COL');
  }
  return calibrateOffline({
    file: required(values, 'csv'),
    columns,
    methods: method === 'all' ? [...CALIBRATOR_METHODS] : [method as CalibratorMethod],
    fitFraction,
    seed: numberOption(values, 'seed', 1),
    bins,
    h: numberOption(values, 'h', 0.05),
    policy: costPolicyOptions(values),
    format,
    out: values.out,
  });
}

export interface CalibrateOfflineOptions {
  file: string;
  /** With `splits` = [fit, eval] the split column decides; otherwise a seeded shuffle does. */
  columns: PredictionColumns;
  methods: CalibratorMethod[];
  fitFraction: number;
  seed: number;
  bins: number;
  h: number;
  policy: ScalarCosts;
  format: 'table' | 'json';
  out?: string;
}

export interface CalibrateResult {
  source: { file: string; rows: number; fit: string; eval: string };
  fitCount: number;
  evalCount: number;
  tStar: number;
  raw: CalibrationReport;
  methods: Array<{ calibrator: Calibrator; report: CalibrationReport }>;
}

/** The offline path: stream the CSV, split, fit, score, print. Returns the exit code. */
export async function calibrateOffline(o: CalibrateOfflineOptions): Promise<number> {
  const data = await readPredictionsCsv(o.file, o.columns);
  const { fit, evaluate, fitName, evalName } = splitRows(data, o);
  const tStar = optimalThreshold(o.policy.V, o.policy.D, o.policy.W);
  const score = (conf: Float64Array) => calibrationReport(conf, evaluate.correct, { bins: o.bins, threshold: tStar, h: o.h });
  const methods = o.methods.map((method) => {
    const calibrator = fitCalibrator(method, fit.conf, fit.correct, { bins: o.bins });
    return { calibrator, report: score(applyCalibratorToAll(calibrator, evaluate.conf)) };
  });
  const result: CalibrateResult = {
    source: { file: o.file, rows: data.rows, fit: fitName, eval: evalName },
    fitCount: fit.conf.length,
    evalCount: evaluate.conf.length,
    tStar,
    raw: score(evaluate.conf),
    methods,
  };
  if (o.out !== undefined) {
    const saved = methods.length === 1 ? methods[0].calibrator : Object.fromEntries(methods.map((m) => [m.calibrator.method, m.calibrator]));
    await writeFile(o.out, `${JSON.stringify(saved, null, 2)}\n`);
  }
  if (o.format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(formatCalibration(result, o));
  return 0;
}

interface Part {
  conf: Float64Array;
  correct: Uint8Array;
}

function splitRows(data: { conf: Float64Array; correct: Uint8Array; split: Uint8Array }, o: CalibrateOfflineOptions) {
  const n = data.conf.length;
  const inFit = new Uint8Array(n);
  let fitName: string;
  let evalName: string;
  if (o.columns.splits) {
    for (let i = 0; i < n; i++) inFit[i] = data.split[i] === 0 ? 1 : 0;
    [fitName, evalName] = o.columns.splits.map((s) => `${o.columns.splitColumn} = ${s}`);
  } else {
    // A seeded shuffle: the first ⌊fraction·n⌉ of the permutation fit, the rest evaluate.
    const order = permutation(n, seededRng(o.seed));
    const cut = Math.round(o.fitFraction * n);
    for (let i = 0; i < cut; i++) inFit[order[i]] = 1;
    fitName = `${Math.round(o.fitFraction * 100)}% of rows by a seeded shuffle, seed ${o.seed}`;
    evalName = 'the other rows';
  }
  const take = (want: number): Part => {
    let size = 0;
    for (let i = 0; i < n; i++) size += inFit[i] === want ? 1 : 0;
    const conf = new Float64Array(size);
    const correct = new Uint8Array(size);
    for (let i = 0, j = 0; i < n; i++) {
      if (inFit[i] !== want) continue;
      conf[j] = data.conf[i];
      correct[j++] = data.correct[i];
    }
    return { conf, correct };
  };
  // Empty parts reach the core, which refuses them with a clear 'unprocessable'.
  return { fit: take(1), evaluate: take(0), fitName, evalName };
}

/** Metrics in rows, raw and each recalibrator in columns. */
export function formatCalibration(r: CalibrateResult, o: { bins: number; h: number }): string {
  const reports = [r.raw, ...r.methods.map((m) => m.report)];
  const metric = (name: string, f: (x: CalibrationReport) => string) => [name, ...reports.map(f)];
  const local = (x: CalibrationReport) => (x.local?.error == null ? `— (n ${x.local?.count ?? 0})` : `${fixed(x.local.error)} (n ${count(x.local.count)})`);
  const rows = [
    ['', 'raw', ...r.methods.map((m) => m.calibrator.method)],
    metric(`ECE equal-width (${o.bins})`, (x) => fixed(x.eceEqualWidth)),
    metric(`ECE equal-mass (${o.bins})`, (x) => fixed(x.eceEqualMass)),
    metric(`MCE equal-width (${o.bins})`, (x) => fixed(x.mceEqualWidth)),
    metric(`MCE equal-mass (${o.bins})`, (x) => fixed(x.mceEqualMass)),
    metric('Brier (top label)', (x) => fixed(x.brierTopLabel)),
    metric('NLL (top label)', (x) => fixed(x.nllTopLabel)),
    metric(`local error at T* ± ${o.h}`, local),
    metric('AURC', (x) => fixed(x.riskCoverage.aurc)),
    metric('E-AURC', (x) => fixed(x.riskCoverage.eAurc)),
    metric('mean confidence', (x) => fixed(x.meanConfidence)),
  ];
  const params = r.methods.map(({ calibrator: c }) => {
    switch (c.method) {
      case 'platt':
        return `platt: σ(${fixed(c.params.a)}·logit(c) ${c.params.b < 0 ? '−' : '+'} ${fixed(Math.abs(c.params.b))})`;
      case 'temperature':
        return `temperature: T = ${fixed(c.params.temperature)}`;
      case 'isotonic':
        return `isotonic: ${count(c.params.x.length)} knots, ${c.params.interpolation} between them`;
      case 'histogram':
        return `histogram: ${c.params.values.length} ${c.params.binning} bins`;
    }
  });
  return [
    `Calibration of ${count(r.raw.n + r.fitCount)} predictions from ${r.source.file}`,
    `fitted on ${count(r.fitCount)} rows (${r.source.fit}); scored on ${count(r.evalCount)} rows (${r.source.eval})`,
    `accuracy on the scored rows ${fixed(r.raw.accuracy)}; T* = ${fixed(r.tStar)}`,
    '',
    formatTable(rows),
    '',
    ...params,
    '',
  ].join('\n');
}
