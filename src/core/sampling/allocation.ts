import { invalid } from '../errors';

/**
 * How a labeling budget is split over strata:
 * - `proportional`: n_h ∝ N_h (the sample mirrors the population; a self-weighting design);
 * - `equal`: the same n_h in every stratum (rare strata, such as confident failures, get as many
 *   labels as common ones; the weights 1/π undo the over-sampling).
 */
export type AllocationScheme = 'proportional' | 'equal';

/**
 * Integer sample sizes per stratum summing to min(budget, N): the real-valued allocation
 * n_h = clamp(λ·s_h, min_h, N_h) (s_h = N_h or 1, λ chosen so the sizes sum to the budget; a
 * capped stratum's surplus goes to the others), then floors plus the largest remainders
 * (Hamilton's method, ties to the lower stratum index). Every non-empty stratum gets at least
 * `minPerStratum` (default 1), so every item has π > 0 and Horvitz–Thompson stays unbiased;
 * a budget too small for that is an error.
 */
export function allocate(budget: number, sizes: readonly number[], scheme: AllocationScheme, minPerStratum = 1): number[] {
  if (!Number.isInteger(budget) || budget < 0) throw invalid('budget', 'must be an integer ≥ 0');
  if (!Number.isInteger(minPerStratum) || minPerStratum < 0) throw invalid('minPerStratum', 'must be an integer ≥ 0');
  sizes.forEach((n, h) => {
    if (!Number.isInteger(n) || n < 0) throw invalid(`sizes[${h}]`, 'must be an integer ≥ 0');
  });
  const H = sizes.length;
  const N = sizes.reduce((a, b) => a + b, 0);
  if (budget >= N) return [...sizes];
  const lower = sizes.map((n) => Math.min(n, minPerStratum));
  const floorTotal = lower.reduce((a, b) => a + b, 0);
  if (floorTotal > budget) {
    throw invalid('budget', `${budget} labels cannot give ${minPerStratum} to each of ${lower.filter((n) => n > 0).length} non-empty strata`);
  }
  const share = sizes.map((n) => (n === 0 ? 0 : scheme === 'proportional' ? n : 1));
  // Water-filling: strata pinned at a bound drop out and λ is recomputed over the rest.
  const real = new Array<number>(H).fill(0);
  const pinned = new Array<boolean>(H).fill(false);
  for (let round = 0; round <= H; round++) {
    let free = 0;
    let left = budget;
    for (let h = 0; h < H; h++) {
      if (pinned[h]) left -= real[h];
      else free += share[h];
    }
    const lambda = free > 0 ? left / free : 0;
    let changed = false;
    for (let h = 0; h < H; h++) {
      if (pinned[h]) continue;
      const x = lambda * share[h];
      if (x > sizes[h]) {
        real[h] = sizes[h];
        pinned[h] = changed = true;
      } else if (x < lower[h]) {
        real[h] = lower[h];
        pinned[h] = changed = true;
      } else {
        real[h] = x;
      }
    }
    if (!changed) break;
  }
  const n = real.map((x, h) => Math.min(sizes[h], Math.max(lower[h], Math.floor(x + 1e-9))));
  let left = budget - n.reduce((a, b) => a + b, 0);
  const order = real
    .map((x, h) => ({ h, frac: x - Math.floor(x + 1e-9) }))
    .sort((a, b) => b.frac - a.frac || a.h - b.h);
  // Usually one pass; further passes only when rounding met caps.
  while (left > 0) {
    let gave = false;
    for (const { h } of order) {
      if (left === 0) break;
      if (n[h] < sizes[h]) {
        n[h]++;
        left--;
        gave = true;
      }
    }
    if (!gave) break;
  }
  return n;
}
