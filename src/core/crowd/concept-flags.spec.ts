import { encodeAnswers } from './answers';
import { conceptFlags } from './concept-flags';
import { majorityVote } from './majority-vote';

describe('conceptFlags', () => {
  const data = encodeAnswers(
    [
      { item: 'a', worker: 'w1', label: 'yes' },
      { item: 'a', worker: 'w2', label: 'yes' },
      { item: 'b', worker: 'w1', label: 'no' },
      { item: 'b', worker: 'w2', label: 'yes' },
      { item: 'c', worker: 'w1', label: 'no' },
    ],
    { classes: ['no', 'yes'], items: ['silent'] },
  );
  const flags = conceptFlags(majorityVote(data), 'yes', new Map([['a', 4], ['b', null]]));

  it.each([
    ['a', 1, true, 4],
    ['b', 0.5, true, null], // a posterior of exactly 0.5 counts as present (≥ 0.5)
    ['c', 0, false, null],
  ])('%s: posterior %d, present %s, weight %s', (item, posterior, present, weight) => {
    expect(flags.find((f) => f.item === item)).toEqual({ item, posterior, present, weight });
  });

  it('leaves out items without answers', () => {
    expect(flags.map((f) => f.item)).not.toContain('silent');
  });

  it('rejects a present class that is not a class', () => {
    expect(() => conceptFlags(majorityVote(data), 'maybe')).toThrow(expect.objectContaining({ code: 'unknown_class' }));
  });
});
