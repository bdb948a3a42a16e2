import { suggestConcepts } from './concept-suggest';

const vocabulary = [
  { id: 'dark', name: 'dark photo', aliases: ['too dark', 'underexposed'] },
  { id: 'blur', name: 'blurry', aliases: ['out of focus'] },
  { id: 'small', name: 'small object' },
  { id: 'smoke', name: 'smoke' },
  { id: 'sarcasm', name: 'sarcasm' },
];

describe('suggestConcepts (typeahead)', () => {
  it.each([
    { query: 'sm', expected: ['smoke:0', 'small:0'] }, // both start with "sm": shorter text first
    { query: 'DA', expected: ['dark:0'] },
    { query: 'foc', expected: ['blur:1'] }, // a later word of the alias "out of focus"
    { query: 'blr', expected: ['blur:2'] }, // near spelling of the prefix "blu" (JW 0.82)
    { query: 'drak', expected: ['dark:2'] }, // transposition (JW 0.925)
    { query: 'zebra', expected: [] },
    { query: '  ', expected: [] },
  ])('"$query" → $expected', ({ query, expected }) => {
    expect(suggestConcepts(vocabulary, query).map((s) => `${s.conceptId}:${s.tier}`)).toEqual(expected);
  });

  it('names the alias that matched and keeps one suggestion per concept', () => {
    const [s, ...rest] = suggestConcepts(vocabulary, 'under');
    expect(s).toMatchObject({ conceptId: 'dark', name: 'dark photo', matched: 'underexposed', via: 'alias', tier: 0 });
    expect(rest).toEqual([]);
  });

  it('honours the limit', () => {
    expect(suggestConcepts(vocabulary, 's', 1)).toHaveLength(1);
  });
});
