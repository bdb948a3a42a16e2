import { rankPredictions } from './ranked-predictions';
import { bootstrapReplicates, bootstrapThreshold, bootstrapWindow, quantile } from './threshold-bootstrap';
import { poissonSampler } from './poisson-sampler';
import { empiricalThresholdOfCounts } from './value-curves';
import { downsampleIndices } from './curve-downsample';
import { thresholdReport } from './threshold-report';
import { REJECT_ALL } from './value-curves';
import { seededRng } from '../random/rng';

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);
const DEFAULTS = { V: 1, D: -1, W: -5 };

describe('thresholdReport on the worked example of value-curves.spec.ts', () => {
  const conf = f64([0.9, 0.8, 0.8, 0.6, 0.3]);
  const correct = u8([1, 1, 0, 1, 0]);
  const report = thresholdReport(conf, correct, DEFAULTS, { replicates: 0 });

  it('gives T*, Tv, the value at both and the gap', () => {
    expect(report.tStar).toBeCloseTo(2 / 3, 12);
    expect(report.tv).toBe(0.9);
    expect(report.distance).toBeCloseTo(0.9 - 2 / 3, 12);
    expect(report.atTStar).toEqual({ threshold: report.tStar, accepted: 3, coverage: 0.6, ev: expect.closeTo(-0.4, 12), rv: expect.closeTo(-1, 12), gap: expect.closeTo(0.6, 12) });
    expect(report.atTv).toEqual({ threshold: 0.9, accepted: 1, coverage: 0.2, ev: expect.closeTo(-0.72, 12), rv: expect.closeTo(-0.6, 12), gap: expect.closeTo(-0.12, 12) });
  });

  it('gives the baselines and every curve point when there are few', () => {
    expect(report.baselines).toEqual({ noModel: -1, acceptAll: { ev: expect.closeTo(-0.92, 12), rv: expect.closeTo(-1.4, 12) }, oracle: expect.closeTo(0.2, 12) });
    expect(report.curves.threshold).toEqual([0.3, 0.6, 0.8, 0.9, REJECT_ALL]);
    expect(report.curves.accepted).toEqual([5, 4, 3, 1, 0]);
    expect(report.bootstrap).toBeNull();
  });

  it('is plain JSON: it survives a round trip unchanged (no NaN, no Infinity)', () => {
    const full = thresholdReport(conf, correct, DEFAULTS, { replicates: 20 });
    expect(JSON.parse(JSON.stringify(full))).toEqual(full);
  });

  it('refuses an empty split with unprocessable and a non-finite cost with invalid_input', () => {
    expect(() => thresholdReport(f64([]), u8([]), DEFAULTS)).toThrow(expect.objectContaining({ code: 'unprocessable' }));
    expect(() => thresholdReport(conf, correct, { ...DEFAULTS, W: Number.NaN })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('bootstrapThreshold', () => {
  const rng = seededRng(7);
  const n = 2000;
  const c = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    c[i] = Math.round(rng.next() * 100) / 100;
    y[i] = rng.next() < c[i] ? 1 : 0;
  }
  const r = rankPredictions(c, y);

  it('is reproducible for a seed and moves with another seed', () => {
    const a = bootstrapThreshold(r, DEFAULTS, { replicates: 50, seed: 3 });
    expect(bootstrapThreshold(r, DEFAULTS, { replicates: 50, seed: 3 })).toEqual(a);
    expect(bootstrapThreshold(r, DEFAULTS, { replicates: 50, seed: 4 })).not.toEqual(a);
    expect(a.tv.lo).toBeLessThanOrEqual(a.tv.hi);
    expect(a.rv.lo).toBeLessThanOrEqual(a.rv.hi);
  });

  it('brackets the Tv of well-calibrated data near T* = 2/3', () => {
    const b = bootstrapThreshold(r, DEFAULTS, { replicates: 100, seed: 1 });
    expect(b.tv.lo).toBeGreaterThan(0.4);
    expect(b.tv.hi).toBeLessThan(0.9);
  });

  it.each([
    ['W = −5: the window stops below Tv and includes reject all', DEFAULTS],
    ['W = −1.5: the window stops above Tv', { V: 1, D: -1, W: -1.5 }],
  ])('each replicate is the Tv of its Poisson weights, %s (reference: same draws, then empiricalThresholdOfCounts)', (_name, policy) => {
    // Ties of up to 40 items exercise both the table draws (means < 10) and PTRS (means ≥ 10).
    const c = Float64Array.from({ length: 600 }, (_, i) => Math.round((((i * 7919) % 600) / 600) * 15) / 15);
    const y = Uint8Array.from(c, (v, i) => (((i * 31) % 100) / 100 < v ? 1 : 0));
    const ranked = rankPredictions(c, y);
    const replicates = bootstrapReplicates(ranked, policy, 25, 5);
    const m = ranked.values.length;
    const { lo, hi } = bootstrapWindow(ranked, policy, 25);
    expect(lo > 0 || hi < m).toBe(true);
    const top = Math.min(hi, m - 1);
    const sum = (a: Uint32Array, from: number, to: number) => a.subarray(from, to).reduce((x, v) => x + v, 0);
    const poisson = poissonSampler(seededRng(5));
    for (let b = 0; b < 25; b++) {
      // Same draws in the same order: above the window (correct, wrong), the window top down, below.
      // The items above become one pseudo-group at the next confidence, so the reference also
      // weighs the candidates the window leaves out; it agrees only if none of them wins.
      const values = Array.from(ranked.values.subarray(lo, top + 1));
      const counts = new Uint32Array(values.length + 1);
      const good = new Uint32Array(values.length + 1);
      good[values.length] = poisson(sum(ranked.correct, top + 1, m));
      counts[values.length] = good[values.length] + poisson(sum(ranked.counts, top + 1, m) - sum(ranked.correct, top + 1, m));
      for (let g = top; g >= lo; g--) {
        good[g - lo] = poisson(ranked.correct[g]);
        counts[g - lo] = good[g - lo] + poisson(ranked.counts[g] - ranked.correct[g]);
      }
      const size = counts.reduce((x, v) => x + v, 0) + poisson(sum(ranked.counts, 0, lo));
      values.push(top + 1 < m ? ranked.values[top + 1] : 2);
      const expected = empiricalThresholdOfCounts(Float64Array.from(values), counts, good, size, policy);
      expect(replicates.tv[b]).toBe(expected.threshold);
      expect(replicates.rv[b]).toBeCloseTo(expected.rv, 12);
    }
  });

  it('the window holds every Tv of a full, unrestricted bootstrap', () => {
    const big = rankPredictions(c, y); // 2,000 items, 101 distinct confidences
    const { lo, hi } = bootstrapWindow(big, DEFAULTS, 200);
    const m = big.values.length;
    expect(hi - lo).toBeLessThan(m); // it does leave candidates out
    const poisson = poissonSampler(seededRng(8));
    for (let b = 0; b < 200; b++) {
      const counts = new Uint32Array(m);
      const good = new Uint32Array(m);
      let size = 0;
      for (let g = 0; g < m; g++) {
        good[g] = poisson(big.correct[g]);
        counts[g] = good[g] + poisson(big.counts[g] - big.correct[g]);
        size += counts[g];
      }
      const t = empiricalThresholdOfCounts(big.values, counts, good, size, DEFAULTS).threshold;
      expect(t).toBeGreaterThanOrEqual(big.values[lo]);
      if (hi < m) expect(t).toBeLessThanOrEqual(big.values[hi]);
    }
  });

  it('collapses to a point when every resample has the same Tv', () => {
    // One confidence, all correct: every resample accepts everything at 0.7 with RV = 1.
    const b = bootstrapThreshold(rankPredictions(f64([0.7, 0.7, 0.7]), u8([1, 1, 1])), DEFAULTS, { replicates: 30 });
    expect(b.tv).toEqual({ lo: 0.7, hi: 0.7 });
    expect(b.rv).toEqual({ lo: 1, hi: 1 });
  });

  it.each([
    [{ replicates: 0 }, 'bootstrap'],
    [{ replicates: 2.5 }, 'bootstrap'],
    [{ level: 1 }, 'level'],
  ])('rejects %j naming %s', (options, field) => {
    expect(() => bootstrapThreshold(r, DEFAULTS, options)).toThrow(expect.objectContaining({ code: 'invalid_input', details: expect.objectContaining({ field }) }));
  });
});

describe('quantile (type 7)', () => {
  it.each([
    [0, 1],
    [0.5, 2.5],
    [0.25, 1.75],
    [1, 4],
  ])('q = %d of [1, 2, 3, 4] is %d', (q, expected) => {
    expect(quantile(f64([1, 2, 3, 4]), q)).toBeCloseTo(expected, 12);
  });
});

describe('downsampleIndices', () => {
  it('keeps every index of a short curve', () => {
    expect(downsampleIndices(5, [2], 200)).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps first, last and marked points within the budget, ascending and unique', () => {
    const idx = downsampleIndices(1000, [3, 997, 500], 10);
    expect(idx.length).toBeLessThanOrEqual(10);
    expect(idx).toEqual(expect.arrayContaining([0, 3, 500, 997, 999]));
    expect(idx).toEqual([...new Set(idx)].sort((a, b) => a - b));
  });

  it('never exceeds 200 points on a long curve', () => {
    const idx = downsampleIndices(1_000_001, [123_456, 999_999], 200);
    expect(idx.length).toBeLessThanOrEqual(200);
    expect(idx.length).toBeGreaterThan(190);
    expect(idx).toEqual(expect.arrayContaining([0, 123_456, 999_999, 1_000_000]));
  });

  it('refuses a budget that cannot hold the marked points', () => {
    expect(() => downsampleIndices(100, [10, 20, 30], 3)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
