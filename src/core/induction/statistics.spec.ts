import fc from 'fast-check';
import { benjaminiHochberg, betaMoments, betaT, fisherUpperP, logChoose, logGamma, normalUpper, sliceLineScore, wilsonInterval } from './statistics';

describe('logGamma', () => {
  it.each([
    ['Γ(1) = 1', 1, 0],
    ['Γ(2) = 1', 2, 0],
    ['Γ(1/2) = √π', 0.5, Math.log(Math.sqrt(Math.PI))],
    ['Γ(10) = 9!', 10, Math.log(362880)],
    ['Γ(3.7) (shifted into the series)', 3.7, 1.4280723266653883],
    ['Γ(100)', 100, 359.1342053695754],
    ['Γ(0.001) ≈ 1000', 0.001, 6.907178885383854],
  ])('%s', (_name, x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 12);
  });

  it('Γ(10⁶) to 1e-15 relative', () => {
    expect(Math.abs(logGamma(1e6) - 12815504.569147611) / 12815504.569147611).toBeLessThan(1e-15);
  });

  it('satisfies Γ(x+1) = x·Γ(x)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 500, noNaN: true }), (x) => {
        expect(logGamma(x + 1)).toBeCloseTo(logGamma(x) + Math.log(x), 9);
      }),
    );
  });
});

/** Exact upper tail with BigInt binomials, for checking the floating-point one. */
function exactUpper(k: number, n: number, K: number, N: number): number {
  const choose = (a: number, b: number): bigint => {
    if (b < 0 || b > a) return 0n;
    let r = 1n;
    for (let i = 0; i < b; i++) r = (r * BigInt(a - i)) / BigInt(i + 1);
    return r;
  };
  let num = 0n;
  for (let x = Math.max(k, 0); x <= Math.min(n, K); x++) num += choose(K, x) * choose(N - K, n - x);
  const den = choose(N, n);
  // 1e15-scaled integer division keeps 15 significant digits for p ≥ 1e-300-ish inputs used here.
  return Number((num * 10n ** 18n) / den) / 1e18;
}

describe('fisherUpperP (one-sided hypergeometric tail)', () => {
  it.each([
    // [name, k, draws, successes, population, expected]
    ['3 of 5 drawn from 4 in 10: (C(4,3)C(6,2) + C(4,4)C(6,1)) / C(10,5) = 66/252', 3, 5, 4, 10, 66 / 252],
    ['lady tasting tea, all 4 right: 1/70', 4, 4, 4, 8, 1 / 70],
    ['k = 1 (below the mode): 1 − C(6,5)/C(10,5)', 1, 5, 4, 10, 246 / 252],
    ['k at the lower bound: 1', 0, 5, 4, 10, 1],
    ['k above every possible count: 0', 5, 5, 4, 10, 0],
    ['110 of 500 from 300 in 2000', 110, 500, 300, 2000, 6.810650135420332e-7],
    ['60 of 500 from 300 in 2000 (below the mode)', 60, 500, 300, 2000, 0.9887037653910249],
  ])('%s', (_name, k, n, K, N, expected) => {
    expect(fisherUpperP(k, n, K, N)).toBeCloseTo(expected, 12);
    expect(Math.abs(fisherUpperP(k, n, K, N) - expected)).toBeLessThanOrEqual(Math.abs(expected) * 1e-9 + 1e-15);
  });

  it('matches the exact BigInt tail on random tables', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.nat(), fc.nat(), fc.nat(), (N, a, b, c) => {
        const K = a % (N + 1);
        const n = b % (N + 1);
        const k = c % (n + 1);
        const p = fisherUpperP(k, n, K, N);
        const e = exactUpper(k, n, K, N);
        expect(Math.abs(p - e)).toBeLessThanOrEqual(1e-9 * Math.max(e, 1e-6));
      }),
      { numRuns: 300 },
    );
  });

  it('stays finite and ordered on adult-sized tables (no underflow to NaN)', () => {
    const p1 = fisherUpperP(1600, 3094, 2705, 34014);
    const p2 = fisherUpperP(1500, 3094, 2705, 34014);
    expect(Number.isFinite(p1) && Number.isFinite(p2)).toBe(true);
    expect(p1).toBeLessThanOrEqual(p2);
    expect(fisherUpperP(246, 3094, 2705, 34014)).toBeGreaterThan(0.5);
  });
});

describe('wilsonInterval (95%)', () => {
  it.each([
    ['3 of 10', 3, 10, [0.10779126740630099, 0.6032218525388546]],
    ['0 of 10', 0, 10, [0, 0.2775327998628892]],
    ['10 of 10', 10, 10, [0.7224672001371107, 1]],
  ] as Array<[string, number, number, [number, number]]>)('%s', (_name, x, n, [lo, hi]) => {
    const [a, b] = wilsonInterval(x, n);
    expect(a).toBeCloseTo(lo, 12);
    expect(b).toBeCloseTo(hi, 12);
  });

  it('always contains the observed rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10000 }), fc.nat(), (n, x0) => {
        const x = x0 % (n + 1);
        const [lo, hi] = wilsonInterval(x, n);
        expect(lo).toBeLessThanOrEqual(x / n + 1e-12);
        expect(hi).toBeGreaterThanOrEqual(x / n - 1e-12);
      }),
    );
  });
});

describe('benjaminiHochberg', () => {
  it('q = min over j ≥ i of m·p_(j)/j, in input order', () => {
    // sorted: 0.005 → 4·0.005/1 = 0.02, 0.01 → 4·0.01/2 = 0.02, 0.03 → 0.04, 0.04 → 0.04
    expect(Array.from(benjaminiHochberg([0.01, 0.04, 0.03, 0.005]))).toEqual([0.02, 0.04, 0.04, 0.02]);
  });

  it('is monotone in p and never below p', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }), (p) => {
        const q = benjaminiHochberg(p);
        p.forEach((pi, i) => {
          expect(q[i]).toBeGreaterThanOrEqual(pi - 1e-15);
          expect(q[i]).toBeLessThanOrEqual(1);
          p.forEach((pj, j) => {
            if (pi < pj) expect(q[i]).toBeLessThanOrEqual(q[j] + 1e-15);
          });
        });
      }),
    );
  });
});

describe('betaT (DivExplorer t)', () => {
  it('1 fail / 1 pass in the subgroup against 0 / 2 overall: Beta(2,2) vs Beta(1,3)', () => {
    expect(betaMoments(2, 2)).toEqual([0.5, 0.05]);
    expect(betaMoments(1, 3)).toEqual([0.25, 0.0375]);
    expect(betaT(1, 1, 0, 2)).toBeCloseTo(0.25 / Math.sqrt(0.0875), 14);
  });

  it('is 0 when the subgroup is the whole data', () => {
    expect(betaT(30, 70, 30, 70)).toBe(0);
  });
});

describe('sliceLineScore', () => {
  it('α·(0.3/0.1 − 1) − (1−α)·(1000/100 − 1) = 1.9 − 0.45 at α = 0.95', () => {
    expect(sliceLineScore(0.3, 0.1, 100, 1000, 0.95)).toBeCloseTo(1.45, 14);
  });
  it('the whole data scores 0', () => {
    expect(sliceLineScore(0.1, 0.1, 1000, 1000, 0.6)).toBe(0);
  });
});

describe('normalUpper', () => {
  it.each([
    [0, 0.5],
    [1.959963984540054, 0.025],
    [-1.959963984540054, 0.975],
    [3, 0.0013498980316301],
  ])('P(Z ≥ %d)', (z, p) => {
    expect(normalUpper(z)).toBeCloseTo(p, 6);
  });
});

describe('logChoose', () => {
  it('ln C(10, 5) = ln 252', () => expect(logChoose(10, 5)).toBeCloseTo(Math.log(252), 12));
  it('outside the range is −∞', () => expect(logChoose(3, 4)).toBe(-Infinity));
});
