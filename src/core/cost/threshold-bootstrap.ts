import { invalid } from '../errors';
import { seededRng } from '../random/rng';
import { POISSON_TABLES, poissonSampler } from './poisson-sampler';
import type { RankedPredictions } from './ranked-predictions';
import { REJECT_ALL, tieTolerance, type ScalarCosts } from './value-curves';

export interface BootstrapOptions {
  /** Resamples B (default 200). */
  replicates?: number;
  /** Seed of the resampling (default 1): the same seed gives the same interval. */
  seed?: number;
  /** Two-sided coverage of the interval (default 0.95). */
  level?: number;
}

export interface Interval {
  lo: number;
  hi: number;
}

export interface ThresholdBootstrap {
  replicates: number;
  seed: number;
  level: number;
  /** Percentile interval of Tv (REJECT_ALL stands for "reject all"). */
  tv: Interval;
  /** Percentile interval of RV(Tv), per item. */
  rv: Interval;
}

/** Chance, over the whole bootstrap, that some replicate's Tv falls outside the searched window. */
export const WINDOW_MISS_PROBABILITY = 1e-9;

/**
 * Seeded bootstrap percentile interval (Efron & Tibshirani 1993) of Tv and RV(Tv), as a Poisson
 * bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012): each item gets an independent
 * Poisson(1) weight instead of a multinomial count, the same resampling up to the resample size
 * varying around n. Weights of items that share a confidence and a correctness add up to one
 * Poisson(count) draw, so nothing is re-sorted; and only candidates that can plausibly win are
 * drawn one by one (see `bootstrapWindow`). A replicate whose weights are all 0 (tiny n only)
 * is drawn again.
 * Caveat: Tv is an argmax, a cube-root estimator for which the plain bootstrap is not
 * consistent (Abrevaya & Huang 2005): read the interval as a guide to its spread, not as exact
 * coverage.
 */
export function bootstrapThreshold(r: RankedPredictions, policy: ScalarCosts, options: BootstrapOptions = {}): ThresholdBootstrap {
  const replicates = options.replicates ?? 200;
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw invalid('level', 'must lie strictly between 0 and 1');
  const { tv: tvs, rv: rvs } = bootstrapReplicates(r, policy, replicates, seed);
  tvs.sort();
  rvs.sort();
  const a = (1 - level) / 2;
  return {
    replicates,
    seed,
    level,
    tv: { lo: quantile(tvs, a), hi: quantile(tvs, 1 - a) },
    rv: { lo: quantile(rvs, a), hi: quantile(rvs, 1 - a) },
  };
}

/** Candidate indices lo..hi (as in ValueCurves: group g, or m for "reject all") a replicate may pick. */
export interface CandidateWindow {
  lo: number;
  hi: number;
}

/**
 * The candidates a bootstrap replicate's Tv can plausibly be. Candidate j beats the sample Tv
 * (index v) in a replicate only if Σ w_i·a_i over the items between them, with Poisson(1)
 * weights and a_i = V − D or W − D, exceeds its mean by the sample gap Δ_j = G(v) − G(j). By
 * Bernstein's inequality for weighted Poisson sums that has probability at most
 * exp(−Δ²/(2(σ² + bΔ/3))), σ² = Σ a_i², b = max|a_i|. Candidates whose bound falls below
 * WINDOW_MISS_PROBABILITY/((m + 1)·B) are left out, so by a union bound no replicate of the
 * whole bootstrap misses its true argmax with probability above 1e-9. The window is the range
 * spanned by the candidates kept.
 */
export function bootstrapWindow(r: RankedPredictions, policy: ScalarCosts, replicates: number): CandidateWindow {
  const m = r.values.length;
  const aRight = policy.V - policy.D;
  const aWrong = policy.W - policy.D;
  const b = Math.max(Math.abs(aRight), Math.abs(aWrong));
  // Suffix gains G[j] of accepting groups j..m−1, and the sample Tv by the tie rule of the curves.
  const gain = new Float64Array(m + 1);
  const tolerance = tieTolerance(policy, r.n);
  let v = m;
  for (let j = m - 1; j >= 0; j--) {
    gain[j] = gain[j + 1] + r.correct[j] * aRight + (r.counts[j] - r.correct[j]) * aWrong;
    if (gain[j] > gain[v] + tolerance) v = j;
  }
  const limit = Math.log(((m + 1) * replicates) / WINDOW_MISS_PROBABILITY);
  const plausible = (delta: number, variance: number): boolean => delta <= 0 || (delta * delta) / (2 * (variance + (b * delta) / 3)) <= limit;
  let lo = v;
  let variance = 0;
  for (let j = v - 1; j >= 0; j--) {
    variance += r.correct[j] * aRight * aRight + (r.counts[j] - r.correct[j]) * aWrong * aWrong;
    if (plausible(gain[v] - gain[j], variance)) lo = j;
  }
  let hi = v;
  variance = 0;
  for (let j = v + 1; j <= m; j++) {
    const g = j - 1; // moving the threshold up from j − 1 to j stops accepting group j − 1
    variance += r.correct[g] * aRight * aRight + (r.counts[g] - r.correct[g]) * aWrong * aWrong;
    if (plausible(gain[v] - gain[j], variance)) hi = j;
  }
  return { lo, hi };
}

/**
 * Tv and RV(Tv) of each Poisson-bootstrap replicate, in drawing order. Per replicate: one
 * Poisson draw each for the correct and the wrong items above the window (in that order), then
 * one pass down the window drawing each group's correct and wrong weights (one uniform per
 * non-zero mean below 10) and applying the scan and tie rule of `empiricalThresholdOfCounts`,
 * then one draw for the items below the window, which only change the resample size. Gains do
 * not depend on the resample size, which is known only at the end.
 */
export function bootstrapReplicates(r: RankedPredictions, policy: ScalarCosts, replicates: number, seed: number): { tv: Float64Array; rv: Float64Array } {
  if (!Number.isInteger(replicates) || replicates < 1) throw invalid('bootstrap', 'must be a positive integer');
  const m = r.values.length;
  const window = bootstrapWindow(r, policy, replicates);
  const top = Math.min(window.hi, m - 1); // highest group drawn one by one
  let aboveRight = 0;
  let aboveAll = 0;
  for (let g = top + 1; g < m; g++) {
    aboveRight += r.correct[g];
    aboveAll += r.counts[g];
  }
  let belowAll = 0;
  for (let g = 0; g < window.lo; g++) belowAll += r.counts[g];
  const tv = new Float64Array(replicates);
  const rv = new Float64Array(replicates);
  const rng = seededRng(seed);
  const poisson = poissonSampler(rng);
  const gainRight = policy.V - policy.W;
  const gainAny = policy.W - policy.D;
  const tolerance = tieTolerance(policy, r.n);
  // Inline inverse-CDF draw for integer means below 10, the usual case; one uniform per draw.
  const draw = (lambda: number): number => {
    if (lambda === 0) return 0;
    if (lambda >= POISSON_TABLES.length) return poisson(lambda);
    const cdf = POISSON_TABLES[lambda];
    const u = rng.next();
    let x = 0;
    while (x < cdf.length - 1 && u > cdf[x]) x++;
    return x;
  };
  for (let b = 0; b < replicates; ) {
    let s = draw(aboveRight);
    let k = s + draw(aboveAll - aboveRight);
    // "Reject all" competes only when it lies in the window; otherwise the window's top candidate
    // is the first one held.
    let best = window.hi === m ? 0 : -Infinity;
    let threshold = REJECT_ALL;
    for (let g = top; g >= window.lo; g--) {
      const right = draw(r.correct[g]);
      const all = right + draw(r.counts[g] - r.correct[g]);
      k += all;
      s += right;
      if (all === 0 && best !== -Infinity) continue; // accepts nothing new: cannot beat the one above
      const gain = s * gainRight + k * gainAny;
      if (gain > best + tolerance) {
        best = gain;
        threshold = r.values[g];
      }
    }
    const size = k + draw(belowAll);
    if (size === 0) continue; // an empty resample (tiny n only): draw again
    tv[b] = threshold;
    rv[b] = policy.D + best / size;
    b++;
  }
  return { tv, rv };
}

/** Quantile q of ascending data, linear between order statistics (Hyndman & Fan 1996, type 7). */
export function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
