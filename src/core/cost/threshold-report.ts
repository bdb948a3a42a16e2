import { invalid } from '../errors';
import { optimalThreshold } from './cost-policy';
import { downsampleIndices } from './curve-downsample';
import { rankPredictions, type RankedPredictions } from './ranked-predictions';
import { bootstrapThreshold, type BootstrapOptions, type ThresholdBootstrap } from './threshold-bootstrap';
import { valueBaselines, type ValueBaselines } from './threshold-value';
import {
  REJECT_ALL,
  candidateIndex,
  empiricalThresholdIndex,
  pointAt,
  valueCurvesFromRanked,
  type ScalarCosts,
  type ValueCurves,
  type ValuePoint,
} from './value-curves';

export interface ThresholdReportOptions extends BootstrapOptions {
  /** Bootstrap resamples for the Tv interval; 0 skips the bootstrap (default 200). */
  replicates?: number;
  /** At most this many points per returned curve (default 200). */
  maxPoints?: number;
  /** A ranking of the same predictions, when the caller already has one. */
  ranked?: RankedPredictions;
}

/** Downsampled value curves as plain arrays, one entry per kept candidate threshold. */
export interface CurvePoints {
  threshold: number[];
  accepted: number[];
  coverage: number[];
  ev: number[];
  rv: number[];
}

/** Everything GET /models/:name/thresholds returns (DESIGN §1), as JSON-able data. */
export interface ThresholdReport {
  n: number;
  policy: ScalarCosts;
  /** Threshold that stands for "reject all" in every field below. */
  rejectAll: number;
  tStar: number;
  tv: number;
  /** |T* − Tv|: grows with miscalibration near the threshold. */
  distance: number;
  atTStar: ValuePoint;
  atTv: ValuePoint;
  /** Bootstrap intervals of Tv and RV(Tv); null when replicates = 0. */
  bootstrap: ThresholdBootstrap | null;
  baselines: ValueBaselines;
  curves: CurvePoints;
}

/**
 * T*, Tv with its bootstrap interval, EV/RV/gap at both, baselines and downsampled value curves
 * (DESIGN §1) for top-label confidences and correctness under a scalar cost policy.
 */
export function thresholdReport(conf: Float64Array, correct: Uint8Array, policy: ScalarCosts, options: ThresholdReportOptions = {}): ThresholdReport {
  for (const k of ['V', 'D', 'W'] as const) {
    if (!Number.isFinite(policy[k])) throw invalid(`policy.${k}`, 'must be a finite number');
  }
  const ranked = options.ranked ?? rankPredictions(conf, correct);
  const curves = valueCurvesFromRanked(ranked, policy);
  const tStar = optimalThreshold(policy.V, policy.D, policy.W);
  const iStar = candidateIndex(curves, tStar);
  const iv = empiricalThresholdIndex(curves, policy);
  const tv = curves.thresholds[iv];
  let sumC = 0;
  for (let g = 0; g < ranked.values.length; g++) sumC += ranked.values[g] * ranked.counts[g];
  const replicates = options.replicates ?? 200;
  return {
    n: ranked.n,
    policy: { V: policy.V, D: policy.D, W: policy.W },
    rejectAll: REJECT_ALL,
    tStar,
    tv,
    distance: Math.abs(tStar - Math.min(tv, 1)), // "reject all" sits at 1 for this distance
    atTStar: pointAt(curves, iStar, tStar),
    atTv: pointAt(curves, iv, tv),
    bootstrap: replicates === 0 ? null : bootstrapThreshold(ranked, policy, { ...options, replicates }),
    baselines: valueBaselines(ranked.n, ranked.totalCorrect, sumC, policy),
    curves: curvePoints(curves, downsampleIndices(curves.thresholds.length, [iStar, iv], options.maxPoints ?? 200)),
  };
}

/** The curves at the given candidate indices, as plain arrays. */
export function curvePoints(curves: ValueCurves, indices: readonly number[]): CurvePoints {
  return {
    threshold: indices.map((j) => curves.thresholds[j]),
    accepted: indices.map((j) => curves.accepted[j]),
    coverage: indices.map((j) => curves.accepted[j] / curves.n),
    ev: indices.map((j) => curves.ev[j]),
    rv: indices.map((j) => curves.rv[j]),
  };
}
