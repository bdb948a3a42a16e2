import { buildVocabularyIndex, matchPhrase, normalizeFreeText } from './vocabulary-matcher';

const vocabulary = buildVocabularyIndex([
  { id: 'dark', name: 'dark photo', aliases: ['too dark', 'underexposed'] },
  { id: 'blur', name: 'blurry', aliases: ['out of focus'] },
  { id: 'small', name: 'small object' },
  { id: 'sarcasm', name: 'sarcasm' },
  { id: 'light', name: 'lighting' },
]);

describe('matchPhrase', () => {
  it.each([
    { phrase: 'Dark photos', concept: 'dark', kind: 'stem', matched: 'dark photo' },
    { phrase: 'way too dark', concept: 'dark', kind: 'stem', matched: 'too dark' }, // "way", "too" are stop words
    { phrase: 'the object is small', concept: 'small', kind: 'stem', matched: 'small object' },
    { phrase: 'blury', concept: 'blur', kind: 'jaro-winkler', matched: 'blurry' },
    { phrase: 'sarcastic', concept: 'sarcasm', kind: 'jaro-winkler', matched: 'sarcasm' }, // stems differ (sarcast / sarcasm); JW 0.905
    { phrase: 'lightning', concept: 'light', kind: 'jaro-winkler', matched: 'lighting' }, // a known false friend (JW 0.953)
    { phrase: 'a blurry background', concept: 'blur', kind: 'contains', matched: 'blurry' },
    { phrase: 'underexposd', concept: 'dark', kind: 'jaro-winkler', matched: 'underexposed' },
  ])('"$phrase" → $concept by $kind', ({ phrase, concept, kind, matched }) => {
    expect(matchPhrase(vocabulary, phrase)).toMatchObject({ conceptId: concept, kind, matched });
  });

  it.each([
    ['dart', 'one changed letter in a short word (JW 0.883 < 0.9)'],
    ['low contrast', 'no shared stem and JW below the threshold'],
    ['not blurry', 'a negated phrase never matches by containment'],
    ['the', 'only stop words'],
    ['under exposed', '"under" is in natural\'s stop-word list, so only "exposed" is compared'],
  ])('"%s" matches nothing: %s', (phrase) => {
    expect(matchPhrase(vocabulary, phrase)).toBeNull();
  });

  it('a stricter threshold turns near spellings into proposals', () => {
    expect(matchPhrase(vocabulary, 'sarcastic', 0.95)).toBeNull();
  });
});

describe('normalizeFreeText', () => {
  const r = normalizeFreeText(vocabulary, 'Way too dark; blury and sarcastic! Also a weird angle, not blurry');

  it('finds one match per concept mentioned, splitting "blury and sarcastic" at the conjunction', () => {
    expect(r.matches.map((m) => [m.conceptId, m.kind]).sort()).toEqual([
      ['blur', 'jaro-winkler'],
      ['dark', 'stem'],
      ['sarcasm', 'jaro-winkler'],
    ]);
  });

  it('proposes the phrases that match nothing, negations included', () => {
    expect(r.proposals.map((p) => p.text)).toEqual(['Also a weird angle', 'not blurry']);
  });
});
