import fc from 'fast-check';
import { bitsetWhere } from './bitset';
import { mineTopWracc } from './best-first';
import { mineFrequent, type MiningInput } from './eclat';

/** A random table: each item takes one value (or none) per group; literals are (group, value). */
interface Table {
  n: number;
  values: number[][]; // values[g][i] ∈ −1 … card−1
  cards: number[];
  den: boolean[];
  fail: boolean[];
  weights: number[] | null;
}

const tableArb = fc
  .record({
    n: fc.integer({ min: 1, max: 90 }),
    cards: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 5 }),
    seed: fc.integer(),
    weighted: fc.boolean(),
    withDen: fc.boolean(),
  })
  .map(({ n, cards, seed, weighted, withDen }): Table => {
    let s = seed >>> 0 || 1;
    const rnd = () => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) / 4294967296;
    };
    const values = cards.map((card) => Array.from({ length: n }, () => Math.floor(rnd() * (card + 1)) - 1));
    const den = Array.from({ length: n }, () => !withDen || rnd() < 0.6);
    const fail = den.map((d) => d && rnd() < 0.3);
    const weights = weighted ? Array.from({ length: n }, () => 0.5 + Math.floor(rnd() * 4) / 2) : null;
    return { n, values, cards, den, fail, weights };
  });

function inputOf(t: Table, minCount: number, maxDepth: number, extra: Partial<MiningInput> = {}): MiningInput {
  const literals: Uint32Array[] = [];
  const groups: number[] = [];
  t.cards.forEach((card, g) => {
    for (let v = 0; v < card; v++) {
      literals.push(bitsetWhere(t.n, (i) => t.values[g][i] === v));
      groups.push(g);
    }
  });
  const anyDen = t.den.some((d) => !d);
  return {
    n: t.n,
    literals,
    groups: Int32Array.from(groups),
    den: anyDen ? bitsetWhere(t.n, (i) => t.den[i]) : null,
    fail: bitsetWhere(t.n, (i) => t.fail[i]),
    weights: t.weights ? Float64Array.from(t.weights) : null,
    sums: [Float64Array.from({ length: t.n }, (_, i) => i * 0.25)],
    minCount,
    maxDepth,
    ...extra,
  };
}

/** Every conjunction (one literal per group) by brute force, keyed by sorted literal ids → [n, d, f, sum]. */
function bruteForce(t: Table, minCount: number, maxDepth: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const offsets: number[] = [];
  let o = 0;
  for (const c of t.cards) {
    offsets.push(o);
    o += c;
  }
  const walk = (g: number, chosen: Array<[number, number]>) => {
    if (g === t.cards.length) {
      if (chosen.length === 0 || (maxDepth > 0 && chosen.length > maxDepth)) return;
      let n = 0;
      let d = 0;
      let f = 0;
      let s = 0;
      let count = 0;
      for (let i = 0; i < t.n; i++) {
        if (!chosen.every(([gg, v]) => t.values[gg][i] === v)) continue;
        const w = t.weights ? t.weights[i] : 1;
        count++;
        n += w;
        if (t.den[i]) d += w;
        if (t.fail[i]) f += w;
        s += i * 0.25;
      }
      if (count > 0 && n >= minCount) out.set(chosen.map(([gg, v]) => offsets[gg] + v).join(','), [n, d, f, s]);
      return;
    }
    walk(g + 1, chosen);
    for (let v = 0; v < t.cards[g]; v++) walk(g + 1, [...chosen, [g, v]]);
  };
  walk(0, []);
  return out;
}

function mined(input: MiningInput): Map<string, number[]> {
  const { table } = mineFrequent(input);
  const out = new Map<string, number[]>();
  for (let i = 0; i < table.size; i++) {
    const key = table.key(i);
    expect(out.has(key)).toBe(false); // each conjunction exactly once
    out.set(key, [table.count[i], table.den[i], table.fail[i], table.sumCount > 0 ? table.sums[0][i] : NaN]);
  }
  return out;
}

function expectSame(actual: Map<string, number[]>, expected: Map<string, number[]>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, v] of expected) {
    const a = actual.get(k) as number[];
    v.forEach((x, j) => {
      if (!Number.isNaN(a[j])) expect(a[j]).toBeCloseTo(x, 9);
    });
  }
}

describe('mineFrequent (Eclat on bitsets)', () => {
  const strategies: Array<[string, Partial<MiningInput>]> = [
    ['bitset covers only', { tidListBelow: 0, projection: 'never' }],
    ['id-list covers only', { tidListBelow: Infinity, projection: 'never' }],
    ['projection forced', { projection: 'always' }],
    ['projection from id lists', { tidListBelow: Infinity, projection: 'always' }],
    ['projection, no extra sums', { projection: 'always', sums: [] }],
    ['defaults', {}],
  ];

  it.each(strategies)('finds exactly the frequent conjunctions a brute force finds, with their sums (%s)', (_name, extra) => {
    fc.assert(
      fc.property(tableArb, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 12 }), (t, maxDepth, minCount) => {
        expectSame(mined(inputOf(t, minCount, maxDepth, extra)), bruteForce(t, minCount, maxDepth));
      }),
      { numRuns: 150 },
    );
  });

  it('counts the candidates it evaluates: 3 groups × 2 values, all frequent', () => {
    // Items 0..7 take every combination of three binary groups: every conjunction is frequent at count 1.
    const t: Table = {
      n: 8,
      cards: [2, 2, 2],
      values: [0, 1, 2].map((g) => Array.from({ length: 8 }, (_, i) => (i >> g) & 1)),
      den: Array(8).fill(true),
      fail: Array.from({ length: 8 }, (_, i) => i === 7),
      weights: null,
    };
    const r = mineFrequent(inputOf(t, 1, 0));
    // 6 singles, 12 pairs, 8 triples; candidates: 6 roots + pairs tried (12) + triples tried (8).
    expect(r.table.size).toBe(26);
    expect(r.candidates).toBe(26);
  });
});

describe('mineTopWracc (best-first, optimistic estimate)', () => {
  it('returns the same top-k WRAcc values as ranking every frequent conjunction', () => {
    fc.assert(
      fc.property(tableArb, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), (t, maxDepth, minCount, k) => {
        const input = inputOf(t, minCount, maxDepth);
        const all = bruteForce(t, minCount, maxDepth);
        const w = t.weights ?? Array(t.n).fill(1);
        const D = t.den.reduce((s, d, i) => s + (d ? w[i] : 0), 0);
        const F = t.fail.reduce((s, f, i) => s + (f ? w[i] : 0), 0);
        if (D === 0) return;
        const p0 = F / D;
        const wracc = (v: number[]) => (v[2] - p0 * v[1]) / D;
        const expected = [...all.values()].map(wracc).sort((a, b) => b - a).slice(0, k);
        const r = mineTopWracc(input, k, { den: D, fail: F }, null, null);
        const got = r.top.map((i) => (r.table.fail[i] - p0 * r.table.den[i]) / D);
        expect(got.length).toBe(expected.length);
        got.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 9));
      }),
      { numRuns: 150 },
    );
  });
});
