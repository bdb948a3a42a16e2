import { popcount, popcountAnd, sumOver, sumOverAnd, wordCount } from './bitset';
import { itemsetKey } from './itemset-table';
import { encodeLiterals, type LiteralDef } from './literals';
import type { Overall, RuleCounts } from './measures';
import { encodeTarget, type EncodedTarget, type TargetOptions } from './targets';
import type { InductionDataset } from './types';

/** One split (discovery or holdout) encoded as bitsets, with its overall figures. */
export interface EncodedSplit {
  rows: Uint32Array;
  literals: Uint32Array[];
  target: EncodedTarget;
  overall: Overall;
  /** Σ w·loss² per item (loss target), for variances. */
  loss2: Float64Array | null;
  /** Σ w·loss per item (loss target). */
  wloss: Float64Array | null;
}

export interface CoverCounts extends RuleCounts {
  gain: number;
}

/** Encodes `rows` of the dataset: literal bitsets, target and overall figures. */
export function encodeSplit(dataset: InductionDataset, defs: readonly LiteralDef[], rows: Uint32Array, options: TargetOptions): EncodedSplit {
  const target = encodeTarget(dataset, rows, options);
  const literals = encodeLiterals(dataset, defs, rows);
  const n = rows.length;
  const w = target.weights;
  let total = n;
  let sumW2 = n;
  if (w) {
    total = 0;
    sumW2 = 0;
    for (let i = 0; i < n; i++) {
      total += w[i];
      sumW2 += w[i] * w[i];
    }
  }
  let wloss: Float64Array | null = null;
  let loss2: Float64Array | null = null;
  let den: number;
  let fail: number;
  let fail2 = 0;
  if (target.loss) {
    const loss = target.loss;
    wloss = Float64Array.from(loss, (y, i) => (w ? w[i] : 1) * y);
    loss2 = Float64Array.from(loss, (y, i) => (w ? w[i] : 1) * y * y);
    den = total;
    fail = 0;
    for (let i = 0; i < n; i++) {
      fail += wloss[i];
      fail2 += loss2[i];
    }
  } else {
    den = target.den ? (w ? sumOver(target.den, w) : popcount(target.den)) : total;
    fail = w ? sumOver(target.fail, w) : popcount(target.fail);
  }
  const overall: Overall = { total, den, fail, fail2, scale: sumW2 > 0 ? total / sumW2 : 1, isLoss: target.loss !== null };
  return { rows, literals, target, overall, loss2, wloss };
}

/** The cover of a conjunction: the AND of its literals' bitsets (all items for the empty one). */
export function coverOf(split: EncodedSplit, lits: readonly number[]): Uint32Array {
  const words = wordCount(split.rows.length);
  const out = new Uint32Array(words);
  if (lits.length === 0) {
    out.fill(0xffffffff);
    const extra = words * 32 - split.rows.length;
    if (extra > 0) out[words - 1] = 0xffffffff >>> extra;
    return out;
  }
  out.set(split.literals[lits[0]]);
  for (let k = 1; k < lits.length; k++) {
    const b = split.literals[lits[k]];
    for (let x = 0; x < words; x++) out[x] &= b[x];
  }
  return out;
}

/** Counts of a cover on a split: covered weight, denominator, failures (or Σ w·loss, Σ w·loss²) and gain. */
export function countsOfCover(split: EncodedSplit, cover: Uint32Array): CoverCounts {
  const { weights: w, den, fail, gain } = split.target;
  const count = w ? sumOver(cover, w) : popcount(cover);
  const g = gain ? sumOver(cover, gain) : 0;
  if (split.wloss && split.loss2) return { count, den: count, fail: sumOver(cover, split.wloss), fail2: sumOver(cover, split.loss2), gain: g };
  const weighted = (b: Uint32Array) => (w ? sumOverAnd(cover, b, w) : popcountAnd(cover, b));
  return { count, den: den ? weighted(den) : count, fail: weighted(fail), fail2: 0, gain: g };
}

/** Memoized counts of any conjunction on a split (for parents, subsets and holdout look-ups). */
export class CountsOracle {
  private readonly cache = new Map<string, CoverCounts>();
  constructor(private readonly split: EncodedSplit) {}

  counts(lits: readonly number[]): CoverCounts {
    const key = itemsetKey(lits);
    let c = this.cache.get(key);
    if (!c) {
      c = countsOfCover(this.split, coverOf(this.split, lits));
      this.cache.set(key, c);
    }
    return c;
  }
}
