import { KeywordLexiconDetector } from './keyword-lexicon';
import { prepareText } from './text-preparation';

describe('prepareText', () => {
  it.each([
    ['lower-cases, splits on punctuation and stems', 'Darker photos, blurry!', ['darker', 'photo', 'blurri']],
    ['drops accents before tokenizing', 'Café lighting', ['cafe', 'light']],
    ['keeps digits', 'taken in 2019', ['taken', 'in', '2019']],
    ['gives nothing for punctuation only', '...!?', []],
  ])('%s', (_name, text, stems) => {
    expect(prepareText(text).stems).toEqual(stems);
  });
});

describe('KeywordLexiconDetector: stemmed keyword match', () => {
  const dark = new KeywordLexiconDetector('dark', ['dark', 'low light', 'night shot']);
  it.each([
    ['an exact keyword', 'a dark room', true],
    ['an inflected form with the same stem (darkness → dark)', 'the darkness of it', true],
    ['a form with another stem (darker → darker) does not match', 'a darker room', false],
    ['a two-word keyword in order', 'taken in LOW lighting', true],
    ['the words of a phrase out of order', 'light was low', false],
    ['a plural phrase', 'two night shots', true],
    ['no keyword', 'a sunny beach', false],
    ['a keyword inside another word does not count', 'darkroom', false],
    ['empty text', '', false],
  ])('%s', (_name, text, expected) => {
    expect(dark.detect(prepareText(text))).toBe(expected);
  });

  it('serializes to its keywords and restores to the same detector', () => {
    const json = dark.toJSON();
    expect(json).toEqual({ kind: 'lexicon', concept: 'dark', keywords: ['dark', 'low light', 'night shot'] });
    const back = KeywordLexiconDetector.restore(JSON.parse(JSON.stringify(json)));
    for (const t of ['dark', 'low light', 'sunny']) expect(back.detect(prepareText(t))).toBe(dark.detect(prepareText(t)));
  });

  it('refuses an empty lexicon and a keyword without words', () => {
    expect(() => new KeywordLexiconDetector('x', [])).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => new KeywordLexiconDetector('x', ['--'])).toThrow(expect.objectContaining({ code: 'invalid_input', details: { field: 'keywords[0]' } }));
  });
});
