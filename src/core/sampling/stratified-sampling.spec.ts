import { seededRng } from '../random/rng';
import { subgroupFailureRate } from './horvitz-thompson';
import { bandLabel, confidenceBand, stratifiedSample, stratifiedSampleByKey } from './stratified-sampling';

describe('confidence bands', () => {
  it.each([
    [0, 0, '[0,0.5)'],
    [0.49, 0, '[0,0.5)'],
    [0.5, 1, '[0.5,0.7)'],
    [0.9, 3, '[0.9,1]'],
    [1, 3, '[0.9,1]'],
  ])('confidence %d is band %d %s', (c, band, label) => {
    const edges = [0.5, 0.7, 0.9];
    expect(confidenceBand(c, edges)).toBe(band);
    expect(bandLabel(band, edges)).toBe(label);
  });
});

describe('stratified sampling', () => {
  const keys = [...Array(60).fill('a'), ...Array(30).fill('b'), ...Array(10).fill('c')];

  it('draws n_h distinct items per stratum with π = n_h/N_h, so the weights of each stratum add up to N_h', () => {
    const { strata, sample } = stratifiedSampleByKey(keys, { budget: 20, allocation: 'equal', seed: 1 });
    expect(strata.map((s) => [s.key, s.population, s.sampled])).toEqual([
      ['a', 60, 7],
      ['b', 30, 7],
      ['c', 10, 6],
    ]);
    expect(new Set(sample.map((s) => s.index)).size).toBe(20);
    for (const s of strata) {
      const drawn = sample.filter((x) => x.stratum === s.key);
      expect(drawn.every((x) => keys[x.index] === s.key && x.pi === s.sampled / s.population && x.discoveryOnly === false)).toBe(true);
      expect(drawn.reduce((t, x) => t + (x.weight as number), 0)).toBeCloseTo(s.population, 9);
    }
  });

  it('is reproducible per seed and differs across seeds', () => {
    const a = stratifiedSampleByKey(keys, { budget: 20, seed: 5 }).sample.map((s) => s.index);
    expect(stratifiedSampleByKey(keys, { budget: 20, seed: 5 }).sample.map((s) => s.index)).toEqual(a);
    expect(stratifiedSampleByKey(keys, { budget: 20, seed: 6 }).sample.map((s) => s.index)).not.toEqual(a);
  });

  it('keys strata by failed/correct × confidence band', () => {
    const { strata } = stratifiedSample(
      [
        { failed: true, confidence: 0.95 },
        { failed: false, confidence: 0.95 },
        { failed: false, confidence: 0.6 },
      ],
      { budget: 3, seed: 1 },
    );
    expect(strata.map((s) => s.key)).toEqual(['correct|[0.5,0.7)', 'correct|[0.9,1]', 'failed|[0.9,1]']);
  });

  it('rejects a confidence outside [0, 1], naming the row', () => {
    expect(() => stratifiedSample([{ failed: true, confidence: 1.2 }], { budget: 1, seed: 1 })).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ field: 'items[0].confidence' }) }),
    );
  });
});

describe('Horvitz–Thompson estimate of a subgroup failure rate', () => {
  // Population of 3,000 predictions; a concept subgroup ("dark", ~30%) fails more often, and low
  // confidence fails more often. Truth is known here; annotation reveals only the sampled items.
  const rng = seededRng(42);
  const population = Array.from({ length: 3000 }, () => {
    const confidence = 0.3 + 0.7 * rng.next();
    const dark = rng.next() < 0.3;
    const failed = rng.next() < (1 - confidence) * 0.4 + (dark ? 0.15 : 0);
    return { confidence, dark, failed };
  });
  const dark = population.filter((p) => p.dark);
  const trueRate = dark.filter((p) => p.failed).length / dark.length;
  const R = 400;

  const replicate = (seed: number) => {
    // Equal allocation over failed/correct × band over-samples failures; the weights undo it.
    const { sample } = stratifiedSample(population, { budget: 240, allocation: 'equal', seed });
    const obs = sample.map((s) => ({ weight: s.weight as number, inSubgroup: population[s.index].dark, failed: population[s.index].failed }));
    const est = subgroupFailureRate(obs, dark.length);
    const inDark = obs.filter((o) => o.inSubgroup);
    return { ht: est.rateKnownSize as number, hajek: est.rate as number, naive: inDark.filter((o) => o.failed).length / inDark.length };
  };
  const runs = Array.from({ length: R }, (_, r) => replicate(r + 1));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

  it('the HT estimate with known subgroup size averages to the true rate (within 4 standard errors of the mean)', () => {
    const ht = runs.map((r) => r.ht);
    expect(Math.abs(mean(ht) - trueRate)).toBeLessThan((4 * sd(ht)) / Math.sqrt(R));
  });

  it('the Hájek ratio estimate averages to the true rate within 0.01', () => {
    expect(Math.abs(mean(runs.map((r) => r.hajek)) - trueRate)).toBeLessThan(0.01);
  });

  it('the unweighted rate on the same sample is far off (failures were over-sampled)', () => {
    expect(mean(runs.map((r) => r.naive)) - trueRate).toBeGreaterThan(0.2);
  });

  it('annotating failures only says every subgroup fails 100% of the time', () => {
    const failures = population.map((p, i) => ({ ...p, i })).filter((p) => p.failed && p.dark);
    const naive = failures.filter((p) => p.failed).length / failures.length;
    expect(naive).toBe(1);
    expect(trueRate).toBeLessThan(0.5);
  });
});
