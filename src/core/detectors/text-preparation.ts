import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer';
import { words as stopWordList } from 'natural/lib/natural/util/stopwords';

/** A text tokenized and stemmed once, shared by every detector of a request. */
export interface PreparedText {
  /** Lower-cased word tokens, in order. */
  tokens: string[];
  /** Porter stem of each token (same index). */
  stems: string[];
  /** contentSet's cache: made once per text, shared by every classifier detector that reads it. */
  contentSet?: Set<string>;
}

const tokenizer = new WordTokenizer();
const STOP_WORDS: ReadonlySet<string> = new Set(stopWordList);

/**
 * Tokenizes with natural's WordTokenizer (letters, digits, underscore) and stems with its
 * Porter stemmer. Accents are removed first (NFD, then combining marks dropped), because the
 * tokenizer's letter class is ASCII and Cyrillic only: "café" would otherwise become "caf".
 */
export function prepareText(text: string): PreparedText {
  const plain = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const tokens = tokenizer.tokenize(plain);
  return { tokens, stems: tokens.map((t) => PorterStemmer.stem(t)) };
}

/** contentStems as a set, made once per prepared text. */
export function contentSet(p: PreparedText): Set<string> {
  return (p.contentSet ??= new Set(contentStems(p)));
}

/** Stems of the non-stop-word tokens (natural's English stop list): the classifier's features. */
export function contentStems(p: PreparedText): string[] {
  const out: string[] = [];
  for (let i = 0; i < p.tokens.length; i++) if (!STOP_WORDS.has(p.tokens[i])) out.push(p.stems[i]);
  return out;
}
