import { seededRng } from '../random/rng';

/**
 * How a hard label is chosen among classes with equal (maximal) posterior:
 * - `lowest-index`: the class that comes first in `classes` (deterministic; the default);
 * - `random`: uniformly among the tied classes, from a seeded generator (reproducible per seed).
 * Accuracy against a truth can instead split ties fractionally (see `crowdAccuracy`).
 */
export type TieRule = 'lowest-index' | 'random';

/** Classes whose posterior is within this relative distance of the row maximum count as tied (EM floats). */
export const TIE_EPSILON = 1e-12;

/**
 * Hard labels from posteriors (n × K): argmax per row, ties broken by `rule`; −1 where `answered[i]` is 0.
 * Returns the labels and how many rows needed the tie rule.
 */
export function hardLabels(
  posteriors: Float64Array,
  K: number,
  answered: Int32Array,
  rule: TieRule = 'lowest-index',
  seed = 0,
): { labels: Int32Array; ties: number } {
  const n = answered.length;
  const labels = new Int32Array(n);
  const rng = rule === 'random' ? seededRng(seed) : null;
  const tied = new Int32Array(K);
  let ties = 0;
  for (let i = 0; i < n; i++) {
    if (answered[i] === 0) {
      labels[i] = -1;
      continue;
    }
    const row = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (posteriors[row + k] > max) max = posteriors[row + k];
    let m = 0;
    for (let k = 0; k < K; k++) if (posteriors[row + k] >= max - TIE_EPSILON * max) tied[m++] = k;
    if (m > 1) ties++;
    labels[i] = m > 1 && rng ? tied[rng.int(m)] : tied[0];
  }
  return { labels, ties };
}
