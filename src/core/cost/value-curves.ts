import type { CostPolicy } from './cost-policy';
import { rankPredictions, type RankedPredictions } from './ranked-predictions';

/**
 * The "reject all" candidate threshold: the smallest double above 1. An item is accepted iff
 * c ≥ t, and every confidence is ≤ 1, so this rejects everything, while t = 1 still accepts
 * items with c = 1 exactly. Chosen over +Infinity because it survives JSON.stringify.
 */
export const REJECT_ALL = 1 + Number.EPSILON;

/** Scalar costs the curves use (DESIGN §1); class-dependent costs belong to Chow's rule. */
export type ScalarCosts = Pick<CostPolicy, 'V' | 'D' | 'W'>;

/**
 * EV(t) and RV(t) at every candidate threshold (DESIGN §1): the distinct confidences ascending,
 * then REJECT_ALL. At candidate j the accepted items are exactly those with c ≥ thresholds[j];
 * any other t accepts the same items as the smallest candidate ≥ t.
 */
export interface ValueCurves {
  n: number;
  thresholds: Float64Array;
  /** Items accepted at each candidate. */
  accepted: Uint32Array;
  /** Correct items among the accepted. */
  acceptedCorrect: Uint32Array;
  /** Mean expected value per item, EV(t) = (1/n) Σ [c<t]·D + [c≥t]·(c·V + (1−c)·W). */
  ev: Float64Array;
  /** Mean realized value per item, RV(t) = (1/n) Σ [c<t]·D + [c≥t]·(y·V + (1−y)·W). */
  rv: Float64Array;
}

/**
 * Realized value gained over the default path, in total, by accepting k items of which s are
 * correct: s·(V − D) + (k − s)·(W − D) = s·(V − W) + k·(W − D). RV = D + gain/n. Tv compares
 * gains, which do not depend on n (the bootstrap's resample size is known only at the end).
 */
const realizedGain = (s: number, k: number, p: ScalarCosts): number => s * (p.V - p.W) + k * (p.W - p.D);

/** Value curves over all candidate thresholds, from raw predictions: one sort, then suffix sums. */
export function valueCurves(conf: Float64Array, correct: Uint8Array, policy: ScalarCosts): ValueCurves {
  return valueCurvesFromRanked(rankPredictions(conf, correct), policy);
}

/** Value curves from an existing ranking, O(m) for m distinct confidences. */
export function valueCurvesFromRanked(r: RankedPredictions, policy: ScalarCosts): ValueCurves {
  const m = r.values.length;
  const { n } = r;
  const thresholds = new Float64Array(m + 1);
  const accepted = new Uint32Array(m + 1);
  const acceptedCorrect = new Uint32Array(m + 1);
  const ev = new Float64Array(m + 1);
  const rv = new Float64Array(m + 1);
  thresholds.set(r.values);
  thresholds[m] = REJECT_ALL;
  ev[m] = policy.D;
  rv[m] = policy.D;
  let k = 0;
  let s = 0;
  let sumC = 0;
  for (let j = m - 1; j >= 0; j--) {
    k += r.counts[j];
    s += r.correct[j];
    sumC += r.values[j] * r.counts[j];
    accepted[j] = k;
    acceptedCorrect[j] = s;
    // Σ over accepted of c·V + (1−c)·W = k·W + (V − W)·Σc.
    ev[j] = (k * policy.W + (policy.V - policy.W) * sumC + (n - k) * policy.D) / n;
    rv[j] = policy.D + realizedGain(s, k, policy) / n;
  }
  return { n, thresholds, accepted, acceptedCorrect, ev, rv };
}

/** Index of the candidate that decides threshold t: the smallest candidate ≥ t (binary search). */
export function candidateIndex(curves: ValueCurves, t: number): number {
  const th = curves.thresholds;
  let lo = 0;
  let hi = th.length - 1; // REJECT_ALL is ≥ every t ≤ 1
  if (t > th[hi]) return hi;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (th[mid] >= t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** What a threshold does: accepted items, coverage, EV, RV and the value gap EV − RV (DESIGN §1). */
export interface ValuePoint {
  threshold: number;
  accepted: number;
  coverage: number;
  ev: number;
  rv: number;
  gap: number;
}

/** EV, RV and gap at an arbitrary threshold t, read off the curves. */
export function valueAt(curves: ValueCurves, t: number): ValuePoint {
  return pointAt(curves, candidateIndex(curves, t), t);
}

/** The value point of candidate index j, labelled with threshold t. */
export function pointAt(curves: ValueCurves, j: number, t: number): ValuePoint {
  return {
    threshold: t,
    accepted: curves.accepted[j],
    coverage: curves.accepted[j] / curves.n,
    ev: curves.ev[j],
    rv: curves.rv[j],
    gap: curves.ev[j] - curves.rv[j],
  };
}

/** Relative tolerance under which two realized values count as tied (float noise only). */
const TIE_TOLERANCE = 1e-12;

const costScale = (p: ScalarCosts): number => Math.max(Math.abs(p.V), Math.abs(p.D), Math.abs(p.W), Number.MIN_VALUE);

/** Gain difference below which two candidates tie: float noise on n items' values. */
export const tieTolerance = (p: ScalarCosts, n: number): number => TIE_TOLERANCE * costScale(p) * n;

/**
 * Tv = argmax_t RV(t) over the candidates (DESIGN §1), ties to the higher threshold. Scanning
 * from "reject all" down, Tv moves to a lower candidate only when its realized gain beats the
 * best so far by more than 1e-12·max(|V|,|D|,|W|)·n, so ties up to float noise stay high.
 * The same scan as `empiricalThresholdOfCounts`, on the same integer counts: both always agree.
 * Returns the candidate index.
 */
export function empiricalThresholdIndex(curves: ValueCurves, policy: ScalarCosts): number {
  const tolerance = tieTolerance(policy, curves.n);
  const m = curves.thresholds.length - 1;
  let best = 0; // reject all gains nothing over the default path
  let index = m;
  for (let j = m - 1; j >= 0; j--) {
    const gain = realizedGain(curves.acceptedCorrect[j], curves.accepted[j], policy);
    if (gain > best + tolerance) {
      best = gain;
      index = j;
    }
  }
  return index;
}

/**
 * Tv and RV(Tv) from grouped counts without building curves, by the scan of
 * `empiricalThresholdIndex`: the reference the bootstrap's fused inner loop is tested against. `counts`/`correct` may be resampled weights over `values`
 * summing to `n`; a value with weight 0 accepts the same items as the next present one above it,
 * so it never becomes Tv.
 */
export function empiricalThresholdOfCounts(
  values: Float64Array,
  counts: Uint32Array,
  correct: Uint32Array,
  n: number,
  policy: ScalarCosts,
): { threshold: number; rv: number } {
  const tolerance = tieTolerance(policy, n);
  let best = 0;
  let threshold = REJECT_ALL;
  let k = 0;
  let s = 0;
  for (let j = values.length - 1; j >= 0; j--) {
    k += counts[j];
    s += correct[j];
    const gain = realizedGain(s, k, policy);
    if (gain > best + tolerance) {
      best = gain;
      threshold = values[j];
    }
  }
  return { threshold, rv: policy.D + best / n };
}
