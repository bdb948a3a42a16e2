import type { Rng } from '../random/rng';

/** Inversion below this mean, transformed rejection (PTRS) from it on, as numpy does. */
const INVERSION_LIMIT = 10;
/** Upper end of the inversion tables: P(X > 60 | λ < 10) < 1e-25, below double resolution near 1. */
const TABLE_SIZE = 61;
/** POISSON_TABLES[λ][x] = P(X ≤ x) for integer λ in 0..9: integer means, the bootstrap's case, need no exp call. */
export const POISSON_TABLES: readonly Float64Array[] = Array.from({ length: INVERSION_LIMIT }, (_, lambda) => {
  const cdf = new Float64Array(TABLE_SIZE);
  let p = Math.exp(-lambda);
  let sum = p;
  for (let x = 0; x < TABLE_SIZE; x++) {
    cdf[x] = sum;
    p *= lambda / (x + 1);
    sum += p;
  }
  return cdf;
});

/**
 * Draws from Poisson(λ) with a seeded source: sequential-search inversion for λ < 10 (Devroye
 * 1986, §X.3), Hörmann's (1993) transformed rejection "PTRS" for λ ≥ 10, the two methods
 * numpy's generator uses. Integer λ below 10 reads a precomputed CDF.
 */
export function poissonSampler(rng: Rng): (lambda: number) => number {
  const next = rng.next;
  return (lambda: number): number => {
    if (lambda <= 0) return 0;
    if (lambda < INVERSION_LIMIT) {
      const u = next();
      if (Number.isInteger(lambda)) {
        const cdf = POISSON_TABLES[lambda];
        let x = 0;
        while (x < TABLE_SIZE - 1 && u > cdf[x]) x++;
        return x;
      }
      let p = Math.exp(-lambda);
      let cdf = p;
      let x = 0;
      while (u > cdf && x < TABLE_SIZE - 1) {
        x++;
        p *= lambda / x;
        cdf += p;
      }
      return x;
    }
    return ptrs(rng, lambda);
  };
}

function ptrs(rng: Rng, lambda: number): number {
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logGamma(k + 1)) return k;
  }
}

const STIRLING = [
  8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4, 8.417508417508418e-4,
  -1.917526917526918e-3, 6.41025641025641e-3, -2.955065359477124e-2, 1.796443723688307e-1, -1.3924322169059,
];

/** ln Γ(x) for x > 0 by the Stirling series after shifting x ≥ 7 (numpy's random_loggam). */
export function logGamma(x: number): number {
  if (x === 1 || x === 2) return 0;
  const shift = x < 7 ? Math.floor(7 - x) : 0;
  let x0 = x + shift;
  const x2 = 1 / (x0 * x0);
  let gl0 = STIRLING[9];
  for (let k = 8; k >= 0; k--) gl0 = gl0 * x2 + STIRLING[k];
  let gl = gl0 / x0 + 0.5 * Math.log(2 * Math.PI) + (x0 - 0.5) * Math.log(x0) - x0;
  for (let k = 1; k <= shift; k++) {
    gl -= Math.log(x0 - 1);
    x0 -= 1;
  }
  return gl;
}
