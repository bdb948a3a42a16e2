/**
 * Synthetic binary-literal data for the induction bench: `items` items, `literals` concept flags
 * with prevalences drawn log-uniformly in [minPrevalence, maxPrevalence] (real concept flags are
 * mostly rare, a few common), independent of one another, and a failure flag with a base rate and
 * planted failure slices (conjunctions of three literals failing at `sliceRate`). Bitsets are
 * generated directly (geometric gaps between set bits), so memory is only what mining needs.
 */
import { seededRng, type Rng } from '../src/core/random/rng';

export interface SyntheticBitsetSpec {
  items: number;
  literals: number;
  seed: number;
  minPrevalence: number;
  maxPrevalence: number;
  baseRate: number;
  /** Each slice is a list of literal ids; items covered by all fail at sliceRate. */
  slices: number[][];
  sliceRate: number;
}

export interface SyntheticBitsets {
  n: number;
  literals: Uint32Array[];
  prevalence: number[];
  fail: Uint32Array;
}

export function syntheticBitsets(spec: SyntheticBitsetSpec): SyntheticBitsets {
  const rng = seededRng(spec.seed);
  const words = (spec.items + 31) >>> 5;
  const prevalence: number[] = [];
  const literals: Uint32Array[] = [];
  const lo = Math.log(spec.minPrevalence);
  const hi = Math.log(spec.maxPrevalence);
  for (let l = 0; l < spec.literals; l++) {
    const p = Math.exp(lo + (hi - lo) * rng.next());
    prevalence.push(p);
    literals.push(bernoulliBits(spec.items, words, p, rng));
  }
  const fail = bernoulliBits(spec.items, words, spec.baseRate, rng);
  // Planted slices: covered items fail with probability sliceRate (their base failures are redrawn).
  for (const slice of spec.slices) {
    for (let w = 0; w < words; w++) {
      let x = 0xffffffff;
      for (const l of slice) x &= literals[l][w];
      while (x !== 0) {
        const low = x & -x;
        const bit = 31 - Math.clz32(low);
        if (rng.next() < spec.sliceRate) fail[w] |= 1 << bit;
        else fail[w] &= ~(1 << bit);
        x ^= low;
      }
    }
  }
  const extra = words * 32 - spec.items;
  if (extra > 0) {
    const mask = 0xffffffff >>> extra;
    for (const b of [...literals, fail]) b[words - 1] &= mask;
  }
  return { n: spec.items, literals, prevalence, fail };
}

/** Bits set independently with probability p, by geometric gaps (cost ∝ set bits). */
function bernoulliBits(n: number, words: number, p: number, rng: Rng): Uint32Array {
  const b = new Uint32Array(words);
  if (p <= 0) return b;
  const logQ = Math.log1p(-Math.min(p, 1 - 1e-12));
  let i = -1;
  for (;;) {
    i += 1 + Math.floor(Math.log(1 - rng.next()) / logQ);
    if (i >= n) break;
    b[i >>> 5] |= 1 << (i & 31);
  }
  return b;
}
