import fc from 'fast-check';
import { acceptValue, chowAccept, chowDecisions, classCostMatrix } from './chow-rule';
import { optimalThreshold, resolveCostPolicy } from './cost-policy';

describe("Chow's rule with a confusion-cost matrix", () => {
  // V = 1, D = −1, W = −5; class b is worth 3 when right; a true a predicted as b costs −10.
  const policy = resolveCostPolicy({ classValues: { b: 3 }, confusionValues: { a: { b: -10 } } }, ['a', 'b', 'c']);
  const m = classCostMatrix(policy, ['a', 'b', 'c']);

  it('fills V[ŷ] on the diagonal and W[y][ŷ] off it, falling back to the policy', () => {
    // rows: true class a, b, c; columns: predicted a, b, c
    expect([...m.accept]).toEqual([1, -10, -5, -5, 3, -5, -5, -5, 1]);
  });

  it.each([
    // [scenario, p, predicted, value, accept]
    ['b with a class value and a costly confusion: 0.7·3 + 0.2·(−10) + 0.1·(−5) = −0.4 ≥ −1', [0.2, 0.7, 0.1], 1, -0.4, true],
    ['a, unlikely: 0.2·1 + 0.7·(−5) + 0.1·(−5) = −3.8 < −1', [0.2, 0.7, 0.1], 0, -3.8, false],
    ['c, certain: 1·1 = 1', [0, 0, 1], 2, 1, true],
  ])('%s', (_name, p, predicted, value, accept) => {
    expect(acceptValue(p, predicted, m)).toBeCloseTo(value, 12);
    expect(chowAccept(p, predicted, m)).toBe(accept);
  });

  it('accepts exactly at D (≥): V = 1, W = −3, p = ½ gives ½ − 3/2 = −1 = D', () => {
    const even = classCostMatrix({ V: 1, D: -1, W: -3 }, ['x', 'y']);
    expect(acceptValue([0.5, 0.5], 0, even)).toBe(-1);
    expect(chowAccept([0.5, 0.5], 0, even)).toBe(true);
    expect(chowAccept([0.5, 0.5], 0, { ...even, D: -0.999 })).toBe(false);
  });

  it('decides a batch from an n×k matrix', () => {
    const probs = Float64Array.from([0.2, 0.7, 0.1, 0.2, 0.7, 0.1, 0, 0, 1]);
    expect([...chowDecisions(probs, Uint32Array.from([1, 0, 2]), m)]).toEqual([1, 0, 1]);
    expect(() => chowDecisions(probs, Uint32Array.from([1, 0]), m)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('with scalar costs and two classes reduces to c ≥ T*', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 2, max: 20 }), (c, K) => {
        const scalar = classCostMatrix({ V: 1, D: -1, W: -K }, ['x', 'y']);
        const t = optimalThreshold(1, -1, -K);
        // Away from the boundary, where float rounding could flip either side.
        if (Math.abs(c - t) > 1e-9) expect(chowAccept([c, 1 - c], 0, scalar)).toBe(c >= t);
      }),
    );
  });
});
