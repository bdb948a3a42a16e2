import { CaveatError } from '../errors';
import { permutation, seededRng } from '../random/rng';
import { hasBit, toIndices } from './bitset';
import { mineTopWracc } from './best-first';
import { mineFrequent, type MiningInput } from './eclat';
import { coverOf, countsOfCover, CountsOracle, encodeSplit, type CoverCounts, type EncodedSplit } from './encoded-split';
import { engineRule } from './engine-rule';
import { resolveParams, type ResolvedParams } from './induction-params';
import { itemsetKey, type ItemsetTable } from './itemset-table';
import { buildLiterals, type LiteralDef } from './literals';
import { qValues, ruleMeasures, type Overall, type RuleCounts } from './measures';
import { nonRedundant, productiveRules, sortRules, weightedCovering } from './selection';
import { conditionText, ruleSentence } from './sentence';
import { benjaminiHochberg } from './statistics';
import { validateDataset, type TargetOptions } from './targets';
import type { HoldoutStats, InducedRule, InductionDataset, InductionParams, InductionResult, RuleLiteral, RuleStats } from './types';
import { RULE_EVENT_TYPE } from '../rejection/rule-model';

/** Most candidates the weighted covering scans (the best ones by the sort measure). */
const COVERING_POOL = 1000;

/**
 * "The model fails when…" (DESIGN §4): mines every conjunction of literals above the minimum
 * support on the discovery split, measures and tests each one (BH over all of them), keeps the
 * positive, significant, non-redundant and productive ones, orders them, picks the top k (or a
 * weighted covering), checks each on the holdout split, and words it and compiles it for
 * json-rules-engine. Pure: the dataset is not modified; the result is plain JSON.
 */
export function induceRules(dataset: InductionDataset, params: InductionParams): InductionResult {
  const started = performance.now();
  const p = resolveParams(params);
  const targetOptions: TargetOptions = { target: p.target, positive: p.positive, costPolicy: p.costPolicy, threshold: p.threshold };
  const n = validateDataset(dataset, targetOptions);
  const { discovery, holdout } = splitRows(n, p.holdout, p.seed);
  const defs = buildLiterals(dataset, discovery, p);
  const disc = encodeSplit(dataset, defs, discovery, targetOptions);
  if (!(disc.overall.den > 0)) throw new CaveatError('unprocessable', `no items in the ${p.target} target's denominator`, { field: 'target' });
  const minCount = p.minSupport < 1 ? p.minSupport * disc.overall.total * (1 - 1e-12) : p.minSupport;

  const mined = mine(disc, defs, p, minCount);
  const { table } = mined;
  const m = measureTable(table, mined.lossCols, disc.overall, p.alpha);
  const countsAt = (id: number): RuleCounts => countsOfRow(table, id, mined.lossCols);
  const support = Float64Array.from({ length: table.size }, (_, i) => table.count[i] / disc.overall.total);
  const gain = mined.gainCol >= 0 ? table.sums[mined.gainCol] : new Float64Array(table.size).fill(NaN);

  // Subset look-ups: mined rows first, the oracle for anything the search did not keep.
  const oracle = new CountsOracle(disc);
  let byKey: Map<string, number> | null = null;
  const countsOfSet = (lits: readonly number[]): RuleCounts => {
    byKey ??= new Map(Array.from({ length: table.size }, (_, i) => [table.key(i), i]));
    const id = byKey.get(itemsetKey(lits));
    return id !== undefined ? countsAt(id) : oracle.counts(lits);
  };
  const p0 = disc.overall.fail / disc.overall.den;
  const deltaOfSet = (lits: readonly number[]) => {
    const c = countsOfSet(lits);
    return c.fail / c.den - p0;
  };
  const litsOf = (id: number) => table.literals(id);

  let ids = mined.top ?? Array.from({ length: table.size }, (_, i) => i);
  const funnel = { tested: table.size, positive: 0, significant: 0, nonRedundant: 0, productive: 0, returned: 0 };
  if (p.onlyPositive) ids = ids.filter((id) => m.delta[id] > 0);
  funnel.positive = ids.length;
  ids = ids.filter((id) => m.q[id] <= p.maxQ);
  funnel.significant = ids.length;
  if (p.epsilon !== undefined) ids = nonRedundant(ids, litsOf, deltaOfSet, p.epsilon);
  funnel.nonRedundant = ids.length;
  if (p.productive) ids = productiveRules(ids, litsOf, countsOfSet, disc.overall, p.productiveAlpha);
  funnel.productive = ids.length;

  const sorted = sortRules(ids, p.sort, {
    ...m,
    gain,
    support,
    length: (id) => table.length[id],
    key: (id) => table.key(id),
  });
  let chosen: number[];
  if (p.covering && !disc.overall.isLoss) {
    const pool = sorted.slice(0, COVERING_POOL);
    const covers = pool.map((id) => toIndices(coverOf(disc, litsOf(id))));
    const flags = targetFlags(disc);
    chosen = weightedCovering(covers, flags.inDen, flags.isFail, disc.target.weights, p.gamma, p.top > 0 ? p.top : pool.length).map((c) => pool[c]);
  } else {
    chosen = p.top > 0 ? sorted.slice(0, p.top) : sorted;
  }
  funnel.returned = chosen.length;

  const hold = holdout.length > 0 ? encodeSplit(dataset, defs, holdout, targetOptions) : null;
  const rules = chosen.map((id) => {
    const lits = litsOf(id);
    const counts = oracle.counts(lits);
    return buildRule(lits.map((l) => publicLiteral(defs[l])), counts, { ...pick(m, id), q: m.q[id] }, disc, hold, lits, p);
  });
  if (hold) markReplication(rules, p.replicationAlpha);
  for (const r of rules) r.engine = engineRule(r.id, r.literals, r.sentence, { ...r.stats, ...(r.holdout ? { holdout: r.holdout } : {}) });

  return {
    target: p.target,
    ...(p.positive !== undefined ? { positive: p.positive } : {}),
    params: resultParams(p),
    data: {
      items: n,
      weight: disc.overall.total + (hold ? hold.overall.total : 0),
      discoveryItems: discovery.length,
      holdoutItems: holdout.length,
      seed: p.seed,
      overall: { denominator: disc.overall.den, failures: disc.overall.fail, rate: p0 },
      ...(hold ? { holdoutOverall: { denominator: hold.overall.den, failures: hold.overall.fail, rate: hold.overall.fail / hold.overall.den } } : {}),
    },
    search: { literals: defs.length, candidates: mined.candidates, tested: table.size, minCount, elapsedMs: Math.round((performance.now() - started) * 10) / 10 },
    funnel,
    rules,
  };
}

/** Discovery and holdout item indices (ascending), from a seeded permutation (DESIGN §4: disjoint splits). */
export function splitRows(n: number, holdoutFraction: number, seed: number): { discovery: Uint32Array; holdout: Uint32Array } {
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  if (holdoutFraction <= 0) return { discovery: all, holdout: new Uint32Array(0) };
  const perm = permutation(n, seededRng(seed));
  const h = Math.round(n * holdoutFraction);
  if (h === 0 || h === n) throw new CaveatError('unprocessable', `a holdout of ${holdoutFraction} leaves an empty split of ${n} items`, { field: 'holdout' });
  return { holdout: perm.slice(0, h).sort(), discovery: perm.slice(h).sort() };
}

interface Mined {
  table: ItemsetTable;
  candidates: number;
  top?: number[];
  /** Column of table.sums holding Σ w·loss and Σ w·loss² (loss target), or −1. */
  lossCols: [number, number] | null;
  gainCol: number;
}

function mine(disc: EncodedSplit, defs: readonly LiteralDef[], p: ResolvedParams, minCount: number): Mined {
  const sums: Float64Array[] = [];
  let lossCols: [number, number] | null = null;
  if (disc.wloss && disc.loss2) {
    sums.push(disc.wloss, disc.loss2);
    lossCols = [0, 1];
  }
  let gainCol = -1;
  if (p.sort === 'gain' && disc.target.gain) {
    gainCol = sums.length;
    sums.push(disc.target.gain);
  }
  const input: MiningInput = {
    n: disc.rows.length,
    literals: disc.literals,
    groups: Int32Array.from(defs, (d) => d.group),
    den: disc.target.den,
    fail: disc.target.fail,
    weights: disc.target.weights,
    sums,
    minCount,
    maxDepth: p.maxDepth,
  };
  if (p.search === 'best-first') {
    const o = disc.overall;
    let excess: Float64Array | null = null;
    if (disc.target.loss) {
      const mean0 = o.fail / o.den;
      const w = disc.target.weights;
      excess = Float64Array.from(disc.target.loss, (y, i) => (w ? w[i] : 1) * Math.max(0, y - mean0));
    }
    const r = mineTopWracc(input, p.top, { den: o.den, fail: o.fail }, excess, disc.wloss);
    return { table: r.table, candidates: r.candidates, top: r.top, lossCols, gainCol };
  }
  const r = mineFrequent(input);
  return { table: r.table, candidates: r.candidates, lossCols, gainCol };
}

function countsOfRow(table: ItemsetTable, id: number, lossCols: [number, number] | null): RuleCounts {
  if (lossCols) return { count: table.count[id], den: table.den[id], fail: table.sums[lossCols[0]][id], fail2: table.sums[lossCols[1]][id] };
  return { count: table.count[id], den: table.den[id], fail: table.fail[id], fail2: 0 };
}

interface MeasureColumns {
  rate: Float64Array;
  delta: Float64Array;
  lift: Float64Array;
  wracc: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  t: Float64Array;
  p: Float64Array;
  q: Float64Array;
  sliceline: Float64Array;
}

/** Measures of every mined conjunction, and BH q-values over all of them. */
export function measureTable(table: ItemsetTable, lossCols: [number, number] | null, overall: Overall, alpha: number): MeasureColumns {
  const size = table.size;
  const col = () => new Float64Array(size);
  const out: MeasureColumns = { rate: col(), delta: col(), lift: col(), wracc: col(), lo: col(), hi: col(), t: col(), p: col(), q: col(), sliceline: col() };
  for (let i = 0; i < size; i++) {
    const r = ruleMeasures(countsOfRow(table, i, lossCols), overall, alpha);
    out.rate[i] = r.rate;
    out.delta[i] = r.delta;
    out.lift[i] = r.lift;
    out.wracc[i] = r.wracc;
    out.lo[i] = r.lo;
    out.hi[i] = r.hi;
    out.t[i] = r.t;
    out.p[i] = r.p;
    out.sliceline[i] = r.sliceline;
  }
  out.q = qValues(out.p);
  return out;
}

function pick(m: MeasureColumns, id: number) {
  return { rate: m.rate[id], delta: m.delta[id], lift: m.lift[id], wracc: m.wracc[id], lo: m.lo[id], hi: m.hi[id], t: m.t[id], p: m.p[id], sliceline: m.sliceline[id] };
}

function publicLiteral(d: LiteralDef): RuleLiteral {
  const { group: _group, source: _source, ...rest } = d;
  return rest;
}

function targetFlags(split: EncodedSplit): { inDen: Uint8Array; isFail: Uint8Array } {
  const n = split.rows.length;
  const inDen = new Uint8Array(n);
  const isFail = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    inDen[i] = split.target.den === null || hasBit(split.target.den, i) ? 1 : 0;
    isFail[i] = hasBit(split.target.fail, i) ? 1 : 0;
  }
  return { inDen, isFail };
}

function buildRule(
  literals: RuleLiteral[],
  counts: CoverCounts,
  m: ReturnType<typeof pick> & { q: number },
  disc: EncodedSplit,
  hold: EncodedSplit | null,
  lits: readonly number[],
  p: ResolvedParams,
): InducedRule {
  const o = disc.overall;
  const hasGain = disc.target.gain !== null;
  const stats: RuleStats = {
    count: counts.count,
    support: counts.count / o.total,
    denominator: counts.den,
    failures: counts.fail,
    rate: m.rate,
    delta: m.delta,
    lift: m.lift,
    wracc: m.wracc,
    interval: [m.lo, m.hi],
    t: m.t,
    p: m.p,
    q: m.q,
    sliceline: m.sliceline,
    gain: hasGain ? counts.gain : 0,
    gainPer1000: hasGain ? (counts.gain / o.total) * 1000 : 0,
  };
  const condition = conditionText(literals.map((l) => l.text));
  const sentence = ruleSentence({
    target: p.target,
    positive: p.positive,
    conditions: literals.map((l) => l.text),
    count: counts.count,
    denominator: counts.den,
    rate: m.rate,
    overallRate: o.fail / o.den,
    gainPer1000: hasGain ? stats.gainPer1000 : null,
  });
  const rule: InducedRule = {
    id: ruleId(literals),
    literals,
    condition,
    sentence,
    stats,
    examples: examples(disc, lits),
    engine: { conditions: { all: [] }, event: { type: RULE_EVENT_TYPE } },
  };
  if (hold) {
    const hc = countsOfCover(hold, coverOf(hold, lits));
    const hm = ruleMeasures(hc, hold.overall, p.alpha);
    rule.holdout = {
      count: hc.count,
      denominator: hc.den,
      rate: hm.rate,
      delta: hm.delta,
      gain: hasGain ? hc.gain : 0,
      gainPer1000: hasGain ? (hc.gain / hold.overall.total) * 1000 : 0,
      p: hm.p,
      q: hm.p,
      replicated: false,
    };
  }
  return rule;
}

/** Up to `k` covered failures (dataset indices, in dataset order); for loss, the highest-loss covered items. */
function examples(split: EncodedSplit, lits: readonly number[], k = 5): number[] {
  const cover = coverOf(split, lits);
  const loss = split.target.loss;
  if (loss) {
    return Array.from(toIndices(cover))
      .sort((a, b) => loss[b] - loss[a] || a - b)
      .slice(0, k)
      .map((r) => split.rows[r]);
  }
  const out: number[] = [];
  const fail = split.target.fail;
  for (let w = 0; w < cover.length && out.length < k; w++) {
    let x = cover[w] & fail[w];
    while (x !== 0 && out.length < k) {
      const low = x & -x;
      out.push(split.rows[(w << 5) + 31 - Math.clz32(low)]);
      x ^= low;
    }
  }
  return out;
}

/**
 * A rule replicates when its holdout Δ > 0 and its holdout one-sided p, BH-adjusted over the
 * returned rules (the confirmatory family), is below α.
 */
function markReplication(rules: InducedRule[], alpha: number): void {
  const hs = rules.map((r) => r.holdout as HoldoutStats);
  const q = benjaminiHochberg(hs.map((h) => (Number.isNaN(h.p) ? 1 : h.p)));
  hs.forEach((h, i) => {
    h.q = q[i];
    h.replicated = h.delta > 0 && q[i] < alpha;
  });
}

/** A stable id from the conjunction: `r-` + FNV-1a (32-bit) of its canonical conditions. */
export function ruleId(literals: readonly RuleLiteral[]): string {
  const canonical = literals
    .map((l) => `${l.fact}\u0000${l.kind}\u0000${l.value ?? ''}\u0000${l.present ?? ''}\u0000${l.lower ?? ''}\u0000${l.upper ?? ''}`)
    .sort()
    .join('\u0001');
  let h = 0x811c9dc5;
  for (let i = 0; i < canonical.length; i++) {
    h ^= canonical.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `r-${(h >>> 0).toString(16).padStart(8, '0')}`;
}

function resultParams(p: ResolvedParams): InductionResult['params'] {
  const { positive: _positive, threshold, epsilon, ...rest } = p;
  return { ...rest, threshold: threshold ?? null, epsilon: epsilon ?? null };
}
