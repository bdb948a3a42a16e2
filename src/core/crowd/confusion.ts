import type { EncodedAnswers } from './answers';

/**
 * Smallest probability a confusion cell or a prior may take before its log is used. crowd-kit clips
 * the same counts at machine epsilon: without a floor, one answer whose cell underflowed to 0 would
 * make a class impossible (log 0 = −∞) and freeze that item's posterior for the rest of EM.
 */
export const PROBABILITY_FLOOR = Number.EPSILON;

/**
 * Dawid–Skene M-step for the class-conditional model: with soft labels T (n_items × K),
 * π_w[k][l] = (Σ_{answers a of w with label l} T[item_a][k] + α) / (Σ_l' (… + α)), W × K × K row-major
 * [(w·K + k)·K + l]. α (`smoothing`) adds α pseudo-answers to every cell: the MAP estimate under a
 * symmetric Dirichlet(1 + α) prior on each row; α = 0 is the maximum-likelihood estimate of Dawid &
 * Skene (1979). A row with no mass (a worker never seen on class k) becomes uniform.
 */
export function confusionFromPosteriors(
  data: EncodedAnswers,
  posteriors: Float64Array,
  smoothing: number,
  out?: { confusion: Float64Array; answersPerWorker: Int32Array },
): { confusion: Float64Array; answersPerWorker: Int32Array } {
  const K = data.classes.length;
  const W = data.workers.length;
  const confusion = out?.confusion ?? new Float64Array(W * K * K);
  const answersPerWorker = out?.answersPerWorker ?? new Int32Array(W);
  confusion.fill(smoothing);
  answersPerWorker.fill(0);
  const { item, worker, label } = data;
  for (let a = 0; a < item.length; a++) {
    const w = worker[a];
    const base = w * K * K + label[a];
    const row = item[a] * K;
    for (let k = 0; k < K; k++) confusion[base + k * K] += posteriors[row + k];
    answersPerWorker[w]++;
  }
  for (let r = 0; r < W * K; r++) {
    const start = r * K;
    let sum = 0;
    for (let l = 0; l < K; l++) sum += confusion[start + l];
    for (let l = 0; l < K; l++) confusion[start + l] = sum > 0 ? confusion[start + l] / sum : 1 / K;
  }
  return { confusion, answersPerWorker };
}
