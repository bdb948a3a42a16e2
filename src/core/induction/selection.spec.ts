import { productiveRules, nonRedundant, sortRules, weightedCovering, type SortKeys } from './selection';
import type { Overall, RuleCounts } from './measures';

describe('nonRedundant (DivExplorer ε-pruning, Δ(∅) = 0)', () => {
  // Literals 0 = A, 1 = B. Δ(A) = 0.30, Δ(B) = 0.02, Δ(AB) = 0.31.
  const sets: Record<string, number> = { '0': 0.3, '1': 0.02, '0,1': 0.31 };
  const lits: Record<number, number[]> = { 0: [0], 1: [1], 2: [0, 1] };
  const deltaOf = (l: readonly number[]) => sets[[...l].sort().join(',')];

  it.each([
    // B alone: |0.02 − 0| ≤ 0.05 → redundant. AB: |0.31 − Δ(A)| = 0.01 ≤ 0.05 → redundant (B adds nothing).
    [0.05, [0]],
    // ε = 0.005: B alone |0.02| > ε kept; AB: |0.31 − 0.30| = 0.01 and |0.31 − 0.02| = 0.29, both > ε: kept.
    [0.005, [0, 1, 2]],
    // ε = 0.3: A alone |0.30| ≤ 0.3 → redundant too.
    [0.3, []],
  ])('ε = %d keeps %j', (eps, kept) => {
    expect(nonRedundant([0, 1, 2], (id) => lits[id], deltaOf, eps)).toEqual(kept);
  });

  it('never prunes on an undefined Δ (empty denominator), as DivExplorer', () => {
    expect(nonRedundant([0], () => [0], () => NaN, 1)).toEqual([0]);
  });
});

describe('productiveRules (every literal significantly raises the rate within its parent)', () => {
  const overall: Overall = { total: 1000, den: 1000, fail: 100, fail2: 0, scale: 1, isLoss: false };
  const counts: Record<string, RuleCounts> = {
    // A: 200 items, 60 fail (30% vs 10%): productive against the whole data.
    '0': { count: 200, den: 200, fail: 60, fail2: 0 },
    // B: 500 items, 50 fail: no better than the whole data.
    '1': { count: 500, den: 500, fail: 50, fail2: 0 },
    // AB: 100 items, 30 fail — the same 30% as A: B adds nothing within A.
    '0,1': { count: 100, den: 100, fail: 30, fail2: 0 },
    // AC: 100 items, 55 fail — C raises A's 30% to 55%.
    '0,2': { count: 100, den: 100, fail: 55, fail2: 0 },
    // C: 300 items, 75 fail.
    '2': { count: 300, den: 300, fail: 75, fail2: 0 },
  };
  const lits: Record<number, number[]> = { 0: [0], 1: [1], 2: [0, 1], 3: [0, 2], 4: [2] };
  const countsOf = (l: readonly number[]) => counts[[...l].sort().join(',')];

  it('keeps A, AC and C; drops B (no lift) and AB (B adds nothing within A)', () => {
    expect(productiveRules([0, 1, 2, 3, 4], (id) => lits[id], countsOf, overall, 0.05)).toEqual([0, 3, 4]);
  });
});

describe('sortRules', () => {
  const keys: SortKeys = {
    delta: [0.1, 0.3, 0.3, NaN],
    t: [5, 2, 9, 1],
    p: [1e-5, 1e-3, 1e-9, 0.5],
    q: [1e-4, 1e-2, 1e-8, 0.6],
    gain: [10, -3, 4, 0],
    wracc: [0.02, 0.01, 0.03, 0],
    sliceline: [0.5, 1.5, -0.2, 0],
    support: [0.5, 0.1, 0.2, 0.9],
    length: (id) => [1, 2, 2, 1][id],
    key: (id) => String(id),
  };
  it.each([
    ['delta', [2, 1, 0, 3]], // a 0.3 tie: the larger support (id 2: 0.2) first; NaN last
    ['t', [2, 0, 1, 3]],
    ['q', [2, 0, 1, 3]],
    ['gain', [0, 2, 3, 1]],
    ['wracc', [2, 0, 1, 3]],
    ['sliceline', [1, 0, 3, 2]],
  ] as const)('by %s', (by, order) => {
    expect(sortRules([0, 1, 2, 3], by, keys)).toEqual(order);
  });
});

describe('weightedCovering (Lavrač et al. 2004, γ^k on covered failures)', () => {
  // 10 items, all in the population; failures: 0,1,2,3 (40%).
  const inDen = new Uint8Array(10).fill(1);
  const isFail = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const covers = [
    Uint32Array.from([0, 1, 2, 4]), // A: 3 of 4 fail
    Uint32Array.from([0, 1, 2, 5]), // A': the same failures as A
    Uint32Array.from([3, 6]), // B: the other failure
  ];

  it('picks A, then B rather than the near-duplicate A′ (γ = 0.1)', () => {
    // Round 1: WRAcc' = (f − 0.4·n)/10: A = A' = (3 − 1.6)/10 = 0.14, B = (1 − 0.8)/10 = 0.02 → A (first on ties).
    // Then failures 0,1,2 weigh 0.1: N' = 7.3, F' = 1.3, p₀ = 0.178; A' = (0.3 − 0.178·1.3)/7.3 = 0.009,
    // B = (1 − 0.178·2)/7.3 = 0.088 → B.
    expect(weightedCovering(covers, inDen, isFail, null, 0.1, 2)).toEqual([0, 2]);
  });

  it('without down-weighting (γ = 1) the near-duplicate comes second', () => {
    expect(weightedCovering(covers, inDen, isFail, null, 1, 2)).toEqual([0, 1]);
  });

  it('stops when no candidate is better than the reweighted base rate', () => {
    expect(weightedCovering([Uint32Array.from([4, 5, 6])], inDen, isFail, null, 0.5, 3)).toEqual([]);
  });
});
