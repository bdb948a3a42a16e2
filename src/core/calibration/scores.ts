import { CaveatError, invalid } from '../errors';
import { validatePredictions } from '../cost/ranked-predictions';

/** Probabilities are clamped to [ε, 1 − ε] before a log, so one confident miss costs at most −ln ε ≈ 27.6, never Infinity. */
export const PROBABILITY_EPSILON = 1e-12;

/**
 * Top-label Brier score: mean (c − y)² with c the confidence in the predicted class and y = 1 iff
 * the prediction is correct (Brier 1950 applied to the top label, as in Gupta & Ramdas 2021).
 */
export function brierTopLabel(conf: Float64Array, correct: Uint8Array): number {
  validatePredictions(conf, correct);
  let sum = 0;
  for (let i = 0; i < conf.length; i++) {
    const d = conf[i] - correct[i];
    sum += d * d;
  }
  return sum / conf.length;
}

/** Top-label NLL: mean −[y·ln c + (1−y)·ln(1−c)], the log loss of the confidence as a forecast of correctness. */
export function nllTopLabel(conf: Float64Array, correct: Uint8Array): number {
  validatePredictions(conf, correct);
  let sum = 0;
  for (let i = 0; i < conf.length; i++) {
    const p = correct[i] === 1 ? conf[i] : 1 - conf[i];
    sum -= Math.log(Math.max(p, PROBABILITY_EPSILON));
  }
  return sum / conf.length;
}

/**
 * Multiclass NLL: mean −ln p_i(y_i) over an n×k row-major probability matrix and true class
 * indices (the negative log-likelihood of Guo et al. 2017).
 */
export function nllClassProbabilities(probabilities: Float64Array, k: number, labels: Uint32Array): number {
  checkProbabilityMatrix(probabilities, k, labels);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(Math.max(probabilities[i * k + labels[i]], PROBABILITY_EPSILON));
  return sum / labels.length;
}

/** Shape and range checks shared by the functions that take class probabilities. */
export function checkProbabilityMatrix(probabilities: Float64Array, k: number, labels: Uint32Array): void {
  if (!Number.isInteger(k) || k < 2) throw invalid('k', 'must be an integer ≥ 2 (number of classes)');
  if (labels.length === 0) throw new CaveatError('unprocessable', 'no predictions to evaluate: the split is empty', { field: 'labels' });
  if (probabilities.length !== labels.length * k) {
    throw invalid('probabilities', `must hold ${labels.length}×${k} values, got ${probabilities.length}`);
  }
  for (let i = 0; i < labels.length; i++) if (labels[i] >= k) throw invalid(`labels[${i}]`, `is not a class index below ${k}`);
  for (let j = 0; j < probabilities.length; j++) {
    const p = probabilities[j];
    if (!(p >= 0 && p <= 1)) throw invalid(`probabilities[${j}]`, `must be a number in [0, 1], got ${p}`);
  }
}
