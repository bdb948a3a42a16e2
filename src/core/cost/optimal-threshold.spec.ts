import fc from 'fast-check';
import { optimalThreshold, policyThreshold, resolveCostPolicy } from './cost-policy';

describe('optimalThreshold T* = (D − W)/(V − W), clipped', () => {
  it.each([
    // [case, V, D, W, T*]
    ['defaults, K = 5: (K−1)/(K+1)', 1, -1, -5, 4 / 6],
    ['K = 1: symmetric costs give 0 (reject-all value equals a wrong answer)', 1, -1, -1, 0],
    ['K = 9', 1, -1, -9, 0.8],
    ['free default path, wrong costs 1', 1, 0, -1, 0.5],
    ['asymmetric: V = 2, D = 0, W = −8', 2, 0, -8, 0.8],
    ['asymmetric: V = 10, D = 1, W = −2', 10, 1, -2, 0.25],
    ['D ≥ V: reject all', 1, 1, -5, 1],
    ['D > V: reject all', 1, 3, -5, 1],
    ['D ≤ W: accept all', 1, -5, -5, 0],
    ['D < W: accept all', 1, -10, -2, 0],
  ])('%s', (_name, V, D, W, expected) => {
    expect(optimalThreshold(V, D, W)).toBeCloseTo(expected, 12);
  });

  it('always lies in [0, 1] and makes accepting at T* worth exactly D inside the range', () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), (V, D, W) => {
        const t = optimalThreshold(V, D, W);
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThanOrEqual(1);
        if (W < D && D < V) expect(t * V + (1 - t) * W).toBeCloseTo(D, 6);
      }),
    );
  });
});

describe('resolveCostPolicy', () => {
  it('applies the DESIGN defaults V = 1, D = −1, K = 5', () => {
    expect(resolveCostPolicy(undefined, ['a', 'b'])).toEqual({ V: 1, D: -1, W: -5 });
  });
  it('turns K into W = −K', () => {
    expect(resolveCostPolicy({ K: 9 }, ['a'])).toEqual({ V: 1, D: -1, W: -9 });
  });
  it.each([
    [{ W: -2, K: 3 }, 'costPolicy.K'],
    [{ V: Number.NaN }, 'costPolicy.V'],
    [{ classValues: { c: 1 } }, 'costPolicy.classValues.c'],
    [{ confusionValues: { a: { a: -1 } } }, 'costPolicy.confusionValues.a.a'],
    [{ confusionValues: { a: { z: -1 } } }, 'costPolicy.confusionValues.a.z'],
    [{ k: 9 }, 'costPolicy.k'],
    [[1, 2], 'costPolicy'],
  ])('rejects %j naming %s', (input, field) => {
    expect(() => resolveCostPolicy(input as never, ['a', 'b'])).toThrow(expect.objectContaining({ code: 'invalid_input', details: expect.objectContaining({ field }) }));
  });
  it('uses a class value for that class threshold', () => {
    const p = resolveCostPolicy({ classValues: { b: 3 } }, ['a', 'b']);
    expect(policyThreshold(p, 'a')).toBeCloseTo(4 / 6, 12);
    expect(policyThreshold(p, 'b')).toBeCloseTo(0.5, 12); // (−1 + 5)/(3 + 5)
  });
});
