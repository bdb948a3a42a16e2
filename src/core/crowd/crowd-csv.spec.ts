import { parseCsv } from '../csv/csv-parser';
import { encodeAnswerColumns } from './answers';
import { answersFromCsv, posteriorsToCsv, truthFromCsv } from './crowd-csv';
import { majorityVote } from './majority-vote';

describe('crowd CSV', () => {
  it.each([
    ['item,worker,label', 'a,w1,1', { item: ['a'], worker: ['w1'], label: ['1'] }],
    ['worker,task,label', 'w1,t1,yes', { item: ['t1'], worker: ['w1'], label: ['yes'] }],
    ['Label , Item , Worker', ' 0 , i , w ', { item: ['i'], worker: ['w'], label: ['0'] }],
  ])('header %j', (header, row, expected) => {
    expect(answersFromCsv(parseCsv(`${header}\n${row}\n`))).toEqual(expected);
  });

  it('names the missing column', () => {
    expect(() => answersFromCsv(parseCsv('item,user,label\na,b,c'))).toThrow(/no worker column/);
  });

  it('names the short line', () => {
    expect(() => answersFromCsv(parseCsv('item,worker,label\na,b,c\nd,e'))).toThrow(expect.objectContaining({ code: 'malformed_body', details: { row: 3 } }));
  });

  it.each([
    ['item,truth\n1,0\n', [{ item: '1', truth: '0' }]],
    ['task,label\nt1,yes\n', [{ item: 't1', truth: 'yes' }]],
    ['id,answer\nx,1\n', [{ item: 'x', truth: '1' }]], // unnamed: first two columns
  ])('truth %j', (text, expected) => {
    expect(truthFromCsv(parseCsv(text))).toEqual(expected);
  });

  it('writes posteriors with quoted ids and an empty label for unanswered items', () => {
    const data = encodeAnswerColumns({ item: ['a,1', 'a,1'], worker: ['w1', 'w2'], label: ['0', '1'] }, { items: ['silent'] });
    expect(posteriorsToCsv(majorityVote(data))).toBe('item,label,p_0,p_1\nsilent,,0.5,0.5\n"a,1",0,0.5,0.5\n');
  });
});
