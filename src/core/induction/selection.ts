import { productiveP, type Overall, type RuleCounts } from './measures';
import type { SortMeasure } from './types';

/**
 * DivExplorer's redundancy pruning (Pastor et al., SIGMOD 2021, §5.3): drop I when some item a ∈ I
 * has |Δ(I) − Δ(I ∖ {a})| ≤ ε, with Δ(∅) = 0 — a is then not worth mentioning. An undefined Δ
 * (NaN: empty denominator) never counts as close, as in DivExplorer's pandas comparison.
 */
export function nonRedundant(ids: readonly number[], litsOf: (id: number) => readonly number[], deltaOf: (lits: readonly number[]) => number, epsilon: number): number[] {
  return ids.filter((id) => {
    const lits = litsOf(id);
    const d = deltaOf(lits);
    for (let a = 0; a < lits.length; a++) {
      const sub = lits.length === 1 ? [] : lits.filter((_, k) => k !== a);
      const ds = sub.length === 0 ? 0 : deltaOf(sub);
      if (Math.abs(d - ds) <= epsilon) return false;
    }
    return true;
  });
}

/**
 * Productive rules (Webb 2007): keep R only when, for every literal a ∈ R, R's rate is
 * significantly above that of its parent R ∖ {a} within the parent (one-sided Fisher, level α).
 * A one-literal rule's parent is the whole data. The per-literal tests are not corrected for
 * multiplicity: the filter only removes rules.
 */
export function productiveRules(
  ids: readonly number[],
  litsOf: (id: number) => readonly number[],
  countsOf: (lits: readonly number[]) => RuleCounts,
  overall: Overall,
  alpha: number,
): number[] {
  const whole: RuleCounts = { count: overall.total, den: overall.den, fail: overall.fail, fail2: overall.fail2 };
  return ids.filter((id) => {
    const lits = litsOf(id);
    const rule = countsOf(lits);
    for (let a = 0; a < lits.length; a++) {
      const parent = lits.length === 1 ? whole : countsOf(lits.filter((_, k) => k !== a));
      if (!(productiveP(rule, parent, overall) <= alpha)) return false;
    }
    return true;
  });
}

/** Per-rule values a sort reads. */
export interface SortKeys {
  delta: ArrayLike<number>;
  t: ArrayLike<number>;
  p: ArrayLike<number>;
  q: ArrayLike<number>;
  gain: ArrayLike<number>;
  wracc: ArrayLike<number>;
  sliceline: ArrayLike<number>;
  support: ArrayLike<number>;
  length: (id: number) => number;
  key: (id: number) => string;
}

/**
 * Orders rule ids by a measure: q ascending (then p ascending), every other measure descending.
 * NaN goes last; ties fall to Δ, then larger support, then fewer literals, then the literal ids,
 * so the order is deterministic.
 */
export function sortRules(ids: readonly number[], by: SortMeasure, k: SortKeys): number[] {
  const primary = (id: number): number => {
    switch (by) {
      case 'q':
        return -k.q[id];
      case 'delta':
        return k.delta[id];
      default:
        return k[by][id];
    }
  };
  const cmp = (a: number, b: number) => {
    const x = primary(a);
    const y = primary(b);
    if (Number.isNaN(x) !== Number.isNaN(y)) return Number.isNaN(x) ? 1 : -1;
    if (x !== y && !Number.isNaN(x)) return y - x;
    if (by === 'q' && k.p[a] !== k.p[b]) return k.p[a] - k.p[b];
    if (k.delta[a] !== k.delta[b] && !Number.isNaN(k.delta[a]) && !Number.isNaN(k.delta[b])) return k.delta[b] - k.delta[a];
    if (k.support[a] !== k.support[b]) return k.support[b] - k.support[a];
    if (k.length(a) !== k.length(b)) return k.length(a) - k.length(b);
    return k.key(a) < k.key(b) ? -1 : k.key(a) > k.key(b) ? 1 : 0;
  };
  return [...ids].sort(cmp);
}

/**
 * Weighted covering (Lavrač, Kavšek, Flach, Todorovski, JMLR 2004, §3.2): pick, k times, the
 * candidate with the highest weighted relative accuracy on reweighted items, then multiply the
 * weight of every failure it covers by γ (a failure covered j times weighs w·γ^j), so later picks
 * explain failures the earlier ones missed. `covers[c]` lists candidate c's items (ascending ids);
 * `inDen` / `isFail` flag the target's population and failures; `weights` are the item weights.
 * Returns indices into `covers`, in pick order; stops early when no candidate has WRAcc' > 0.
 */
export function weightedCovering(
  covers: readonly Uint32Array[],
  inDen: Uint8Array,
  isFail: Uint8Array,
  weights: Float64Array | null,
  gamma: number,
  k: number,
): number[] {
  const n = inDen.length;
  const e = new Float64Array(n);
  let N = 0;
  let F = 0;
  for (let i = 0; i < n; i++) {
    if (!inDen[i]) continue;
    e[i] = weights ? weights[i] : 1;
    N += e[i];
    if (isFail[i]) F += e[i];
  }
  const picked: number[] = [];
  const used = new Uint8Array(covers.length);
  while (picked.length < k && N > 0) {
    let best = -1;
    let bestScore = 0;
    const p0 = F / N;
    for (let c = 0; c < covers.length; c++) {
      if (used[c]) continue;
      const ids = covers[c];
      let nr = 0;
      let fr = 0;
      for (let q = 0; q < ids.length; q++) {
        const i = ids[q];
        nr += e[i];
        if (isFail[i]) fr += e[i];
      }
      // WRAcc' = (n'_R / N')·(f'_R / n'_R − F'/N') = (f'_R − p₀·n'_R) / N'
      const score = (fr - p0 * nr) / N;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    if (best < 0) break;
    used[best] = 1;
    picked.push(best);
    const ids = covers[best];
    for (let q = 0; q < ids.length; q++) {
      const i = ids[q];
      if (!isFail[i] || !inDen[i]) continue;
      const next = e[i] * gamma;
      N -= e[i] - next;
      F -= e[i] - next;
      e[i] = next;
    }
  }
  return picked;
}
