import { seededRng } from '../random/rng';
import { beta, gamma } from './beta-sampler';
import { createDiscovery, nextDiscoveryItem, recordDiscoveryOutcome, runDiscovery, type DiscoveryState } from './discovery-search';

// Five partitions of 100 items: 'cat|high' hides confident failures at 50%, the others at 2%.
const partition: string[] = [];
const hit: boolean[] = [];
const rng = seededRng(9);
for (const [key, rate] of [['cat|high', 0.5], ['cat|low', 0.02], ['dog|high', 0.02], ['dog|low', 0.02], ['fox|high', 0.02]] as const) {
  for (let i = 0; i < 100; i++) {
    partition.push(key);
    hit.push(rng.next() < rate);
  }
}
const hitsInPopulation = hit.filter(Boolean).length;

describe('explore–exploit discovery search', () => {
  it.each(['ucb1', 'thompson'] as const)('%s, with labels for 40% of the items, finds at least 90% of the confident failures (uniform: 40%)', (policy) => {
    const run = runDiscovery(partition, (i) => hit[i], 200, { policy, seed: 3 });
    expect(run.hits).toBeGreaterThanOrEqual(0.9 * hitsInPopulation);
  });

  it('with a small budget (100) Thompson sampling exploits sooner than UCB1, whose bonus √(2 ln t/n) still explores', () => {
    const uniform = (100 * hitsInPopulation) / partition.length;
    const thompson = runDiscovery(partition, (i) => hit[i], 100, { policy: 'thompson', seed: 3 });
    const ucb = runDiscovery(partition, (i) => hit[i], 100, { policy: 'ucb1', seed: 3 });
    expect(thompson.hits).toBeGreaterThan(2 * uniform);
    expect(ucb.hits).toBeGreaterThan(uniform);
    expect(thompson.hits).toBeGreaterThan(ucb.hits);
    for (const run of [thompson, ucb]) {
      const pulls = run.arms.map((a) => a.pulls);
      expect(run.arms[pulls.indexOf(Math.max(...pulls))].key).toBe('cat|high');
    }
  });

  it('flags its items discovery-only, without π or weight, and never draws an item twice', () => {
    const run = runDiscovery(partition, (i) => hit[i], 200, { policy: 'thompson', seed: 1 });
    expect(run.sample.every((s) => s.discoveryOnly && s.pi === null && s.weight === null && s.design === 'discovery')).toBe(true);
    expect(new Set(run.sample.map((s) => s.index)).size).toBe(200);
  });

  it('ucb1 tries every partition once, in key order, before exploiting', () => {
    const run = runDiscovery(partition, (i) => hit[i], 5, { policy: 'ucb1', seed: 1 });
    expect(run.sample.map((s) => s.stratum)).toEqual(['cat|high', 'cat|low', 'dog|high', 'dog|low', 'fox|high']);
  });

  it('stops when every pool is empty and skips excluded items', () => {
    const run = runDiscovery(['a', 'a', 'b'], () => false, 10, { seed: 1, exclude: [1] });
    expect(run.sample.map((s) => s.index).sort()).toEqual([0, 2]);
  });

  it('a state stored as JSON mid-run resumes with the same draws', () => {
    const straight = createDiscovery(partition, { seed: 77 });
    const resumed0 = createDiscovery(partition, { seed: 77 });
    const picks = (s: DiscoveryState, n: number) =>
      Array.from({ length: n }, () => {
        const p = nextDiscoveryItem(s);
        if (p) recordDiscoveryOutcome(s, p.arm, hit[p.index]);
        return p?.index;
      });
    const all = picks(straight, 40);
    const first = picks(resumed0, 15);
    const resumed = JSON.parse(JSON.stringify(resumed0)) as DiscoveryState;
    expect([...first, ...picks(resumed, 25)]).toEqual(all);
  });

  it('rejects an unknown policy', () => {
    expect(() => createDiscovery(['a'], { seed: 1, policy: 'greedy' as never })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('beta sampler', () => {
  it.each([
    [2, 5],
    [1, 1],
    [30, 3],
  ])('Beta(%d, %d) draws average to a/(a+b) within 0.01', (a, b) => {
    const r = seededRng(1);
    let s = 0;
    for (let i = 0; i < 20000; i++) s += beta(a, b, r);
    expect(Math.abs(s / 20000 - a / (a + b))).toBeLessThan(0.01);
  });

  it('Gamma(0.5) draws average to 0.5 within 0.02 (the shape < 1 boost)', () => {
    const r = seededRng(2);
    let s = 0;
    for (let i = 0; i < 20000; i++) s += gamma(0.5, r);
    expect(Math.abs(s / 20000 - 0.5)).toBeLessThan(0.02);
  });
});
