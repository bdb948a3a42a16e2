import { validatePredictions } from '../cost/ranked-predictions';
import { PROBABILITY_EPSILON } from './scores';

export interface PlattParams {
  a: number;
  b: number;
}

/** logit(c) with c clamped to [1e-12, 1 − 1e-12], so c = 0 and c = 1 map to finite values (±27.6). */
export function clampedLogit(c: number): number {
  const p = c < PROBABILITY_EPSILON ? PROBABILITY_EPSILON : c > 1 - PROBABILITY_EPSILON ? 1 - PROBABILITY_EPSILON : c;
  return Math.log(p / (1 - p));
}

/** Logistic function, without overflow for large |f|. */
export function sigmoid(f: number): number {
  if (f >= 0) return 1 / (1 + Math.exp(-f));
  const e = Math.exp(f);
  return e / (1 + e);
}

/** Platt-scaled confidence σ(a·logit(c) + b). */
export function applyPlatt(p: PlattParams, c: number): number {
  return sigmoid(p.a * clampedLogit(c) + p.b);
}

export interface PlattOptions {
  /**
   * Platt's (1999) smoothed targets, (N₊ + 1)/(N₊ + 2) for correct items and 1/(N₋ + 2) for wrong
   * ones, instead of 1 and 0 (default true). They keep the fit finite on an all-correct or
   * all-wrong split, where the plain maximum-likelihood fit diverges.
   */
  smoothTargets?: boolean;
}

/**
 * Platt scaling (Platt 1999): logistic regression of correctness on x = logit(c), fitted by
 * Newton's method with a backtracking line search and a 1e-12 ridge on the Hessian, the robust
 * variant of Lin, Lin & Weng 2007. Starts from the identity map (a = 1, b = 0).
 */
export function fitPlatt(conf: Float64Array, correct: Uint8Array, options: PlattOptions = {}): PlattParams {
  validatePredictions(conf, correct);
  const n = conf.length;
  const x = new Float64Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    x[i] = clampedLogit(conf[i]);
    positives += correct[i];
  }
  const smooth = options.smoothTargets ?? true;
  const hiTarget = smooth ? (positives + 1) / (positives + 2) : 1;
  const loTarget = smooth ? 1 / (n - positives + 2) : 0;
  const state = { loss: 0, g1: 0, g2: 0, h11: 0, h12: 0, h22: 0 };
  // One pass: loss Σ softplus(f) − t·f, its gradient and Hessian, with f = a·x + b.
  const evaluate = (a: number, b: number): void => {
    let loss = 0;
    let g1 = 0;
    let g2 = 0;
    let h11 = 0;
    let h12 = 0;
    let h22 = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const f = a * xi + b;
      const t = correct[i] === 1 ? hiTarget : loTarget;
      const e = Math.exp(-Math.abs(f));
      loss += (f > 0 ? f : 0) + Math.log1p(e) - t * f;
      const p = f >= 0 ? 1 / (1 + e) : e / (1 + e);
      const d = p - t;
      const w = p * (1 - p);
      g1 += d * xi;
      g2 += d;
      h11 += w * xi * xi;
      h12 += w * xi;
      h22 += w;
    }
    Object.assign(state, { loss, g1, g2, h11, h12, h22 });
  };
  let a = 1;
  let b = 0;
  evaluate(a, b);
  for (let iter = 0; iter < 100; iter++) {
    const { loss, g1, g2 } = state;
    const h11 = state.h11 + 1e-12;
    const h22 = state.h22 + 1e-12;
    const det = h11 * h22 - state.h12 * state.h12;
    const da = -(h22 * g1 - state.h12 * g2) / det;
    const db = -(h11 * g2 - state.h12 * g1) / det;
    const slope = g1 * da + g2 * db;
    // Newton decrement λ² = −slope (Boyd & Vandenberghe 2004, §9.5.1): the loss is within λ²/2
    // of its minimum, so stop when that is below float noise on a sum of n terms.
    if (-slope / 2 <= 1e-12 * n) break;
    let step = 1;
    let accepted = false;
    while (step >= 1e-10) {
      evaluate(a + step * da, b + step * db);
      if (state.loss <= loss + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted) {
      evaluate(a, b);
      break;
    }
    a += step * da;
    b += step * db;
    if (Math.abs(step * da) < 1e-12 * (1 + Math.abs(a)) && Math.abs(step * db) < 1e-12 * (1 + Math.abs(b))) break;
  }
  return { a, b };
}
