import { normalizePhrase, splitConjunctions, splitPhrases } from './text-normalizer';

describe('normalizePhrase (natural: word tokenizer, stop words, Porter stemmer)', () => {
  it.each([
    { text: 'Too dark', stems: ['dark'], key: 'dark', negated: false },
    { text: 'dim lighting', stems: ['dim', 'light'], key: 'dim light', negated: false },
    { text: 'the object is too small', stems: ['object', 'small'], key: 'object small', negated: false },
    { text: 'Small objects', stems: ['small', 'object'], key: 'object small', negated: false },
    { text: "photo isn't blurry", stems: ['photo', 'isnt', 'blurri'], key: 'blurri isnt photo', negated: true },
    { text: 'Très sombre', stems: ['tre', 'sombr'], key: 'sombr tre', negated: false },
    { text: 'it is the', stems: [], key: '', negated: false },
  ])('"$text" → $stems', ({ text, stems, key, negated }) => {
    const p = normalizePhrase(text);
    expect(p.stems).toEqual(stems);
    expect(p.key).toBe(key);
    expect(p.negated).toBe(negated);
  });
});

describe('phrase splitting', () => {
  it.each([
    ['dark, blurry; small.', ['dark', 'blurry', 'small']],
    ['line one\nline two', ['line one', 'line two']],
    ['  ', []],
  ])('splitPhrases(%j)', (text, parts) => expect(splitPhrases(text)).toEqual(parts));

  it.each([
    ['dark and blurry', ['dark', 'blurry']],
    ['glare/reflection', ['glare', 'reflection']],
    ['black & white or sepia', ['black', 'white', 'sepia']],
    ['sandy beach', ['sandy beach']],
  ])('splitConjunctions(%j)', (text, parts) => expect(splitConjunctions(text)).toEqual(parts));
});
