import fc from 'fast-check';
import { seededRng } from '../random/rng';
import { rankPredictions } from './ranked-predictions';
import { expectedValue, realizedValue, valueBaselines, valueGap } from './threshold-value';
import { REJECT_ALL, candidateIndex, empiricalThresholdIndex, empiricalThresholdOfCounts, valueAt, valueCurves } from './value-curves';

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);
const DEFAULTS = { V: 1, D: -1, W: -5 }; // T* = 2/3

// Worked example, by hand. Per accepted item: realized V = 1 or W = −5, expected 6c − 5
// (0.9 → 0.4, 0.8 → −0.2, 0.6 → −1.4, 0.3 → −3.2); per rejected item D = −1.
//   t      accepted  RV total            RV/item   EV total                  EV/item
//   0.3    5         3 − 10      = −7    −1.4      0.4 − 0.4 − 1.4 − 3.2     −0.92
//   0.6    4         3 − 5 − 1   = −3    −0.6      0.4 − 0.4 − 1.4 − 1       −0.48
//   0.8    3         2 − 5 − 2   = −5    −1.0      0.4 − 0.4 − 2             −0.4
//   0.9    1         1 − 4       = −3    −0.6      0.4 − 4                   −0.72
//   reject 0         −5                  −1.0                                −1
// RV ties at 0.6 and 0.9 → Tv = 0.9 (ties go to the higher threshold).
const conf = f64([0.9, 0.8, 0.8, 0.6, 0.3]);
const correct = u8([1, 1, 0, 1, 0]);

describe('rankPredictions', () => {
  it('groups tied confidences, ascending, with their correct counts', () => {
    const r = rankPredictions(conf, correct);
    expect(r.n).toBe(5);
    expect(r.totalCorrect).toBe(3);
    expect([...r.values]).toEqual([0.3, 0.6, 0.8, 0.9]);
    expect([...r.counts]).toEqual([1, 1, 2, 1]);
    expect([...r.correct]).toEqual([0, 1, 1, 1]);
  });

  it('keeps 0 and 1 and folds −0 into 0', () => {
    const r = rankPredictions(f64([1, -0, 0, 1]), u8([1, 0, 1, 1]));
    expect([...r.values]).toEqual([0, 1]);
    expect(Object.is(r.values[0], 0)).toBe(true);
    expect([...r.counts]).toEqual([2, 2]);
    expect([...r.correct]).toEqual([1, 2]);
  });

  it.each([
    ['empty split', [], [], 'unprocessable', 'confidence'],
    ['NaN confidence', [0.5, Number.NaN], [1, 1], 'invalid_input', 'confidence[1]'],
    ['confidence above 1', [1.2], [1], 'invalid_input', 'confidence[0]'],
    ['negative confidence', [-0.1], [0], 'invalid_input', 'confidence[0]'],
    ['correct flag 2', [0.5], [2], 'invalid_input', 'correct[0]'],
    ['length mismatch', [0.5, 0.6], [1], 'invalid_input', 'correct'],
  ])('%s → %s naming %s', (_name, c, y, code, field) => {
    expect(() => rankPredictions(f64(c), u8(y))).toThrow(expect.objectContaining({ code, details: expect.objectContaining({ field }) }));
  });
});

describe('valueCurves over all candidate thresholds', () => {
  it('matches the hand-computed table', () => {
    const curves = valueCurves(conf, correct, DEFAULTS);
    expect([...curves.thresholds]).toEqual([0.3, 0.6, 0.8, 0.9, REJECT_ALL]);
    expect([...curves.accepted]).toEqual([5, 4, 3, 1, 0]);
    [-1.4, -0.6, -1.0, -0.6, -1].forEach((v, j) => expect(curves.rv[j]).toBeCloseTo(v, 12));
    [-0.92, -0.48, -0.4, -0.72, -1].forEach((v, j) => expect(curves.ev[j]).toBeCloseTo(v, 12));
  });

  it('Tv takes the higher of two tied thresholds', () => {
    const curves = valueCurves(conf, correct, DEFAULTS);
    expect(curves.thresholds[empiricalThresholdIndex(curves, DEFAULTS)]).toBe(0.9);
  });

  it('reads an arbitrary t off the smallest candidate ≥ t', () => {
    const curves = valueCurves(conf, correct, DEFAULTS);
    expect(candidateIndex(curves, 2 / 3)).toBe(2);
    expect(valueAt(curves, 2 / 3)).toEqual({ threshold: 2 / 3, accepted: 3, coverage: 0.6, ev: expect.closeTo(-0.4, 12), rv: expect.closeTo(-1, 12), gap: expect.closeTo(0.6, 12) });
    expect(valueAt(curves, 0).accepted).toBe(5);
    expect(valueAt(curves, 0.95).accepted).toBe(0);
    expect(valueAt(curves, 2).accepted).toBe(0);
  });

  it.each([
    // [scenario, confidences, correct, policy, thresholds, rv per candidate, Tv]
    ['single correct item at c = 1: accepted at t = 1', [1], [1], DEFAULTS, [1, REJECT_ALL], [1, -1], 1],
    ['single wrong item at c = 0: reject all', [0], [0], DEFAULTS, [0, REJECT_ALL], [-5, -1], REJECT_ALL],
    ['all wrong: reject all', [0.2, 0.7], [0, 0], DEFAULTS, [0.2, 0.7, REJECT_ALL], [-5, -3, -1], REJECT_ALL],
    ['all correct: accept all', [0.5, 0.5, 1], [1, 1, 1], DEFAULTS, [0.5, 1, REJECT_ALL], [1, -1 / 3, -1], 0.5],
    ['D = V: every candidate ties, Tv = reject all', [1, 0.9], [1, 1], { V: 1, D: 1, W: -5 }, [0.9, 1, REJECT_ALL], [1, 1, 1], REJECT_ALL],
    ['free default path (D = 0, W = −1)', [0.9, 0.6, 0.4], [1, 0, 1], { V: 1, D: 0, W: -1 }, [0.4, 0.6, 0.9, REJECT_ALL], [1 / 3, 0, 1 / 3, 0], 0.9],
  ])('%s', (_name, c, y, policy, thresholds, rv, tv) => {
    const curves = valueCurves(f64(c), u8(y), policy);
    expect([...curves.thresholds]).toEqual(thresholds);
    rv.forEach((v, j) => expect(curves.rv[j]).toBeCloseTo(v, 12));
    expect(curves.thresholds[empiricalThresholdIndex(curves, policy)]).toBe(tv);
  });
});

describe('direct EV, RV and gap at one threshold', () => {
  it.each([
    [0.3, -0.92, -1.4],
    [0.6, -0.48, -0.6],
    [2 / 3, -0.4, -1.0],
    [0.9, -0.72, -0.6],
    [1, -1, -1],
  ])('t = %d: EV %d, RV %d', (t, ev, rv) => {
    expect(expectedValue(conf, DEFAULTS, t)).toBeCloseTo(ev, 12);
    expect(realizedValue(conf, correct, DEFAULTS, t)).toBeCloseTo(rv, 12);
    expect(valueGap(conf, correct, DEFAULTS, t)).toBeCloseTo(ev - rv, 12);
  });

  it('refuses an empty split with unprocessable', () => {
    expect(() => realizedValue(f64([]), u8([]), DEFAULTS, 0.5)).toThrow(expect.objectContaining({ code: 'unprocessable' }));
    expect(() => expectedValue(f64([]), DEFAULTS, 0.5)).toThrow(expect.objectContaining({ code: 'unprocessable' }));
  });
});

describe('valueBaselines', () => {
  it('no model = D, accept all, and the oracle ceiling', () => {
    // 3 correct of 5, Σc = 3.4: accept-all EV = (5·(−5) + 6·3.4)/5 = −0.92; oracle = (3·1 + 2·(−1))/5 = 0.2.
    const b = valueBaselines(5, 3, 3.4, DEFAULTS);
    expect(b.noModel).toBe(-1);
    expect(b.acceptAll.ev).toBeCloseTo(-0.92, 12);
    expect(b.acceptAll.rv).toBeCloseTo(-1.4, 12);
    expect(b.oracle).toBeCloseTo(0.2, 12);
  });
});

// Small predictions with many ties, 0 and 1 included, and a policy with W ≤ D ≤ V not required.
const predictions = fc
  .array(fc.tuple(fc.constantFrom(0, 0.1, 0.25, 0.5, 0.6, 2 / 3, 0.8, 0.95, 1), fc.constantFrom(0, 1)), { minLength: 1, maxLength: 30 })
  .map((rows) => ({ c: f64(rows.map((r) => r[0])), y: u8(rows.map((r) => r[1])) }));
// Costs in cents (exact ties are common) or any double, but never subnormal: a cost of 1e-320
// has no meaning and no precision left for comparing values.
const cost = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min: min * 100, max: max * 100 }).map((x) => x / 100),
    fc.double({ min, max, noNaN: true }).filter((x) => x === 0 || Math.abs(x) > 1e-9),
  );
const policies = fc.record({ V: cost(-3, 5), D: cost(-5, 3), W: cost(-20, 1) });

describe('properties', () => {
  it('RV(Tv) ≥ RV(t) for every candidate and any t, against an O(n²) brute force', () => {
    fc.assert(
      fc.property(predictions, policies, fc.double({ min: 0, max: 1, noNaN: true }), ({ c, y }, policy, anyT) => {
        const curves = valueCurves(c, y, policy);
        const iv = empiricalThresholdIndex(curves, policy);
        const tv = curves.thresholds[iv];
        const rvTv = realizedValue(c, y, policy, tv);
        for (let j = 0; j < curves.thresholds.length; j++) {
          const brute = realizedValue(c, y, policy, curves.thresholds[j]);
          expect(curves.rv[j]).toBeCloseTo(brute, 9);
          expect(curves.ev[j]).toBeCloseTo(expectedValue(c, policy, curves.thresholds[j]), 9);
          expect(rvTv).toBeGreaterThanOrEqual(brute - 1e-9);
          // Ties go up: no higher candidate reaches the maximum.
          if (j > iv) expect(curves.rv[j]).toBeLessThan(curves.rv[iv]);
        }
        expect(rvTv).toBeGreaterThanOrEqual(realizedValue(c, y, policy, anyT) - 1e-9);
      }),
    );
  });

  it('the count-based Tv (bootstrap inner loop) agrees with the curves', () => {
    fc.assert(
      fc.property(predictions, policies, ({ c, y }, policy) => {
        const r = rankPredictions(c, y);
        const curves = valueCurves(c, y, policy);
        const iv = empiricalThresholdIndex(curves, policy);
        const best = empiricalThresholdOfCounts(r.values, r.counts, r.correct, r.n, policy);
        expect(best.threshold).toBe(curves.thresholds[iv]);
        expect(best.rv).toBeCloseTo(curves.rv[iv], 12);
      }),
    );
  });

  it('EV(t) ≈ RV(t) when labels are drawn from the confidences (within 5 standard deviations)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), policies, fc.double({ min: 0, max: 1, noNaN: true }), (seed, policy, t) => {
        const rng = seededRng(seed);
        const n = 4000;
        const c = new Float64Array(n);
        const y = new Uint8Array(n);
        let variance = 0;
        for (let i = 0; i < n; i++) {
          c[i] = rng.next();
          y[i] = rng.next() < c[i] ? 1 : 0;
          // Var of an accepted item's realized value is c(1 − c)(V − W)².
          if (c[i] >= t) variance += c[i] * (1 - c[i]) * (policy.V - policy.W) ** 2;
        }
        const sd = Math.sqrt(variance) / n;
        expect(Math.abs(expectedValue(c, policy, t) - realizedValue(c, y, policy, t))).toBeLessThanOrEqual(5 * sd + 1e-12);
      }),
      { numRuns: 40 },
    );
  });
});
