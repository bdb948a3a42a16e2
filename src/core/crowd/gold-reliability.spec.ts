import { encodeAnswers, encodeKnownLabels, type Answer } from './answers';
import { goldReliability, wilsonInterval } from './gold-reliability';

const answers = (rows: Array<[string, string, string]>): Answer[] => rows.map(([item, worker, label]) => ({ item, worker, label }));

describe('gold reliability', () => {
  // Gold: g1..g5 are all "yes". careful answers 5/5 right, careless 2/5, newbie 1/2 (too few to flag).
  const rows: Array<[string, string, string]> = [];
  for (let g = 1; g <= 5; g++) {
    rows.push([`g${g}`, 'careful', 'yes']);
    rows.push([`g${g}`, 'careless', g <= 2 ? 'yes' : 'no']);
    if (g <= 2) rows.push([`g${g}`, 'newbie', g === 1 ? 'yes' : 'no']);
  }
  rows.push(['x', 'careless', 'no'], ['x', 'careful', 'yes']);
  const data = encodeAnswers(answers(rows));
  const known = encodeKnownLabels(data, [1, 2, 3, 4, 5].map((g) => ({ item: `g${g}`, label: 'yes' })));
  const report = Object.fromEntries(goldReliability(data, known).map((r) => [r.worker, r]));

  it.each([
    ['careful', 5, 1, false],
    ['careless', 5, 0.4, true],
    ['newbie', 2, 0.5, false],
  ])('%s: %d gold answers, accuracy %d, flagged %s', (worker, n, acc, flagged) => {
    expect(report[worker]).toMatchObject({ goldAnswers: n, accuracy: acc, flagged });
  });

  it('a lower bar unflags the careless worker', () => {
    const r = goldReliability(data, known, { minAccuracy: 0.4 }).find((w) => w.worker === 'careless');
    expect(r?.flagged).toBe(false);
  });

  it('Wilson interval for 2 of 5 at 95% is [0.1176, 0.7693]', () => {
    const [lo, hi] = wilsonInterval(2, 5);
    expect(lo).toBeCloseTo(0.1176, 4);
    expect(hi).toBeCloseTo(0.7693, 4);
  });
});
