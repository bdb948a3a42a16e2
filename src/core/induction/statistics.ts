/**
 * The statistics behind a rule's measures (DESIGN §4): exact tests, intervals, multiple-testing
 * control and the scores of DivExplorer and SliceLine. Pure functions over counts.
 */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0: Stirling's series with seven correction terms for x ≥ 10, shifted up by the recurrence Γ(x) = Γ(x + m) / (x(x+1)…(x+m−1)) below.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x === 1 || x === 2) return 0;
  let shift = 0;
  let prod = 1;
  while (x < 10) {
    prod *= x;
    x += 1;
    shift += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // Σ B_2j / (2j(2j−1) x^(2j−1)), j = 1..7; the next term is below 3e-17 at x = 10.
  const series = inv * (1 / 12 + inv2 * (-1 / 360 + inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360 + inv2 * (1 / 156)))))));
  const stirling = (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
  return shift === 0 ? stirling : stirling - Math.log(prod);
}

/** ln C(n, k) for integers 0 ≤ k ≤ n. */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (k === 0 || k === n) return 0;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * One-sided Fisher exact test: P(X ≥ k) for X hypergeometric — drawing `draws` items from a
 * population of `population` holding `successes` successes. Here: population = the target's
 * denominator, successes = its failures, draws = the rule's denominator, k = the rule's failures,
 * so a small value says the rule's rate is above the overall rate. The pmf at the start is taken
 * from log-gammas, the rest of the tail by the ratio recurrence
 * p(x+1)/p(x) = (K−x)(n−x) / ((x+1)(N−K−n+x+1)); the shorter side of the mode is summed and the
 * complement taken when k lies below the mode, so neither tail loses precision.
 * Counts are rounded to integers.
 */
export function fisherUpperP(k: number, draws: number, successes: number, population: number): number {
  const N = Math.round(population);
  const K = Math.round(successes);
  const n = Math.round(draws);
  const x0 = Math.round(k);
  const lo = Math.max(0, n - (N - K));
  const hi = Math.min(n, K);
  if (x0 <= lo) return 1;
  if (x0 > hi) return 0;
  const logDenominator = logChoose(N, n);
  const logPmf = (x: number) => logChoose(K, x) + logChoose(N - K, n - x) - logDenominator;
  const mode = Math.floor(((n + 1) * (K + 1)) / (N + 2));
  if (x0 > mode) {
    // Upper tail from x0: terms decrease from the start.
    let term = Math.exp(logPmf(x0));
    let sum = term;
    for (let x = x0; x < hi && term > sum * 1e-17; x++) {
      term *= ((K - x) * (n - x)) / ((x + 1) * (N - K - n + x + 1));
      sum += term;
    }
    return Math.min(1, sum);
  }
  // k at or below the mode: 1 − P(X ≤ k−1), the lower tail summed downwards.
  let term = Math.exp(logPmf(x0 - 1));
  let sum = term;
  for (let x = x0 - 1; x > lo && term > sum * 1e-17; x--) {
    // p(x−1)/p(x) = x(N−K−n+x) / ((K−x+1)(n−x+1))
    term *= (x * (N - K - n + x)) / ((K - x + 1) * (n - x + 1));
    sum += term;
  }
  return Math.max(0, Math.min(1, 1 - sum));
}

/** Wilson score interval for a proportion `successes / n` at normal quantile z (1.96 ≈ 95%). */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): [number, number] {
  if (!(n > 0)) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * DivExplorer's t (Pastor, de Alfaro, Baralis, SIGMOD 2021, §4): |μ_I − μ_D| / √(ν_I + ν_D), μ and ν
 * the mean and variance of Beta(1 + k⁺, 1 + k⁻) for the subgroup I and the whole data D.
 */
export function betaT(kPlusI: number, kMinusI: number, kPlusD: number, kMinusD: number): number {
  const [mI, vI] = betaMoments(1 + kPlusI, 1 + kMinusI);
  const [mD, vD] = betaMoments(1 + kPlusD, 1 + kMinusD);
  return Math.abs(mI - mD) / Math.sqrt(vI + vD);
}

/** Mean and variance of Beta(a, b). */
export function betaMoments(a: number, b: number): [number, number] {
  const s = a + b;
  return [a / s, (a * b) / (s * s * (s + 1))];
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in input order: q_(i) = min_{j ≥ i} m·p_(j)/j,
 * capped at 1, with m the number of hypotheses tested (Benjamini & Hochberg 1995).
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const m = p.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  const q = new Float64Array(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r];
    running = Math.min(running, (m * p[i]) / (r + 1));
    q[i] = running;
  }
  return q;
}

/**
 * SliceLine's score (Sagadeeva & Boehm, SIGMOD 2021, eq. 1):
 * sc = α·((se/|S|)/ē − 1) − (1−α)·(n/|S| − 1), se/|S| the slice's mean error, ē the overall mean
 * error, n the number of rows and |S| the slice size.
 */
export function sliceLineScore(sliceMean: number, overallMean: number, sliceSize: number, total: number, alpha: number): number {
  if (!(sliceSize > 0) || !(overallMean > 0)) return -Infinity;
  return alpha * (sliceMean / overallMean - 1) - (1 - alpha) * (total / sliceSize - 1);
}

/**
 * Upper tail of the standard normal, P(Z ≥ z), via erfc (W. J. Cody's rational approximations
 * as given by Numerical Recipes' erfcc, fractional error < 1.2e-7).
 */
export function normalUpper(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
