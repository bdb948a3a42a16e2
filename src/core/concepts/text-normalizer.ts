import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import { words as naturalStopWords } from 'natural/lib/natural/util/stopwords.js';

/** A phrase after normalization (DESIGN §3: tokenize, drop stop words, stem). */
export interface NormalizedPhrase {
  /** The phrase as written, trimmed. */
  text: string;
  /** Lower-cased content words (stop words dropped), in order. */
  tokens: string[];
  /** Porter stems of `tokens`, in order. */
  stems: string[];
  /** Order-insensitive identity of the phrase: its distinct stems, sorted, space-joined. */
  key: string;
  /** Whether the phrase carries a negation cue (not, no, never, without, …n't), which containment matching must respect. */
  negated: boolean;
}

// natural's English list (it includes "too", "very", single letters and digits); copied so that
// natural's own mutators (stemmer.addStopWords) cannot change Caveat's normalization.
const STOP_WORDS: ReadonlySet<string> = new Set(naturalStopWords);
// Contractions arrive joined by `foldText` ("isn't" → "isnt").
const NEGATIONS: ReadonlySet<string> = new Set(
  'not no never without nothing none nor dont doesnt didnt isnt arent wasnt werent cant cannot couldnt wont wouldnt hasnt havent'.split(' '),
);
const tokenizer = new WordTokenizer();

/** Lower-cases, strips diacritics (NFKD) and joins contractions ("don't" → "dont"), so the word tokenizer keeps words whole. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/(\w)['’](\w)/g, '$1$2');
}

/** Normalizes one phrase with natural: word tokenizer, natural's stop-word list, Porter stemmer. */
export function normalizePhrase(text: string): NormalizedPhrase {
  const words = tokenizer.tokenize(foldText(text)).filter((w) => w !== '');
  const negated = words.some((w) => NEGATIONS.has(w));
  const tokens = words.filter((w) => !STOP_WORDS.has(w));
  const stems = tokens.map((t) => PorterStemmer.stem(t));
  return { text: text.trim(), tokens, stems, key: [...new Set(stems)].sort().join(' '), negated };
}

/** Splits free text into phrases at sentence punctuation and line breaks ("dark, blurry" → two phrases). */
export function splitPhrases(text: string): string[] {
  return text
    .split(/[,;.!?\n\r()]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Splits a phrase at conjunctions and slashes ("dark and blurry" → "dark", "blurry"), tried when the whole phrase matches nothing. */
export function splitConjunctions(phrase: string): string[] {
  return phrase
    .split(/\s+(?:and|or|but|plus)\s+|\s*[/&+]\s*/i)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
