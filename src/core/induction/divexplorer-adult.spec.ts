import { readFileSync } from 'node:fs';
import { describeWithData } from '../../../test/support/shared-data';
import { parseCsv } from '../csv/csv-parser';
import { induceRules } from './induce';
import { datasetFromTable } from './table-dataset';
import type { InducedRule, InductionDataset, InductionParams } from './types';

// DivExplorer (Pastor, de Alfaro, Baralis, SIGMOD 2021) on its own adult random-forest data: the
// published figures are in ../shared/data/README.md (Tables 5 and 6).
describeWithData('DivExplorer reference figures on adult (FPR, support 0.05, no depth limit)', ['adult/adult-rf-discretized.csv'], ([path]) => {
  let dataset: InductionDataset;
  // Everything DivExplorer reports: no significance, direction or productivity filter, every rule.
  const all: InductionParams = { target: 'fpr', positive: '>50K', minSupport: 0.05, maxDepth: 0, maxQ: 1, onlyPositive: false, productive: false, top: 0, sort: 'delta' };

  beforeAll(() => {
    const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
    dataset = datasetFromTable(header, rows, { label: 'class', predicted: 'predicted', categorical: ['*'] }).dataset;
  });

  const itemset = (r: InducedRule) =>
    r.literals
      .map((l) => `${l.attribute}=${l.value}`)
      .sort()
      .join(', ');
  const sorted = (s: string) => s.split(', ').sort().join(', ');
  /** The first rules are the published ones, in order: itemset exactly, support and Δ to 1e-6, t to 1e-3. */
  const expectTopRules = (rules: readonly InducedRule[], expected: ReadonlyArray<readonly [string, number, number, number]>) =>
    expected.forEach(([items, support, delta, t], i) => {
      const rule = rules[i];
      expect(itemset(rule)).toBe(sorted(items));
      expect(Math.abs(rule.stats.support - support)).toBeLessThan(1e-6);
      expect(Math.abs(rule.stats.delta - delta)).toBeLessThan(1e-6);
      expect(Math.abs(rule.stats.t - t)).toBeLessThan(1e-3);
    });

  it('has the published confusion counts: FP 2705 among 34,014 true negatives (FPR 0.079526)', () => {
    const r = induceRules(dataset, { ...all, top: 1 });
    expect(r.data.overall.failures).toBe(2705);
    expect(r.data.overall.denominator).toBe(31309 + 2705);
    expect(r.data.overall.rate).toBeCloseTo(0.079526, 6);
  });

  it('mines exactly 4,534 frequent itemsets', () => {
    const r = induceRules(dataset, { ...all, top: 1 });
    expect(r.search.tested).toBe(4534);
    expect(r.funnel).toMatchObject({ tested: 4534, positive: 4534, significant: 4534, nonRedundant: 4534, productive: 4534 });
  });

  it('ranks the top three by FPR Δ as Table 5, with support and Δ to 1e-6 and t to 1e-3', () => {
    const r = induceRules(dataset, { ...all, top: 3 });
    const expected = [
      ['marital-status=Married, occupation=Professional, race=White, capital-gain=0', 0.050927, 0.469076, 25.79],
      ['marital-status=Married, occupation=Professional, capital-gain=0, capital-loss=0', 0.050307, 0.461636, 26.571],
      ['marital-status=Married, occupation=Professional, race=White, capital-loss=0', 0.055858, 0.457826, 25.322],
    ] as const;
    expectTopRules(r.rules, expected);
  });

  it('keeps 40 itemsets after ε = 0.05 redundancy pruning, the top three as Table 6', () => {
    const r = induceRules(dataset, { ...all, epsilon: 0.05 });
    expect(r.funnel.nonRedundant).toBe(40);
    expect(r.rules).toHaveLength(40);
    const expected = [
      ['marital-status=Married, occupation=Professional', 0.068418, 0.434286, 26.078],
      ['occupation=Professional, relationship=Husband', 0.057759, 0.423071, 23.446],
      ['education=Bachelors, marital-status=Married', 0.086418, 0.412831, 28.992],
    ] as const;
    expectTopRules(r.rules, expected);
  });

  it('FNR: the top Δ is 0.609921 (FNR = 1), shared by a set of itemsets', () => {
    const r = induceRules(dataset, { ...all, target: 'fnr', top: 400 });
    const top = r.rules.filter((x) => Math.abs(x.stats.delta - 0.609921) < 1e-6);
    expect(top.length).toBeGreaterThan(1);
    expect(top.length).toBeLessThan(400); // the whole tied set is inside the 400 returned
    expect(r.rules[0].stats.delta).toBeCloseTo(0.609921, 6);
    for (const x of top) expect(x.stats.rate).toBe(1);
    expect(r.rules[top.length].stats.rate).toBeLessThan(1);
  });

  it('words the Table 6 leader as the README sentence', () => {
    const r = induceRules(dataset, { ...all, epsilon: 0.05, top: 1 });
    expect(r.rules[0].sentence).toBe(
      'The model gives false positives when marital status is Married and occupation is Professional: 51% of its true negatives there are predicted >50K, against 8% overall (×6.5; 3,094 items).',
    );
  });
});
