import fc from 'fast-check';
import { rankPredictions } from '../cost/ranked-predictions';
import { optimalAurcOf, riskCoverage, selectiveRisk } from './risk-coverage';

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);
const ranked = (c: number[], y: number[]) => rankPredictions(f64(c), u8(y));

describe('risk–coverage and AURC', () => {
  it('hand example: risks 0, 1/2, 1/3, 1/2 → AURC 1/3 (Geifman’s off-by-one code would give 0.2708)', () => {
    // Descending: 0.9 ✓, 0.8 ✗, 0.7 ✓, 0.6 ✗. Optimal order for 2 errors in 4: risks 0, 0, 1/3, 1/2.
    const rc = riskCoverage(ranked([0.7, 0.9, 0.6, 0.8], [1, 1, 0, 0]));
    expect(rc.aurc).toBeCloseTo(1 / 3, 12);
    expect(rc.optimalAurc).toBeCloseTo((1 / 3 + 1 / 2) / 4, 12);
    expect(rc.eAurc).toBeCloseTo(1 / 3 - 5 / 24, 12);
    expect(rc.curve.coverage).toEqual([0.25, 0.5, 0.75, 1]);
    rc.curve.risk.forEach((r, i) => expect(r).toBeCloseTo([0, 1 / 2, 1 / 3, 1 / 2][i], 12));
  });

  it.each([
    // [scenario, c, y, AURC, optimal]
    ['a tie of one right and one wrong item: risk 1/2 at both coverages', [0.8, 0.8], [1, 0], 0.5, 0.25],
    ['the same tie, listed the other way round', [0.8, 0.8], [0, 1], 0.5, 0.25],
    ['all correct', [0.9, 0.2, 1], [1, 1, 1], 0, 0],
    ['all wrong', [0, 0.5, 1], [0, 0, 0], 1, 1],
    ['single correct item', [1], [1], 0, 0],
    ['single wrong item at c = 0', [0], [0], 1, 1],
  ])('%s', (_name, c, y, aurc, optimal) => {
    const rc = riskCoverage(ranked(c, y));
    expect(rc.aurc).toBeCloseTo(aurc, 12);
    expect(rc.optimalAurc).toBeCloseTo(optimal, 12);
    expect(rc.eAurc).toBeCloseTo(aurc - optimal, 12);
  });

  it('optimal AURC: 1 error in 3 items → (1/3)/3', () => {
    expect(optimalAurcOf(3, 1)).toBeCloseTo(1 / 9, 12);
    expect(optimalAurcOf(5, 0)).toBe(0);
  });

  it('downsamples the curve to at most maxPoints, ending at coverage 1', () => {
    const n = 1000;
    const c = Array.from({ length: n }, (_, i) => i / n);
    const y = c.map((_, i) => i % 3 === 0 ? 0 : 1);
    const rc = riskCoverage(ranked(c, y), 200);
    expect(rc.curve.coverage.length).toBe(200);
    expect(rc.curve.coverage[199]).toBe(1);
  });

  it('E-AURC ≥ 0 and AURC does not depend on input order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(0, 0.3, 0.5, 0.9, 1), fc.constantFrom(0, 1)), { minLength: 1, maxLength: 25 }), (rows) => {
        const a = riskCoverage(ranked(rows.map((r) => r[0]), rows.map((r) => r[1])));
        const rev = [...rows].reverse();
        const b = riskCoverage(ranked(rev.map((r) => r[0]), rev.map((r) => r[1])));
        expect(a.eAurc).toBeGreaterThanOrEqual(-1e-12);
        expect(b.aurc).toBeCloseTo(a.aurc, 12);
      }),
    );
  });
});

describe('selective risk at a coverage', () => {
  const r = ranked([0.7, 0.9, 0.6, 0.8], [1, 1, 0, 0]);
  it.each([
    [0.25, 1, 0.9, 0],
    [0.5, 2, 0.8, 0.5],
    [0.6, 3, 0.7, 1 / 3],
    [1, 4, 0.6, 0.5],
  ])('coverage %d keeps %d items down to c = %d with risk %d', (coverage, k, threshold, risk) => {
    expect(selectiveRisk(r, coverage)).toEqual({ coverage, k, threshold, risk: expect.closeTo(risk, 12) });
  });

  it('snaps float noise: 0.3 of 10 items is 3 items, not 4', () => {
    const ten = ranked([...Array(10).keys()].map((i) => i / 10), Array(10).fill(1));
    expect(selectiveRisk(ten, 0.3).k).toBe(3);
  });

  it('shares a tied group pro rata', () => {
    expect(selectiveRisk(ranked([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0]), 0.5).risk).toBeCloseTo(0.75, 12);
  });

  it.each([0, -0.1, 1.1, Number.NaN])('rejects coverage %d', (q) => {
    expect(() => selectiveRisk(r, q)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
