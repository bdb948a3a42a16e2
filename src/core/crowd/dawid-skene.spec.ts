import { encodeAnswers, encodeKnownLabels, type Answer } from './answers';
import { aggregationToJson } from './aggregation-result';
import { crowdAccuracy } from './crowd-accuracy';
import { dawidSkene } from './dawid-skene';
import { majorityVote } from './majority-vote';
import { syntheticCrowd } from './synthetic-crowd';

const answers = (rows: Array<[string, string, string]>): Answer[] => rows.map(([item, worker, label]) => ({ item, worker, label }));
const truthOf = (truth: Int32Array) => Array.from(truth, (t, i) => ({ item: `i${i}`, truth: String(t) }));

describe('Dawid–Skene, hand-checked', () => {
  // i1: w1=0, w2=0; i2: w1=1, w2=0. MV init: i1 [1, 0], i2 [½, ½] → priors [¾, ¼];
  // w1: row 0 = [1, ½]/1.5 = [⅔, ⅓], row 1 = [0, ½]/½ = [0, 1]; w2 answers 0 always: rows [1, 0].
  // E-step: i1 ∝ [¾·⅔·1, ¼·0·1] = [1, 0]; i2 ∝ [¾·⅓·1, ¼·1·1] = [¼, ¼] → [½, ½]: a fixed point.
  const data = encodeAnswers(answers([['i1', 'w1', '0'], ['i1', 'w2', '0'], ['i2', 'w1', '1'], ['i2', 'w2', '0']]));
  const r = dawidSkene(data, { maxIterations: 5, tolerance: 0 });
  const json = aggregationToJson(r);

  it('reaches the fixed point computed by hand', () => {
    expect(json.items.map((i) => i.posterior)).toEqual([
      [expect.closeTo(1, 12), expect.closeTo(0, 12)],
      [expect.closeTo(0.5, 12), expect.closeTo(0.5, 12)],
    ]);
    expect(json.priors).toEqual([expect.closeTo(0.75, 12), expect.closeTo(0.25, 12)]);
    expect(json.workers[0].confusion).toEqual([
      [expect.closeTo(2 / 3, 12), expect.closeTo(1 / 3, 12)],
      [expect.closeTo(0, 12), expect.closeTo(1, 12)],
    ]);
    expect(json.workers[1].confusion[1]).toEqual([expect.closeTo(1, 12), expect.closeTo(0, 12)]);
  });

  it('breaks the i2 tie by the lowest class index and counts it', () => {
    expect(r.labels[1]).toBe(0);
    expect(r.ties).toBe(1);
  });

  it('converges by tolerance at a fixed point (the log-likelihood stops changing)', () => {
    const c = dawidSkene(data);
    expect(c.converged).toBe(true);
    expect(c.iterations).toBe(2);
  });
});

describe('Dawid–Skene on seeded synthetic crowds', () => {
  it('class-conditional DS beats majority vote when two experts face three near-random workers', () => {
    const rng = syntheticCrowd({ items: 400, workers: 5, classes: 2, answersPerItem: 5, accuracy: [0.55, 0.6], seed: 3 });
    // Make workers 0 and 1 experts by rewriting their answers with 95% accuracy from the truth.
    const { data, truth } = rng;
    let s = 12345;
    for (let a = 0; a < data.item.length; a++) {
      if (data.worker[a] > 1) continue;
      s = (s * 1103515245 + 12345) >>> 0;
      data.label[a] = s / 2 ** 32 < 0.95 ? truth[data.item[a]] : 1 - truth[data.item[a]];
    }
    const mv = crowdAccuracy(majorityVote(data), truthOf(truth)).fractional;
    const ds = dawidSkene(data);
    expect(crowdAccuracy(ds, truthOf(truth)).hard).toBeGreaterThan(mv + 0.03);
    const json = aggregationToJson(ds);
    expect(json.workers[0].accuracy).toBeGreaterThan(0.9);
    expect(json.workers[4].accuracy).toBeLessThan(0.7);
  });

  it('one-coin DS on 4 classes recovers worker accuracies within 0.05', () => {
    const { data, truth, workerAccuracy } = syntheticCrowd({ items: 3000, workers: 6, classes: 4, answersPerItem: 6, accuracy: [0.4, 0.9], seed: 11 });
    const r = dawidSkene(data, { model: 'one-coin' });
    expect(r.method).toBe('dawid-skene-one-coin');
    for (let w = 0; w < 6; w++) expect(Math.abs(r.confusion[w * 16] - workerAccuracy[w])).toBeLessThan(0.05);
    expect(crowdAccuracy(r, truthOf(truth)).hard).toBeGreaterThan(crowdAccuracy(majorityVote(data), truthOf(truth)).fractional);
  });

  it('smoothing α adds α pseudo-answers to every confusion cell', () => {
    const d = encodeAnswers(answers([['i1', 'w1', '0'], ['i2', 'w1', '0']]), { classes: ['0', '1'] });
    // Both items unanimous 0 → T = [1, 0]; w1 row 0 = ([2, 0] + 1) / 4, row 1 = ([0, 0] + 1) / 2.
    const r = dawidSkene(d, { smoothing: 1, maxIterations: 1, tolerance: 0 });
    expect(Array.from(r.confusion.subarray(0, 2))).toEqual([expect.closeTo(0.75, 9), expect.closeTo(0.25, 9)]);
  });

  it('gold items stay clamped to their known class', () => {
    const d = encodeAnswers(answers([['g', 'w1', '1'], ['g', 'w2', '1'], ['x', 'w1', '1'], ['x', 'w2', '0']]));
    const known = encodeKnownLabels(d, [{ item: 'g', label: '0' }]);
    const r = dawidSkene(d, { known });
    expect(Array.from(r.posteriors.subarray(0, 2))).toEqual([1, 0]);
  });
});

describe('Dawid–Skene input checks', () => {
  const d = encodeAnswers(answers([['i', 'w', 'a'], ['i', 'v', 'b']]));
  it.each([
    ['maxIterations 0', { maxIterations: 0 }, 'maxIterations'],
    ['negative tolerance', { tolerance: -1 }, 'tolerance'],
    ['negative smoothing', { smoothing: -0.5 }, 'smoothing'],
  ])('rejects %s', (_, options, field) => {
    expect(() => dawidSkene(d, options)).toThrow(expect.objectContaining({ code: 'invalid_input', details: expect.objectContaining({ field }) }));
  });
  it('rejects an empty answer set as unprocessable', () => {
    expect(() => dawidSkene(encodeAnswers([]))).toThrow(expect.objectContaining({ code: 'unprocessable' }));
  });
  it('rejects a label outside a fixed class list as unknown_class, naming the row', () => {
    expect(() => encodeAnswers(answers([['i', 'w', 'maybe']]), { classes: ['no', 'yes'] })).toThrow(
      expect.objectContaining({ code: 'unknown_class', details: expect.objectContaining({ row: 1 }) }),
    );
  });
});
