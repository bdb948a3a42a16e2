import { invalid } from '../errors';
import { rankPredictions } from '../cost/ranked-predictions';

/**
 * A fitted non-decreasing step or ramp function, by knots: `x` strictly ascending, `y`
 * non-decreasing. Each pooled block contributes its first and (when different) last x, both
 * with the block's mean, as scikit-learn's IsotonicRegression keeps them.
 */
export interface IsotonicParams {
  x: number[];
  y: number[];
  /**
   * Between blocks: 'linear' interpolates (numpy.interp, scikit-learn's default), 'step' holds
   * the value of the last knot at or below c. Both give every fitted point its block's mean and
   * clip outside [x₀, x_last]; linear keeps more distinct confidences, so thresholds stay finer.
   */
  interpolation: 'linear' | 'step';
}

/**
 * Pool-adjacent-violators (Ayer et al. 1955; Barlow et al. 1972) on points already sorted by
 * strictly ascending x with weights: the weighted least-squares non-decreasing fit. O(m).
 */
export function poolAdjacentViolators(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>, interpolation: IsotonicParams['interpolation'] = 'linear'): IsotonicParams {
  const m = x.length;
  if (m === 0) throw invalid('x', 'isotonic regression needs at least one point');
  const sumW = new Float64Array(m);
  const sumWY = new Float64Array(m);
  const first = new Uint32Array(m);
  const last = new Uint32Array(m);
  let top = -1;
  for (let i = 0; i < m; i++) {
    top++;
    sumW[top] = w[i];
    sumWY[top] = w[i] * y[i];
    first[top] = i;
    last[top] = i;
    // Merge while the previous block's mean exceeds this one's (strict: equal means may stay apart).
    while (top > 0 && sumWY[top - 1] / sumW[top - 1] > sumWY[top] / sumW[top]) {
      sumW[top - 1] += sumW[top];
      sumWY[top - 1] += sumWY[top];
      last[top - 1] = last[top];
      top--;
    }
  }
  const kx: number[] = [];
  const ky: number[] = [];
  for (let b = 0; b <= top; b++) {
    const mean = sumWY[b] / sumW[b];
    kx.push(x[first[b]]);
    ky.push(mean);
    if (last[b] !== first[b]) {
      kx.push(x[last[b]]);
      ky.push(mean);
    }
  }
  return { x: kx, y: ky, interpolation };
}

/**
 * Isotonic regression of y on x with optional weights: sorts, pools tied x into one weighted
 * point (their mean), then runs PAV.
 */
export function isotonicRegression(x: Float64Array, y: Float64Array, w?: Float64Array, interpolation: IsotonicParams['interpolation'] = 'linear'): IsotonicParams {
  if (y.length !== x.length || (w && w.length !== x.length)) throw invalid('y', 'x, y and weights must have the same length');
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const px: number[] = [];
  const py: number[] = [];
  const pw: number[] = [];
  for (const i of order) {
    const wi = w ? w[i] : 1;
    if (!(wi > 0) || !Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw invalid(`x[${i}]`, 'points need finite x, y and a positive weight');
    const last = px.length - 1;
    if (last >= 0 && px[last] === x[i]) {
      py[last] = (py[last] * pw[last] + y[i] * wi) / (pw[last] + wi);
      pw[last] += wi;
    } else {
      px.push(x[i]);
      py.push(y[i]);
      pw.push(wi);
    }
  }
  return poolAdjacentViolators(px, py, pw, interpolation);
}

/** Isotonic recalibration (Zadrozny & Elkan 2002): PAV of correctness on confidence; ties in confidence pooled. */
export function fitIsotonic(conf: Float64Array, correct: Uint8Array, interpolation: IsotonicParams['interpolation'] = 'linear'): IsotonicParams {
  const r = rankPredictions(conf, correct);
  const y = new Float64Array(r.values.length);
  for (let g = 0; g < y.length; g++) y[g] = r.correct[g] / r.counts[g];
  return poolAdjacentViolators(r.values, y, r.counts, interpolation);
}

/** Value of the fitted isotonic function at c: binary search over the knots, no allocation. */
export function applyIsotonic(p: IsotonicParams, c: number): number {
  const { x, y } = p;
  const last = x.length - 1;
  if (c <= x[0]) return y[0];
  if (c >= x[last]) return y[last];
  // Largest j with x[j] ≤ c; here 0 ≤ j < last.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= c) lo = mid;
    else hi = mid;
  }
  if (p.interpolation === 'step') return y[lo];
  return y[lo] + ((c - x[lo]) * (y[hi] - y[lo])) / (x[hi] - x[lo]);
}
