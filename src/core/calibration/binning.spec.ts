import { seededRng } from '../random/rng';
import { rankPredictions } from '../cost/ranked-predictions';
import { equalWidthBin, reliabilityEqualMass, reliabilityEqualWidth } from './binning';
import { eceEqualMass, eceEqualWidth, mceEqualMass, mceEqualWidth } from './ece';

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

describe('equalWidthBin: bins (b/B, (b+1)/B], c = 0 in the first', () => {
  it.each([
    [0, 15, 0],
    [1, 15, 14],
    [1 / 15, 15, 0],
    [0.1, 10, 0],
    [0.1000001, 10, 1],
    [0.7, 10, 6], // 0.7·10 = 7.000000000000001 in floating point; still in (0.6, 0.7]
    [0.3, 10, 2],
    [0.5, 2, 0],
    [0.50001, 2, 1],
    [0.99, 1, 0],
  ])('c = %d with %d bins → bin %d', (c, bins, expected) => {
    expect(equalWidthBin(c, bins)).toBe(expected);
  });
});

// Hand example, 5 equal-width bins:
//   (0, .2]   0.1          acc 0    conf 0.1     |gap| 0.1
//   (.2, .4]  0.3, 0.35    acc 0.5  conf 0.325   |gap| 0.175
//   (.4, .6]  —
//   (.6, .8]  0.8          acc 1    conf 0.8     |gap| 0.2
//   (.8, 1]   0.9, 1.0     acc 1    conf 0.95    |gap| 0.05
// ECE = (0.1 + 2·0.175 + 0.2 + 2·0.05)/6 = 0.125; MCE = 0.2.
// 3 equal-mass bins of 2: {0.1, 0.3} acc .5 conf .2 → .3; {0.35, 0.8} acc .5 conf .575 → .075;
// {0.9, 1} acc 1 conf .95 → .05. ECE = 2·(.3 + .075 + .05)/6 = 0.141666…; MCE = 0.3.
const conf = f64([0.35, 0.1, 1.0, 0.8, 0.3, 0.9]);
const correct = u8([0, 0, 1, 1, 1, 1]);

describe('reliability and ECE/MCE, hand-computed', () => {
  it('equal-width reliability lists all bins, empty ones with null means', () => {
    const bins = reliabilityEqualWidth(conf, correct, 5);
    expect(bins.map((b) => b.count)).toEqual([1, 2, 0, 1, 2]);
    expect(bins[1]).toEqual({ lo: 0.2, hi: 0.4, count: 2, meanConfidence: expect.closeTo(0.325, 12), accuracy: 0.5 });
    expect(bins[2]).toEqual({ lo: 0.4, hi: 0.6, count: 0, meanConfidence: null, accuracy: null });
  });

  it('equal-width ECE and MCE', () => {
    expect(eceEqualWidth(conf, correct, 5)).toBeCloseTo(0.125, 12);
    expect(mceEqualWidth(conf, correct, 5)).toBeCloseTo(0.2, 12);
  });

  it('equal-mass ECE and MCE', () => {
    expect(eceEqualMass(conf, correct, 3)).toBeCloseTo(0.85 / 6, 12);
    expect(mceEqualMass(conf, correct, 3)).toBeCloseTo(0.3, 12);
    const bins = reliabilityEqualMass(rankPredictions(conf, correct), 3);
    expect(bins.map((b) => [b.lo, b.hi, b.count])).toEqual([
      [0.1, 0.3],
      [0.35, 0.8],
      [0.9, 1],
    ].map(([lo, hi]) => [lo, hi, 2]));
  });

  it('equal-mass bins follow numpy.array_split sizes (larger first) and skip empty bins', () => {
    const seven = rankPredictions(f64([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]), u8([1, 1, 1, 1, 1, 1, 1]));
    expect(reliabilityEqualMass(seven, 3).map((b) => [b.lo, b.hi, b.count])).toEqual([
      [0.1, 0.3, 3],
      [0.4, 0.5, 2],
      [0.6, 0.7, 2],
    ]);
    expect(reliabilityEqualMass(rankPredictions(f64([0.2, 0.9]), u8([0, 1])), 5).map((b) => b.count)).toEqual([1, 1]);
  });

  it('equal-mass bins share a tied group pro rata, whatever the order of tied items', () => {
    for (const y of [[1, 1, 0, 0], [0, 1, 0, 1], [0, 0, 1, 1]]) {
      const bins = reliabilityEqualMass(rankPredictions(f64([0.5, 0.5, 0.5, 0.5]), u8(y)), 2);
      expect(bins.map((b) => b.accuracy)).toEqual([0.5, 0.5]);
      expect(eceEqualMass(f64([0.5, 0.5, 0.5, 0.5]), u8(y), 2)).toBe(0);
    }
  });

  it.each([
    ['all correct at c = 1', [1, 1, 1], [1, 1, 1], 0],
    ['all wrong at c = 0', [0, 0], [0, 0], 0],
    ['all wrong at c = 1', [1, 1], [0, 0], 1],
    ['single item', [0.75], [1], 0.25],
  ])('%s: both ECEs = %d', (_name, c, y, ece) => {
    expect(eceEqualWidth(f64(c), u8(y))).toBeCloseTo(ece, 12);
    expect(eceEqualMass(f64(c), u8(y))).toBeCloseTo(ece, 12);
  });

  it('refuses an empty split and a bad bin count', () => {
    expect(() => eceEqualWidth(f64([]), u8([]))).toThrow(expect.objectContaining({ code: 'unprocessable' }));
    expect(() => eceEqualMass(f64([]), u8([]))).toThrow(expect.objectContaining({ code: 'unprocessable' }));
    expect(() => eceEqualWidth(conf, correct, 0)).toThrow(expect.objectContaining({ code: 'invalid_input', details: { field: 'bins' } }));
  });
});

describe('ECE in the large-n limit', () => {
  const n = 200_000;
  const rng = seededRng(42);
  const c = new Float64Array(n);
  const calibrated = new Uint8Array(n);
  const overconfident = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    c[i] = 0.5 + rng.next() / 2;
    const u = rng.next();
    calibrated[i] = u < c[i] ? 1 : 0;
    overconfident[i] = u < c[i] * c[i] ? 1 : 0;
  }

  it('is ~0 for a perfectly calibrated model (labels drawn from the confidences)', () => {
    expect(eceEqualWidth(c, calibrated)).toBeLessThan(0.005);
    expect(eceEqualMass(c, calibrated)).toBeLessThan(0.005);
  });

  it('finds the miscalibration of an overconfident model: E[c − c²] = 1/6 over U(0.5, 1)', () => {
    // ∫_{.5}^{1} (c − c²)·2 dc = 2·(3/8 − 7/24) = 1/6.
    expect(eceEqualWidth(c, overconfident)).toBeCloseTo(1 / 6, 2);
    expect(eceEqualMass(c, overconfident)).toBeCloseTo(1 / 6, 2);
  });
});
