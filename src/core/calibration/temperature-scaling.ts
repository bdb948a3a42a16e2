import { invalid } from '../errors';
import { validatePredictions } from '../cost/ranked-predictions';
import { clampedLogit, sigmoid } from './platt-scaling';
import { PROBABILITY_EPSILON, checkProbabilityMatrix } from './scores';

export interface TemperatureParams {
  /** T > 0: probabilities become softmax(ln p / T); T > 1 softens, T < 1 sharpens. */
  temperature: number;
}

/** Range searched for T; a split that wants more (e.g. all correct: T → 0) gets the bound. */
export const TEMPERATURE_RANGE = Object.freeze({ min: 0.01, max: 100 });

/**
 * Temperature scaling (Guo et al. 2017) fitted on class probabilities: the log-probabilities
 * (clamped at 1e-12) play the logits, and T minimizes the NLL of softmax(ln p / T). The NLL is
 * convex in β = 1/T, so a safeguarded Newton search on β (bisection when a step leaves the
 * bracket) finds the minimum in a few passes. `probabilities` is n×k row-major.
 */
export function fitTemperature(probabilities: Float64Array, k: number, labels: Uint32Array): TemperatureParams {
  checkProbabilityMatrix(probabilities, k, labels);
  const n = labels.length;
  const z = new Float64Array(probabilities.length);
  for (let j = 0; j < z.length; j++) z[j] = Math.log(Math.max(probabilities[j], PROBABILITY_EPSILON));
  // NLL(β) = mean[−β·z_y + LSE(β·z)]; dNLL/dβ = mean[E_q z − z_y]; d²NLL/dβ² = mean[Var_q z], q = softmax(β·z).
  const derivatives = (beta: number): { d1: number; d2: number } => {
    let d1 = 0;
    let d2 = 0;
    for (let i = 0; i < n; i++) {
      const row = i * k;
      let max = -Infinity;
      for (let j = 0; j < k; j++) if (beta * z[row + j] > max) max = beta * z[row + j];
      let s = 0;
      let ez = 0;
      let ez2 = 0;
      for (let j = 0; j < k; j++) {
        const e = Math.exp(beta * z[row + j] - max);
        s += e;
        ez += e * z[row + j];
        ez2 += e * z[row + j] * z[row + j];
      }
      const mean = ez / s;
      d1 += mean - z[row + labels[i]];
      d2 += ez2 / s - mean * mean;
    }
    return { d1: d1 / n, d2: d2 / n };
  };
  let lo = 1 / TEMPERATURE_RANGE.max;
  let hi = 1 / TEMPERATURE_RANGE.min;
  if (derivatives(lo).d1 >= 0) return { temperature: TEMPERATURE_RANGE.max };
  if (derivatives(hi).d1 <= 0) return { temperature: TEMPERATURE_RANGE.min };
  let beta = 1;
  for (let iter = 0; iter < 200; iter++) {
    const { d1, d2 } = derivatives(beta);
    if (d1 === 0) break;
    if (d1 < 0) lo = beta;
    else hi = beta;
    let next = d2 > 0 ? beta - d1 / d2 : Number.NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const done = Math.abs(next - beta) <= 1e-12 * beta;
    beta = next;
    if (done || hi - lo <= 1e-12 * beta) break;
  }
  return { temperature: 1 / beta };
}

/**
 * Temperature scaling from top-label confidences alone, on the two-class form [c, 1 − c] with the
 * first class right iff the prediction is correct. For a binary model this is exactly the
 * two-class fit; for more classes it lumps the other classes into one.
 */
export function fitTemperatureTopLabel(conf: Float64Array, correct: Uint8Array): TemperatureParams {
  validatePredictions(conf, correct);
  const n = conf.length;
  const probabilities = new Float64Array(2 * n);
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    probabilities[2 * i] = conf[i];
    probabilities[2 * i + 1] = 1 - conf[i];
    labels[i] = correct[i] === 1 ? 0 : 1;
  }
  return fitTemperature(probabilities, 2, labels);
}

/**
 * A lone confidence after temperature scaling, in the two-class form: σ(logit(c)/T). The rejector
 * sees only the top confidence; with the full vector use `applyTemperatureToProbabilities`.
 */
export function applyTemperature(p: TemperatureParams, c: number): number {
  return sigmoid(clampedLogit(c) / p.temperature);
}

/** softmax(ln p / T) of every row of an n×k probability matrix. */
export function applyTemperatureToProbabilities(p: TemperatureParams, probabilities: Float64Array, k: number): Float64Array {
  if (!Number.isInteger(k) || k < 2 || probabilities.length % k !== 0) throw invalid('k', 'must divide the probability matrix into rows of ≥ 2 classes');
  const out = new Float64Array(probabilities.length);
  const beta = 1 / p.temperature;
  for (let row = 0; row < probabilities.length; row += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) {
      const v = beta * Math.log(Math.max(probabilities[row + j], PROBABILITY_EPSILON));
      out[row + j] = v;
      if (v > max) max = v;
    }
    let s = 0;
    for (let j = 0; j < k; j++) {
      out[row + j] = Math.exp(out[row + j] - max);
      s += out[row + j];
    }
    for (let j = 0; j < k; j++) out[row + j] /= s;
  }
  return out;
}
