import { invalid } from '../errors';
import { prepareText, type PreparedText } from './text-preparation';

/** Serialized form of a keyword lexicon (the keywords as written; stems are recomputed on load). */
export interface KeywordLexiconJson {
  kind: 'lexicon';
  concept: string;
  keywords: string[];
}

/**
 * A concept detected by a stemmed keyword lexicon (DESIGN §3, text detectors): present iff the
 * text contains one of the keywords, compared stem by stem, so "darker photos" matches the
 * keyword "dark photo". A keyword of several words must occur as consecutive tokens.
 */
export class KeywordLexiconDetector {
  readonly kind = 'lexicon';
  private readonly single = new Set<string>();
  private readonly phrases: string[][] = [];

  constructor(
    readonly concept: string,
    readonly keywords: readonly string[],
  ) {
    if (keywords.length === 0) throw invalid('keywords', `the lexicon of '${concept}' is empty`);
    keywords.forEach((k, i) => {
      const stems = prepareText(k).stems;
      if (stems.length === 0) throw invalid(`keywords[${i}]`, `'${k}' has no word in it`);
      if (stems.length === 1) this.single.add(stems[0]);
      else this.phrases.push(stems);
    });
  }

  detect(text: PreparedText): boolean {
    const s = text.stems;
    for (let i = 0; i < s.length; i++) {
      if (this.single.has(s[i])) return true;
      for (const p of this.phrases) if (startsAt(s, i, p)) return true;
    }
    return false;
  }

  toJSON(): KeywordLexiconJson {
    return { kind: 'lexicon', concept: this.concept, keywords: [...this.keywords] };
  }

  static restore(json: KeywordLexiconJson): KeywordLexiconDetector {
    return new KeywordLexiconDetector(json.concept, json.keywords);
  }
}

function startsAt(s: readonly string[], i: number, phrase: readonly string[]): boolean {
  if (i + phrase.length > s.length) return false;
  for (let j = 0; j < phrase.length; j++) if (s[i + j] !== phrase[j]) return false;
  return true;
}
