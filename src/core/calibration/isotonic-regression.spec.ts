import fc from 'fast-check';
import { applyIsotonic, fitIsotonic, isotonicRegression, poolAdjacentViolators } from './isotonic-regression';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('pool-adjacent-violators, by hand', () => {
  it('pools the first two points of y = 1, 0, 1, 1 into 0.5', () => {
    const fit = isotonicRegression(f64([1, 2, 3, 4]), f64([1, 0, 1, 1]));
    expect(fit).toEqual({ x: [1, 2, 3, 4], y: [0.5, 0.5, 1, 1], interpolation: 'linear' });
  });

  it.each([
    // [c, linear, step]
    [0, 0.5, 0.5], // below the first knot: clipped
    [2, 0.5, 0.5],
    [2.5, 0.75, 0.5], // between blocks
    [3, 1, 1],
    [9, 1, 1], // above the last knot: clipped
  ])('applies at %d: linear %d, step %d', (c, linear, step) => {
    const fit = isotonicRegression(f64([1, 2, 3, 4]), f64([1, 0, 1, 1]));
    expect(applyIsotonic(fit, c)).toBeCloseTo(linear, 12);
    expect(applyIsotonic({ ...fit, interpolation: 'step' }, c)).toBeCloseTo(step, 12);
  });

  it('pools tied x first: (1, 1), (1, 0), (2, 0) → one block of 1/3', () => {
    const fit = isotonicRegression(f64([1, 2, 1]), f64([1, 0, 0]));
    expect(fit.x).toEqual([1, 2]);
    fit.y.forEach((v) => expect(v).toBeCloseTo(1 / 3, 12));
  });

  it('respects weights: (0, 1) with weight 3 and (1, 0) with weight 1 → 0.75', () => {
    expect(poolAdjacentViolators([0, 1], [1, 0], [3, 1]).y).toEqual([0.75, 0.75]);
  });

  it('fits confidences to correctness with tied confidences pooled, c = 0 and 1 included', () => {
    // groups: 0 → 0/1, 0.5 → 1/2, 1 → 0/1 ⇒ PAV pools 0.5 and 1: (1 + 0)/3 = 1/3.
    const fit = fitIsotonic(f64([0.5, 1, 0, 0.5]), Uint8Array.from([1, 0, 0, 0]));
    expect(fit.x).toEqual([0, 0.5, 1]);
    expect(fit.y[0]).toBe(0);
    expect(fit.y[1]).toBeCloseTo(1 / 3, 12);
    expect(fit.y[2]).toBeCloseTo(1 / 3, 12);
  });

  it('refuses an empty split', () => {
    expect(() => fitIsotonic(f64([]), new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'unprocessable' }));
  });
});

/** Best non-decreasing fit by exhaustive search over the values an optimum can take: the weighted means of contiguous runs. */
function bruteForceSse(y: number[], w: number[]): number {
  const m = y.length;
  const candidates = new Set<number>();
  for (let i = 0; i < m; i++) {
    let sw = 0;
    let swy = 0;
    for (let j = i; j < m; j++) {
      sw += w[j];
      swy += w[j] * y[j];
      candidates.add(swy / sw);
    }
  }
  const values = [...candidates].sort((a, b) => a - b);
  let best = Infinity;
  const walk = (i: number, from: number, sse: number): void => {
    if (sse >= best) return;
    if (i === m) {
      best = sse;
      return;
    }
    for (let v = from; v < values.length; v++) walk(i + 1, v, sse + w[i] * (y[i] - values[v]) ** 2);
  };
  walk(0, 0, 0);
  return best;
}

describe('isotonic properties', () => {
  const points = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom(0, 0.25, 0.5, 1), fc.constantFrom(1, 2)), { minLength: 1, maxLength: 7 });

  it('is monotone and no worse than any monotone fit found by brute force', () => {
    fc.assert(
      fc.property(points, (rows) => {
        const x = f64(rows.map((r) => r[0]));
        const y = f64(rows.map((r) => r[1]));
        const w = f64(rows.map((r) => r[2]));
        const fit = isotonicRegression(x, y, w);
        for (let i = 1; i < fit.y.length; i++) expect(fit.y[i]).toBeGreaterThanOrEqual(fit.y[i - 1]);
        let sse = 0;
        for (let i = 0; i < x.length; i++) sse += w[i] * (y[i] - applyIsotonic(fit, x[i])) ** 2;
        // Brute force on the pooled points: ties in x must share a value, so pool them the same way.
        const byX = new Map<number, { sw: number; swy: number; swyy: number }>();
        for (let i = 0; i < x.length; i++) {
          const e = byX.get(x[i]) ?? { sw: 0, swy: 0, swyy: 0 };
          e.sw += w[i];
          e.swy += w[i] * y[i];
          e.swyy += w[i] * y[i] * y[i];
          byX.set(x[i], e);
        }
        const pooled = [...byX.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
        const within = pooled.reduce((s, e) => s + e.swyy - (e.swy * e.swy) / e.sw, 0);
        const brute = within + bruteForceSse(pooled.map((e) => e.swy / e.sw), pooled.map((e) => e.sw));
        expect(sse).toBeLessThanOrEqual(brute + 1e-9);
      }),
    );
  });

  it('leaves already monotone data unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }), (ys) => {
        const y = [...ys].sort((a, b) => a - b);
        const x = y.map((_, i) => i);
        const fit = isotonicRegression(f64(x), f64(y));
        x.forEach((xi, i) => expect(applyIsotonic(fit, xi)).toBeCloseTo(y[i], 12));
      }),
    );
  });
});
