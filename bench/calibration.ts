/**
 * Issue 3's speed target: every calibration metric and both value curves (EV and RV, with T*, Tv
 * and baselines) over 1M predictions in under 1 s, median of 5. Also times the pieces, the Tv
 * bootstrap (B = 200) and each recalibrator's fit and apply, which are not in that budget.
 *
 *   npm run build:bench && node dist/bench/calibration.js
 */
import { rankPredictions } from '../src/core/cost/ranked-predictions';
import { thresholdReport } from '../src/core/cost/threshold-report';
import { bootstrapThreshold } from '../src/core/cost/threshold-bootstrap';
import { valueCurvesFromRanked } from '../src/core/cost/value-curves';
import { calibrationReport } from '../src/core/calibration/calibration-report';
import { CALIBRATOR_METHODS, applyCalibratorToAll, fitCalibrator } from '../src/core/calibration/calibrator';
import { seededRng } from '../src/core/random/rng';
import { median } from './bench-util';

const N = Number(process.env.BENCH_N ?? 1_000_000);
const RUNS = 5;
const POLICY = { V: 1, D: -1, W: -5 };

/** Seeded synthetic predictions: c in [0.5, 1), slightly overconfident (P(correct) = c^1.3). */
function synthetic(n: number, seed: number): { conf: Float64Array; correct: Uint8Array } {
  const rng = seededRng(seed);
  const conf = new Float64Array(n);
  const correct = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    conf[i] = 0.5 + 0.5 * Math.pow(rng.next(), 0.6);
    correct[i] = rng.next() < Math.pow(conf[i], 1.3) ? 1 : 0;
  }
  return { conf, correct };
}

function timeRuns<T>(runs: number, f: () => T): { median: number; min: number; max: number; value: T } {
  f(); // warm-up: JIT, not counted
  const ms: number[] = [];
  let value!: T;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    value = f();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { median: median(ms), min: Math.min(...ms), max: Math.max(...ms), value };
}

const row = (label: string, t: { median: number; min: number; max: number }, note = '') =>
  console.log(`${label.padEnd(44)} ${t.median.toFixed(1).padStart(8)} ms  (min ${t.min.toFixed(1)}, max ${t.max.toFixed(1)})${note ? '  ' + note : ''}`);

const { conf, correct } = synthetic(N, 1);
console.log(`calibration bench: ${N.toLocaleString('en-US')} synthetic predictions, median of ${RUNS} (after one warm-up run)\n`);

const all = timeRuns(RUNS, () => {
  const ranked = rankPredictions(conf, correct);
  const thresholds = thresholdReport(conf, correct, POLICY, { ranked, replicates: 0 });
  const calibration = calibrationReport(conf, correct, { ranked, threshold: thresholds.tStar });
  return { thresholds, calibration };
});
row('ALL: metrics + EV/RV curves + T*, Tv (target < 1000)', all, all.median < 1000 ? 'OK' : 'OVER TARGET');

const ranked = rankPredictions(conf, correct);
row('  rank (two Float64Array sorts + merge)', timeRuns(RUNS, () => rankPredictions(conf, correct)), `${ranked.values.length.toLocaleString('en-US')} distinct confidences`);
row('  value curves from the ranking', timeRuns(RUNS, () => valueCurvesFromRanked(ranked, POLICY)));
row('  threshold report from the ranking (B = 0)', timeRuns(RUNS, () => thresholdReport(conf, correct, POLICY, { ranked, replicates: 0 })));
row('  calibration report from the ranking', timeRuns(RUNS, () => calibrationReport(conf, correct, { ranked, threshold: 2 / 3 })));

console.log('\nnot in the 1 s budget:');
const boot = timeRuns(3, () => bootstrapThreshold(ranked, POLICY, { replicates: 200, seed: 1 }));
row('bootstrap of Tv and RV(Tv), B = 200 (median of 3)', boot, `Tv ∈ [${boot.value.tv.lo.toFixed(4)}, ${boot.value.tv.hi.toFixed(4)}]`);
for (const method of CALIBRATOR_METHODS) {
  const fit = timeRuns(3, () => fitCalibrator(method, conf, correct));
  row(`fit ${method} (median of 3)`, fit);
  row(`apply ${method} to 1M confidences (median of 3)`, timeRuns(3, () => applyCalibratorToAll(fit.value, conf)));
}
const t = all.value.thresholds;
const c = all.value.calibration;
console.log(
  `\nfigures: T* ${t.tStar.toFixed(4)}  Tv ${t.tv.toFixed(4)}  RV(T*) ${t.atTStar.rv.toFixed(4)}  RV(Tv) ${t.atTv.rv.toFixed(4)}  ` +
    `ECE-w ${c.eceEqualWidth.toFixed(4)}  ECE-m ${c.eceEqualMass.toFixed(4)}  AURC ${c.riskCoverage.aurc.toFixed(4)}`,
);
