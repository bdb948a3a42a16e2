import { encodeAnswers, type Answer } from './answers';
import { aggregationToJson } from './aggregation-result';
import { majorityVote } from './majority-vote';

const answers = (rows: Array<[string, string, string]>): Answer[] => rows.map(([item, worker, label]) => ({ item, worker, label }));

describe('majority vote', () => {
  const cases: Array<{ scenario: string; rows: Array<[string, string, string]>; posterior: number[]; label: string }> = [
    { scenario: 'clear majority', rows: [['a', 'w1', 'yes'], ['a', 'w2', 'yes'], ['a', 'w3', 'no']], posterior: [1 / 3, 2 / 3], label: 'yes' },
    { scenario: 'unanimous', rows: [['a', 'w1', 'no'], ['a', 'w2', 'no']], posterior: [1, 0], label: 'no' },
    { scenario: 'two-way tie goes to the lowest class index (no < yes)', rows: [['a', 'w1', 'yes'], ['a', 'w2', 'no']], posterior: [0.5, 0.5], label: 'no' },
    { scenario: 'a repeated answer by the same worker is dropped (first kept)', rows: [['a', 'w1', 'yes'], ['a', 'w1', 'no'], ['a', 'w1', 'no'], ['a', 'w2', 'no']], posterior: [0.5, 0.5], label: 'no' },
  ];
  it.each(cases)('$scenario', ({ rows, posterior, label }) => {
    const r = majorityVote(encodeAnswers(answers(rows), { classes: ['no', 'yes'] }));
    expect(r.classes).toEqual(['no', 'yes']);
    expect(Array.from(r.posteriors)).toEqual(posterior.map((p) => expect.closeTo(p, 12)));
    expect(r.classes[r.labels[0]]).toBe(label);
  });

  it('numeric labels sort numerically, so a 3-way tie among 10, 2, 9 goes to 2', () => {
    const r = majorityVote(encodeAnswers(answers([['a', 'w1', '10'], ['a', 'w2', '9'], ['a', 'w3', '2']])));
    expect(r.classes).toEqual(['2', '9', '10']);
    expect(r.classes[r.labels[0]]).toBe('2');
    expect(r.ties).toBe(1);
  });

  it('the random tie rule is reproducible per seed and reaches every tied class across seeds', () => {
    const data = encodeAnswers(answers([['a', 'w1', 'x'], ['a', 'w2', 'y'], ['a', 'w3', 'z']]));
    expect(majorityVote(data, { tieRule: 'random', seed: 7 }).labels[0]).toBe(majorityVote(data, { tieRule: 'random', seed: 7 }).labels[0]);
    const seen = new Set<number>();
    for (let seed = 0; seed < 50; seed++) seen.add(majorityVote(data, { tieRule: 'random', seed }).labels[0]);
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it('an item declared up front without answers gets a uniform posterior and no label', () => {
    const data = encodeAnswers(answers([['a', 'w1', 'yes'], ['a', 'w2', 'no']]), { items: ['silent', 'a'] });
    const json = aggregationToJson(majorityVote(data));
    expect(json.items[0]).toEqual({ item: 'silent', label: null, posterior: [0.5, 0.5] });
  });

  it('reports each worker against the vote shares: w3 always disagrees with a 2-of-3 majority', () => {
    const r = aggregationToJson(
      majorityVote(encodeAnswers(answers([['a', 'w1', '1'], ['a', 'w2', '1'], ['a', 'w3', '0'], ['b', 'w1', '0'], ['b', 'w2', '0'], ['b', 'w3', '1']]))),
    );
    const w3 = r.workers.find((w) => w.worker === 'w3');
    // Soft labels a = [1/3, 2/3], b = [2/3, 1/3]; w3 answered 0 on a and 1 on b:
    // row k=0: label0 gets 1/3, label1 gets 2/3 → [1/3, 2/3]; row k=1: label0 2/3, label1 1/3.
    expect(w3?.confusion).toEqual([
      [expect.closeTo(1 / 3, 12), expect.closeTo(2 / 3, 12)],
      [expect.closeTo(2 / 3, 12), expect.closeTo(1 / 3, 12)],
    ]);
  });
});
