import { benjaminiHochberg, betaT, fisherUpperP, normalUpper, sliceLineScore, wilsonInterval } from './statistics';

/**
 * Whole-data figures a rule is compared with. For rate targets `fail / den` is the overall rate;
 * for the loss target `fail` = Σ w·loss, `fail2` = Σ w·loss², `den` = total weight.
 */
export interface Overall {
  /** Σ w over all items (support's denominator). */
  total: number;
  den: number;
  fail: number;
  fail2: number;
  /** Weights → effective counts for inference: Σw / Σw² (1 when every weight is 1). */
  scale: number;
  isLoss: boolean;
}

/** Raw sums of one conjunction, as mined. */
export interface RuleCounts {
  count: number;
  den: number;
  fail: number;
  /** Σ w·loss² (loss target only). */
  fail2: number;
}

export interface Measures {
  rate: number;
  delta: number;
  lift: number;
  wracc: number;
  lo: number;
  hi: number;
  t: number;
  p: number;
  sliceline: number;
}

/**
 * A rule's measures (DESIGN §4): rate = failures / denominator, Δ = rate − overall rate, lift,
 * WRAcc = (den/DEN)(rate − p₀) over the target's population, a 95% Wilson interval, DivExplorer's t,
 * the one-sided Fisher p of rate > p₀ (rule against the whole data: the hypergeometric tail of
 * drawing the rule's denominator from the overall one), and SliceLine's score with |S| the
 * covered items and n all items. Weighted counts are scaled to effective counts for inference.
 * Loss target: the mean loss, Welch's statistic and a one-sided z-test of the rule against the
 * rest (normal approximation).
 */
export function ruleMeasures(c: RuleCounts, o: Overall, alpha: number): Measures {
  const s = o.scale;
  if (o.isLoss) return lossMeasures(c, o, alpha);
  const p0 = o.fail / o.den;
  const rate = c.den > 0 ? c.fail / c.den : NaN;
  const [lo, hi] = wilsonInterval(c.fail * s, c.den * s);
  return {
    rate,
    delta: rate - p0,
    lift: rate / p0,
    wracc: (c.den / o.den) * (rate - p0),
    lo,
    hi,
    t: betaT(c.fail * s, (c.den - c.fail) * s, o.fail * s, (o.den - o.fail) * s),
    p: fisherUpperP(c.fail * s, c.den * s, o.fail * s, o.den * s),
    sliceline: sliceLineScore(rate, p0, c.count, o.total, alpha),
  };
}

function lossMeasures(c: RuleCounts, o: Overall, alpha: number): Measures {
  const s = o.scale;
  const mean0 = o.fail / o.den;
  const var0 = Math.max(0, o.fail2 / o.den - mean0 * mean0);
  const mean = c.den > 0 ? c.fail / c.den : NaN;
  const v = Math.max(0, c.fail2 / c.den - mean * mean);
  const se = Math.sqrt(v / (c.den * s));
  const p = welchUpperP(c, o, s);
  return {
    rate: mean,
    delta: mean - mean0,
    lift: mean / mean0,
    wracc: (c.den / o.den) * (mean - mean0),
    lo: mean - 1.959963984540054 * se,
    hi: mean + 1.959963984540054 * se,
    t: Math.abs(mean - mean0) / Math.sqrt(v / (c.den * s) + var0 / (o.den * s)),
    p,
    sliceline: sliceLineScore(mean, mean0, c.count, o.total, alpha),
  };
}

/**
 * One-sided test that a rule's rate exceeds its parent's (the rule minus one literal), within the
 * parent: Fisher's hypergeometric tail of drawing the rule's denominator from the parent's.
 * Small p: the literal adds significantly (Webb's productive rules, 2007). Loss: a z-test of the
 * rule against parent ∖ rule.
 */
export function productiveP(rule: RuleCounts, parent: RuleCounts, o: Overall): number {
  const s = o.scale;
  if (!o.isLoss) return fisherUpperP(rule.fail * s, rule.den * s, parent.fail * s, parent.den * s);
  return welchUpperP(rule, parent, s);
}

/**
 * One-sided Welch z-test that a rule's mean loss exceeds that of the rest of `whole` (whole ∖ rule),
 * with effective counts scaled by s; 1 when the rest is empty.
 */
function welchUpperP(rule: RuleCounts, whole: Pick<RuleCounts, 'den' | 'fail' | 'fail2'>, s: number): number {
  const restN = whole.den - rule.den;
  if (!(restN > 0)) return 1;
  const mean = rule.fail / rule.den;
  const v = Math.max(0, rule.fail2 / rule.den - mean * mean);
  const restMean = (whole.fail - rule.fail) / restN;
  const restVar = Math.max(0, (whole.fail2 - rule.fail2) / restN - restMean * restMean);
  const z = (mean - restMean) / Math.sqrt(v / (rule.den * s) + restVar / (restN * s));
  return Number.isFinite(z) ? normalUpper(z) : mean > restMean ? 0 : 1;
}

/** BH q-values over every tested conjunction (NaN p, e.g. an empty denominator, counts as 1). */
export function qValues(p: Float64Array): Float64Array {
  const clean = Float64Array.from(p, (x) => (Number.isNaN(x) ? 1 : x));
  return benjaminiHochberg(clean);
}
