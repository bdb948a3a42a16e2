import { seededRng } from '../random/rng';
import { logGamma, poissonSampler } from './poisson-sampler';

describe('poissonSampler', () => {
  it.each([0.5, 1, 3, 9, 10, 12.5, 100, 5000])('λ = %d: mean and variance within 5 standard errors of λ', (lambda) => {
    const draw = poissonSampler(seededRng(17));
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let allNatural = true;
    for (let i = 0; i < n; i++) {
      const x = draw(lambda);
      allNatural &&= Number.isInteger(x) && x >= 0;
      sum += x;
      sumSq += x * x;
    }
    expect(allNatural).toBe(true);
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
    // Var of the sample variance ≈ (μ4 − σ⁴)/n = (λ + 2λ²)/n for a Poisson.
    expect(Math.abs(variance - lambda)).toBeLessThan(5 * Math.sqrt((lambda + 2 * lambda * lambda) / n));
  });

  it('λ = 1 gives P(0) = P(1) = 1/e', () => {
    const draw = poissonSampler(seededRng(5));
    const n = 200_000;
    const hits = [0, 0];
    for (let i = 0; i < n; i++) {
      const x = draw(1);
      if (x < 2) hits[x]++;
    }
    for (const h of hits) expect(h / n).toBeCloseTo(Math.exp(-1), 2);
  });

  it('λ = 0 always gives 0', () => {
    const draw = poissonSampler(seededRng(1));
    expect([draw(0), draw(0), draw(0)]).toEqual([0, 0, 0]);
  });
});

describe('logGamma', () => {
  it.each([
    [1, 0],
    [2, 0],
    [3, Math.log(2)],
    [5, Math.log(24)],
    [11, Math.log(3628800)],
    [0.5, Math.log(Math.sqrt(Math.PI))],
  ])('ln Γ(%d) = %d', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 10);
  });
});
