import { CaveatError } from '../errors';
import { induceRules, splitRows } from './induce';
import { plantedSliceData } from './planted-slices';
import { resultTable } from './result-text';
import { datasetFromTable } from './table-dataset';
import type { InductionDataset, InductionParams } from './types';

const everything: Partial<InductionParams> = { maxQ: 1, productive: false, onlyPositive: false, top: 0, minSupport: 1 };

/** Six items, one attribute: colour red (items 0–2) or blue (3–5). */
function tiny(overrides: Partial<InductionDataset> = {}): InductionDataset {
  return {
    columns: [{ kind: 'categorical', name: 'colour', values: ['red', 'red', 'red', 'blue', 'blue', 'blue'] }],
    label: ['a', 'a', 'b', 'a', 'b', 'b'],
    predicted: ['a', 'b', 'a', 'a', 'b', 'b'],
    confidence: [0.9, 0.8, 0.5, 0.95, 0.7, 0.6],
    ...overrides,
  };
}

const ruleFor = (r: ReturnType<typeof induceRules>, value: string) => r.rules.find((x) => x.literals.length === 1 && x.literals[0].value === value);

describe('induceRules on a hand-checkable table', () => {
  it('error: red fails 2 of 3 (items 1, 2), blue 0 of 3; overall 2/6', () => {
    const r = induceRules(tiny(), { target: 'error', ...everything });
    const red = ruleFor(r, 'red');
    expect(r.data.overall).toEqual({ denominator: 6, failures: 2, rate: 2 / 6 });
    expect(red?.stats).toMatchObject({ count: 3, support: 0.5, denominator: 3, failures: 2 });
    expect(red?.stats.rate).toBeCloseTo(2 / 3, 15);
    expect(red?.stats.delta).toBeCloseTo(1 / 3, 15);
    expect(red?.stats.lift).toBeCloseTo(2, 15);
    expect(red?.stats.wracc).toBeCloseTo(0.5 * (1 / 3), 15);
    // Fisher: 2 of 3 drawn from 2 failures in 6 → P(X ≥ 2) = C(2,2)C(4,1)/C(6,3) = 4/20.
    expect(red?.stats.p).toBeCloseTo(0.2, 12);
    expect(red?.examples).toEqual([1, 2]);
  });

  it('value gain: T* = (D − W)/(V − W) = 4/6; red keeps items 0 (correct, 0.9) and 1 (wrong, 0.8): G = (−1 − 1) + (−1 + 5) = 2', () => {
    const r = induceRules(tiny(), { target: 'error', ...everything, costPolicy: { V: 1, D: -1, W: -5 } });
    const red = ruleFor(r, 'red');
    expect(red?.stats.gain).toBe(2);
    expect(red?.stats.gainPer1000).toBeCloseTo((2 / 6) * 1000, 10);
    expect(red?.sentence).toContain('Rejecting them gains 333 value units per 1,000 predictions.');
  });

  it('accepted-error at threshold 0.75: only item 1 (wrong, 0.8) counts; red 1/3 against 1/6', () => {
    const r = induceRules(tiny(), { target: 'accepted-error', threshold: 0.75, ...everything });
    expect(r.data.overall.failures).toBe(1);
    expect(ruleFor(r, 'red')?.stats.rate).toBeCloseTo(1 / 3, 15);
    expect(ruleFor(r, 'blue')?.stats.rate).toBe(0);
  });

  it('fpr for positive a: negatives are items 2, 4, 5; item 2 (red) is predicted a', () => {
    const r = induceRules(tiny(), { target: 'fpr', positive: 'a', ...everything });
    expect(r.data.overall).toEqual({ denominator: 3, failures: 1, rate: 1 / 3 });
    expect(ruleFor(r, 'red')?.stats).toMatchObject({ count: 3, denominator: 1, failures: 1, rate: 1 });
  });

  it('fnr for positive a: positives are items 0, 1, 3; item 1 (red) is not predicted a', () => {
    const r = induceRules(tiny(), { target: 'fnr', positive: 'a', ...everything });
    expect(r.data.overall).toEqual({ denominator: 3, failures: 1, rate: 1 / 3 });
    expect(ruleFor(r, 'red')?.stats).toMatchObject({ denominator: 2, failures: 1, rate: 0.5 });
  });

  it('loss: mean loss per subgroup (red 2.0, blue 0.5, overall 1.25)', () => {
    const r = induceRules(tiny({ loss: [1, 2, 3, 0.5, 0.5, 0.5] }), { target: 'loss', ...everything });
    expect(r.data.overall.rate).toBe(1.25);
    const red = ruleFor(r, 'red');
    expect(red?.stats.rate).toBe(2);
    expect(red?.stats.delta).toBe(0.75);
    expect(red?.stats.p).toBeLessThan(0.05);
    expect(red?.examples).toEqual([2, 1, 0]);
    expect(red?.sentence).toBe("The model's loss is higher when colour is red: a mean loss of 2 over 3 items, against 1.25 overall (×1.6).");
  });
});

describe('weights (inverse inclusion probabilities) apply to every rate and count', () => {
  const data = plantedSliceData({ items: 3000, seed: 2, attributes: 4, values: 3, baseError: 0.1, slices: [{ when: { a1: 'v1' }, errorRate: 0.3 }] });
  const n = 3000;
  const params: InductionParams = { target: 'error', minSupport: 0.05, maxDepth: 2, maxQ: 1, productive: false, onlyPositive: false, top: 0, sort: 'delta' };
  const byCondition = (r: ReturnType<typeof induceRules>) => new Map(r.rules.map((x) => [x.condition, x.stats]));

  it('all weights 2: rates, Δ, p and q unchanged, counts doubled', () => {
    const plain = byCondition(induceRules(data, params));
    const doubled = byCondition(induceRules({ ...data, weights: new Float64Array(n).fill(2) }, params));
    expect([...doubled.keys()].sort()).toEqual([...plain.keys()].sort());
    for (const [k, s] of plain) {
      const d = doubled.get(k)!;
      expect(d.count).toBe(2 * s.count);
      expect(d.rate).toBeCloseTo(s.rate, 12);
      expect(d.delta).toBeCloseTo(s.delta, 12);
      expect(d.p).toBeCloseTo(s.p, 12);
      expect(d.q).toBeCloseTo(s.q, 12);
      expect(d.gain).toBeCloseTo(2 * s.gain, 9);
    }
  });

  it('weight 2 on some items counts them as duplicated items do', () => {
    const w = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2 : 1));
    const weighted = byCondition(induceRules({ ...data, weights: w }, params));
    const dup = [...Array(n).keys()].flatMap((i) => (i % 3 === 0 ? [i, i] : [i]));
    const pickAll = <T>(xs: ArrayLike<T>) => dup.map((i) => xs[i]);
    const duplicated: InductionDataset = {
      columns: data.columns.map((c) => ({ ...c, values: pickAll(c.values as ArrayLike<string>) })) as InductionDataset['columns'],
      label: pickAll(data.label as string[]),
      predicted: pickAll(data.predicted as string[]),
    };
    const dupl = byCondition(induceRules(duplicated, params));
    expect([...weighted.keys()].sort()).toEqual([...dupl.keys()].sort());
    for (const [k, s] of dupl) {
      const x = weighted.get(k)!;
      expect(x.count).toBeCloseTo(s.count, 9);
      expect(x.failures).toBeCloseTo(s.failures, 9);
      expect(x.rate).toBeCloseTo(s.rate, 12);
      expect(x.delta).toBeCloseTo(s.delta, 12);
    }
  });
});

describe('replication on the holdout', () => {
  it('flags a slice that fails only on the discovery split as not replicated', () => {
    const n = 4000;
    const { holdout } = splitRows(n, 0.5, 9);
    const inHoldout = new Set(holdout);
    const base = plantedSliceData({ items: n, seed: 4, attributes: 3, values: 3, baseError: 0.05, slices: [] });
    const a1 = base.columns[0].values as string[];
    // a1 = v1 fails at 60% — but only on discovery items.
    const predicted = (base.predicted as string[]).map((p, i) => {
      if (a1[i] !== 'v1' || inHoldout.has(i) || i % 5 >= 3) return p;
      const y = (base.label as string[])[i];
      return y === 'yes' ? 'no' : 'yes';
    });
    const r = induceRules({ ...base, predicted }, { target: 'error', minSupport: 0.05, maxDepth: 1, holdout: 0.5, seed: 9, top: 1 });
    expect(r.rules[0].condition).toBe('a1 is v1');
    expect(r.rules[0].stats.q).toBeLessThan(1e-6);
    expect(r.rules[0].holdout?.replicated).toBe(false);
    expect(Math.abs(r.rules[0].holdout?.delta ?? 1)).toBeLessThan(0.05);
  });

  it('splits deterministically by seed into disjoint, complete parts', () => {
    const a = splitRows(100, 0.3, 7);
    const b = splitRows(100, 0.3, 7);
    expect(Array.from(a.holdout)).toEqual(Array.from(b.holdout));
    expect(a.holdout.length).toBe(30);
    expect(new Set([...a.holdout, ...a.discovery]).size).toBe(100);
    expect(Array.from(splitRows(100, 0.3, 8).holdout)).not.toEqual(Array.from(a.holdout));
  });
});

describe('best-first search', () => {
  it('returns the exhaustive top-k by WRAcc', () => {
    const data = plantedSliceData({ items: 5000, seed: 3, attributes: 5, values: 3, baseError: 0.1, slices: [{ when: { a1: 'v1', a2: 'v2' }, errorRate: 0.4 }] });
    const base: InductionParams = { target: 'error', minSupport: 0.01, maxDepth: 3, maxQ: 1, productive: false, onlyPositive: false, sort: 'wracc', top: 5 };
    const exhaustive = induceRules(data, base);
    const best = induceRules(data, { ...base, search: 'best-first' });
    expect(best.rules.map((x) => x.condition)).toEqual(exhaustive.rules.map((x) => x.condition));
    expect(best.search.candidates).toBeLessThan(exhaustive.search.candidates);
  });
});

describe('input validation names the field', () => {
  it.each([
    ['fpr without a positive class', tiny(), { target: 'fpr' }, 'positive'],
    ['a column of the wrong length', tiny({ label: ['a'] }), { target: 'error' }, 'label'],
    ['a zero support', tiny(), { target: 'error', minSupport: 0 }, 'minSupport'],
    ['an unknown sort', tiny(), { target: 'error', sort: 'lift' }, 'sort'],
    ['accepted-error without confidences', tiny({ confidence: undefined }), { target: 'accepted-error' }, 'confidence'],
    ['a negative weight', tiny({ weights: [1, 1, -1, 1, 1, 1] }), { target: 'error' }, 'weights[2]'],
  ] as Array<[string, InductionDataset, InductionParams, string]>)('%s', (_name, data, params, field) => {
    expect(() => induceRules(data, params)).toThrow(CaveatError);
    try {
      induceRules(data, params);
    } catch (e) {
      expect((e as CaveatError).code).toBe('invalid_input');
      expect((e as CaveatError).details.field).toBe(field);
    }
  });
});

describe('datasetFromTable', () => {
  const header = ['age', 'city', 'dark', 'y', 'yhat'];
  const rows = [
    ['31', 'Graz', '1', 'a', 'a'],
    ['', 'Wien, Innere Stadt', 'no', 'b', 'a'],
    ['47', 'Graz', '', 'a', ''],
    ['52', '', 'yes', 'b', 'b'],
  ];

  it('reads numbers as numeric, the rest as categorical, concepts as flags; drops rows without an output', () => {
    const { dataset, skipped } = datasetFromTable(header, rows, { label: 'y', predicted: 'yhat', concepts: ['dark'] });
    expect(skipped).toBe(1);
    expect(dataset.columns.map((c) => [c.name, c.kind])).toEqual([
      ['age', 'numeric'],
      ['city', 'categorical'],
      ['dark', 'concept'],
    ]);
    expect(Array.from(dataset.columns[0].values as Float64Array)).toEqual([31, NaN, 52]);
    expect(dataset.columns[1].values).toEqual(['Graz', 'Wien, Innere Stadt', null]);
    expect(Array.from(dataset.columns[2].values as Uint8Array)).toEqual([1, 0, 1]);
    expect(dataset.label).toEqual(['a', 'b', 'b']);
  });

  it('keeps numeric-looking columns categorical on request (* = all)', () => {
    const { dataset } = datasetFromTable(header, rows, { label: 'y', predicted: 'yhat', categorical: ['*'] });
    expect(dataset.columns.every((c) => c.kind === 'categorical')).toBe(true);
  });

  it('names an unknown column', () => {
    expect(() => datasetFromTable(header, rows, { label: 'class' })).toThrow("label: no column 'class'");
  });
});

describe('resultTable', () => {
  it('prints the funnel, one row per rule and the sentences', () => {
    const data = plantedSliceData({ items: 5000, seed: 1, attributes: 4, values: 3, baseError: 0.1, slices: [{ when: { a1: 'v1', a2: 'v2' }, errorRate: 0.5 }] });
    const text = resultTable(induceRules(data, { target: 'error', minSupport: 0.02, top: 3, holdout: 0.3 }));
    expect(text).toMatch(/^error: overall rate \d+% /);
    expect(text).toContain('frequent and tested');
    expect(text).toContain('a1 is v1 and a2 is v2');
    expect(text).toContain('1. The model fails when a1 is v1 and a2 is v2:');
    expect(text).toContain('repl.');
  });
});
