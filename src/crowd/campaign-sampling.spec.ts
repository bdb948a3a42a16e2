import { resolveDesign } from './campaign-design';
import { partitionKeys, planExplore, planStratified, stratumKeys, type SamplingFrame } from './campaign-sampling';

// 12 items: ids 101..112; confidence 0.1..0.95; the first 4 failed, the next 4 correct, the last 4 unlabeled.
const frame: SamplingFrame = {
  ids: Array.from({ length: 12 }, (_, i) => String(101 + i)),
  confidence: [0.1, 0.8, 0.2, 0.9, 0.3, 0.75, 0.4, 0.95, 0.5, 0.85, 0.6, 0.7],
  predicted: Array.from({ length: 12 }, (_, i) => (i % 2 ? 'dog' : 'cat')),
  outcome: [...Array(4).fill('failed'), ...Array(4).fill('correct'), ...Array(4).fill('unlabeled')],
};

describe('campaign designs', () => {
  it('fills defaults: equal allocation, bands [0.5, 0.7, 0.9], the given random seed; explore: Thompson sampling', () => {
    expect(resolveDesign({ type: 'stratified' }, () => 42)).toEqual({ type: 'stratified', allocation: 'equal', bands: [0.5, 0.7, 0.9], seed: 42 });
    expect(resolveDesign({ type: 'explore', bands: [0.7] }, () => 7)).toEqual({ type: 'explore', policy: 'thompson', bands: [0.7], partitionAttributes: [], seed: 7 });
  });
  it.each([
    [null, 'design'],
    [{ type: 'random' }, 'design.type'],
    [{ type: 'stratified', allocation: 'neyman' }, 'design.allocation'],
    [{ type: 'stratified', bands: [0.5, 0.5] }, 'design.bands'],
    [{ type: 'stratified', bands: [1.2] }, 'design.bands'],
    [{ type: 'stratified', seed: 1.5 }, 'design.seed'],
    [{ type: 'explore', allocation: 'equal' }, 'design.allocation'],
    [{ type: 'explore', partitionAttributes: [''] }, 'design.partitionAttributes'],
  ])('refuses %j naming %s', (design, field) => {
    expect(() => resolveDesign(design, () => 1)).toThrow(expect.objectContaining({ code: 'invalid_input', details: expect.objectContaining({ field }) }));
  });
});

describe('stratified plan', () => {
  const design = { type: 'stratified' as const, allocation: 'equal' as const, bands: [0.7], seed: 5 };
  it('keys strata by outcome × band', () => {
    expect(stratumKeys(frame, [0.7]).slice(0, 4)).toEqual(['failed|[0,0.7)', 'failed|[0.7,1]', 'failed|[0,0.7)', 'failed|[0.7,1]']);
  });
  it('draws n_h of N_h = 2 per stratum with π = n_h/N_h, distinct, from the frame', () => {
    const { items, strata } = planStratified(frame, design, 6, 'budget');
    expect(strata.map((s) => [s.key, s.population, s.sampled, s.pi])).toEqual([
      ['correct|[0,0.7)', 2, 1, 0.5],
      ['correct|[0.7,1]', 2, 1, 0.5],
      ['failed|[0,0.7)', 2, 1, 0.5],
      ['failed|[0.7,1]', 2, 1, 0.5],
      ['unlabeled|[0,0.7)', 2, 1, 0.5],
      ['unlabeled|[0.7,1]', 2, 1, 0.5],
    ]);
    expect(new Set(items.map((p) => p.predictionId)).size).toBe(6);
    const keys = stratumKeys(frame, [0.7]);
    for (const p of items) expect(keys[frame.ids.indexOf(p.predictionId)]).toBe(p.stratum);
    expect(items.every((p) => p.pi === 0.5 && !p.discoveryOnly && p.design === 'stratified')).toBe(true);
  });
  it('is reproducible for a seed and refuses fewer items than strata', () => {
    expect(planStratified(frame, design, 6, 'b').items).toEqual(planStratified(frame, design, 6, 'b').items);
    expect(() => planStratified(frame, design, 5, 'a budget of 5')).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'budget', strata: 6 }) }));
  });
});

describe('explore plan', () => {
  it('partitions by predicted class × band and keeps prediction ids (not indices) in the pools, minus excluded items', () => {
    expect(partitionKeys(frame, [0.7]).slice(0, 2)).toEqual(['cat|[0,0.7)', 'dog|[0.7,1]']);
    const state = planExplore(frame, { type: 'explore', policy: 'ucb1', bands: [0.7], partitionAttributes: [], seed: 1 }, new Set(['101']));
    // In this frame every cat is below 0.7 and every dog above: two partitions.
    expect(state.arms.map((a) => [a.key, a.pool.length])).toEqual([['cat|[0,0.7)', 5], ['dog|[0.7,1]', 6]]);
    const pooled = state.arms.flatMap((a) => a.pool).sort((a, b) => a - b);
    expect(pooled).toEqual(Array.from({ length: 11 }, (_, i) => 102 + i));
  });
  it('adds attribute values to the partition key', () => {
    expect(partitionKeys({ ...frame, attributes: frame.ids.map((_, i) => (i < 6 ? 'north' : 'south')) }, [0.7])[0]).toBe('cat|[0,0.7)|north');
  });
});
