import { binEdges, binIndex, binText, roundEdge } from './binning';
import { attributeLabel } from './literals';
import { int, pct, ruleSentence } from './sentence';

describe('ruleSentence names the target’s own denominator', () => {
  it.each([
    [
      'error, with the value gain (DESIGN §4)',
      { target: 'error', conditions: ['“dark photo” is present', '“small object” is present'], count: 240, denominator: 240, rate: 0.61, overallRate: 0.12, gainPer1000: 18.2 },
      'The model fails when “dark photo” is present and “small object” is present: 61% of 240 items fail, against 12% overall (×5.1). Rejecting them gains 18 value units per 1,000 predictions.',
    ],
    [
      'fpr: true negatives, predicted positive, item count',
      { target: 'fpr', positive: '>50K', conditions: ['marital status is Married', 'occupation is Professional'], count: 3094, denominator: 2186, rate: 0.5138, overallRate: 0.0795, gainPer1000: null },
      'The model gives false positives when marital status is Married and occupation is Professional: 51% of its true negatives there are predicted >50K, against 8% overall (×6.5; 3,094 items).',
    ],
    [
      'fnr: true positives not predicted positive',
      { target: 'fnr', positive: 'spam', conditions: ['length ≥ 200'], count: 1200, denominator: 300, rate: 0.5, overallRate: 0.2, gainPer1000: null },
      'The model gives false negatives when length ≥ 200: 50% of its true positives there are not predicted spam, against 20% overall (×2.5; 1,200 items).',
    ],
    [
      'accepted-error, losing value',
      { target: 'accepted-error', conditions: ['age in [25, 45)'], count: 1000, denominator: 1000, rate: 0.05, overallRate: 0.02, gainPer1000: -3.25 },
      'The model fails confidently when age in [25, 45): 5% of 1,000 items are accepted and wrong, against 2% overall (×2.5). Rejecting them would lose 3.3 value units per 1,000 predictions.',
    ],
    [
      'loss: mean loss',
      { target: 'loss', conditions: ['colour is red'], count: 80, denominator: 80, rate: 0.823, overallRate: 0.3149, gainPer1000: null },
      "The model's loss is higher when colour is red: a mean loss of 0.823 over 80 items, against 0.315 overall (×2.6).",
    ],
  ] as const)('%s', (_name, input, expected) => {
    expect(ruleSentence(input)).toBe(expected);
  });
});

describe('number formatting', () => {
  it.each([
    [0.0795, '8%'],
    [0.5138, '51%'],
    [0.004, '0.4%'],
    [0.0004, '<0.1%'],
    [0, '0%'],
  ])('pct(%d) = %s', (x, s) => expect(pct(x)).toBe(s));
  it.each([
    [3094, '3,094'],
    [999, '999'],
    [1234567.4, '1,234,567'],
    [-45222, '-45,222'],
  ])('int(%d) = %s', (x, s) => expect(int(x)).toBe(s));
});

describe('readable attributes and bins', () => {
  it('turns dashes into spaces in labels only', () => {
    expect(attributeLabel('marital-status')).toBe('marital status');
    expect(attributeLabel('hours_per_week')).toBe('hours per week');
  });

  it('quantile edges of 1…100 in 4 bins: 26, 51, 76', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(binEdges(xs, 4, 'quantile')).toEqual([26, 51, 76]);
    expect(binEdges(xs, 4, 'equal-width')).toEqual([25.8, 50.5, 75.3]);
  });

  it('drops duplicate edges from ties and edges at the minimum', () => {
    expect(binEdges([0, 0, 0, 0, 0, 0, 1, 2], 4, 'quantile')).toEqual([1]);
    expect(binEdges([5, 5, 5], 3, 'quantile')).toEqual([]);
  });

  it('places values by the rounded edges: [e_j, e_j+1), NaN nowhere', () => {
    const edges = [25, 45];
    expect([10, 25, 44.99, 45, 90, NaN].map((v) => binIndex(v, edges))).toEqual([0, 1, 1, 2, 2, -1]);
  });

  it('writes open and closed bins', () => {
    expect(binText('age', null, 25)).toBe('age < 25');
    expect(binText('age', 25, 45)).toBe('age in [25, 45)');
    expect(binText('age', 45, null)).toBe('age ≥ 45');
    expect(roundEdge(25.000000001)).toBe(25);
    expect(roundEdge(0.123456)).toBe(0.123);
  });
});
