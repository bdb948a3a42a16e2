import fc from 'fast-check';
import { crowdAccuracy } from './crowd-accuracy';
import { dawidSkene } from './dawid-skene';
import { majorityVote } from './majority-vote';
import { syntheticCrowd } from './synthetic-crowd';

const crowd = fc.record({
  items: fc.integer({ min: 20, max: 150 }),
  workers: fc.integer({ min: 3, max: 12 }),
  classes: fc.integer({ min: 2, max: 4 }),
  answersPerItem: fc.integer({ min: 3, max: 7 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  model: fc.constantFrom('class-conditional' as const, 'one-coin' as const),
});

describe('Dawid–Skene properties', () => {
  it('every posterior row sums to 1 and lies in [0, 1]', () => {
    fc.assert(
      fc.property(crowd, (c) => {
        const { data } = syntheticCrowd({ ...c, accuracy: [0.2, 0.95] });
        const r = dawidSkene(data, { model: c.model });
        const K = c.classes;
        for (let i = 0; i < data.items.length; i++) {
          let s = 0;
          for (let k = 0; k < K; k++) {
            const p = r.posteriors[i * K + k];
            if (!(p >= 0 && p <= 1)) return false;
            s += p;
          }
          if (Math.abs(s - 1) > 1e-9) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });

  it('is never worse than random on separable data (every worker better than chance)', () => {
    fc.assert(
      fc.property(crowd, (c) => {
        // Accuracy ≥ 0.7 for every worker: the classes are separable by the crowd.
        const { data, truth } = syntheticCrowd({ ...c, accuracy: [0.7, 0.95] });
        const t = Array.from(truth, (v, i) => ({ item: `i${i}`, truth: String(v) }));
        return crowdAccuracy(dawidSkene(data, { model: c.model }), t).hard > 1 / c.classes;
      }),
      { numRuns: 60 },
    );
  });

  it('the log-likelihood never decreases from one EM iteration to the next', () => {
    fc.assert(
      fc.property(crowd, fc.integer({ min: 1, max: 15 }), (c, t) => {
        const { data } = syntheticCrowd({ ...c, accuracy: [0.3, 0.95] });
        const a = dawidSkene(data, { model: c.model, maxIterations: t, tolerance: 0 }).logLikelihood;
        const b = dawidSkene(data, { model: c.model, maxIterations: t + 1, tolerance: 0 }).logLikelihood;
        return b >= a - 1e-9 * Math.abs(a);
      }),
      { numRuns: 60 },
    );
  });

  it('majority-vote posteriors are the vote shares: rows sum to 1', () => {
    fc.assert(
      fc.property(crowd, (c) => {
        const { data } = syntheticCrowd({ ...c, accuracy: [0.2, 0.95] });
        const r = majorityVote(data);
        for (let i = 0; i < data.items.length; i++) {
          let s = 0;
          for (let k = 0; k < c.classes; k++) s += r.posteriors[i * c.classes + k];
          if (Math.abs(s - 1) > 1e-12) return false;
        }
        return true;
      }),
      { numRuns: 40 },
    );
  });
});
