import JaroWinklerDistance from 'natural/lib/natural/distance/jaro-winkler_distance.js';
import { normalizePhrase, splitConjunctions, splitPhrases, type NormalizedPhrase } from './text-normalizer';

/** A vocabulary concept as the matcher needs it: DESIGN §3's name plus aliases. */
export interface VocabularyConcept {
  id: string;
  name: string;
  aliases?: readonly string[];
}

interface Entry {
  conceptId: string;
  conceptName: string;
  text: string;
  via: 'name' | 'alias';
  phrase: NormalizedPhrase;
  /** Content words joined by spaces: the string compared by Jaro–Winkler. */
  surface: string;
}

/** A vocabulary prepared for matching: every name and alias normalized once. */
export interface VocabularyIndex {
  entries: Entry[];
  byKey: Map<string, Entry[]>;
}

export interface ConceptMatch {
  conceptId: string;
  conceptName: string;
  /** The name or alias that matched. */
  matched: string;
  via: 'name' | 'alias';
  /**
   * `stem`: same set of stems; `jaro-winkler`: a near spelling (score ≥ threshold);
   * `contains`: every stem of the entry occurs in a longer phrase (skipped for negated phrases).
   */
  kind: 'stem' | 'jaro-winkler' | 'contains';
  score: number;
  /** The phrase of the free text that matched. */
  phrase: string;
}

export interface NormalizedFreeText {
  /** Concepts mentioned, one per concept (the best match). */
  matches: ConceptMatch[];
  /** Phrases that match no concept: proposed concepts for a curator to accept, merge or rename. */
  proposals: NormalizedPhrase[];
}

/**
 * Jaro–Winkler similarity (natural's implementation, prefix scale 0.1) at or above which a phrase
 * matches a name or alias. 0.9 accepts a typo or a dropped letter ("blury" ~ "blurry" 0.967,
 * "smal object" ~ "small object" 0.983) and rejects a changed letter in a short word ("dart" ~
 * "dark" 0.883) and different phrases sharing a word ("low contrast" ~ "low light" 0.794). It
 * still accepts near spellings with other meanings ("lightning" ~ "lighting" 0.953): a curator
 * sees the match kind and can correct it.
 */
export const JARO_WINKLER_THRESHOLD = 0.9;

/** Normalizes every name and alias of a vocabulary once, for `matchPhrase` and `normalizeFreeText`. */
export function buildVocabularyIndex(concepts: readonly VocabularyConcept[]): VocabularyIndex {
  const entries: Entry[] = [];
  for (const c of concepts) {
    const texts: Array<[string, 'name' | 'alias']> = [[c.name, 'name'], ...(c.aliases ?? []).map((a): [string, 'alias'] => [a, 'alias'])];
    for (const [text, via] of texts) {
      const phrase = normalizePhrase(text);
      if (phrase.stems.length === 0) continue; // a name made only of stop words cannot be matched
      entries.push({ conceptId: c.id, conceptName: c.name, text, via, phrase, surface: phrase.tokens.join(' ') });
    }
  }
  const byKey = new Map<string, Entry[]>();
  for (const e of entries) {
    const list = byKey.get(e.phrase.key);
    if (list) list.push(e);
    else byKey.set(e.phrase.key, [e]);
  }
  return { entries, byKey };
}

/**
 * Matches one phrase against the vocabulary: by identical stem sets first (a name before an
 * alias), then by the best Jaro–Winkler similarity of the content words ≥ `threshold`, then by
 * containment of a name's stems (the longest, when several). Null when nothing matches.
 */
export function matchPhrase(index: VocabularyIndex, text: string, threshold = JARO_WINKLER_THRESHOLD): ConceptMatch | null {
  return matchNormalized(index, normalizePhrase(text), threshold);
}

/** matchPhrase for a phrase already normalized. */
function matchNormalized(index: VocabularyIndex, p: NormalizedPhrase, threshold: number): ConceptMatch | null {
  if (p.stems.length === 0) return null;
  const same = index.byKey.get(p.key);
  if (same) {
    const e = same.find((x) => x.via === 'name') ?? same[0];
    return toMatch(e, 'stem', 1, p.text);
  }
  const surface = p.tokens.join(' ');
  let best: Entry | null = null;
  let bestScore = -1;
  for (const e of index.entries) {
    const s = JaroWinklerDistance(surface, e.surface);
    if (s > bestScore) {
      bestScore = s;
      best = e;
    }
  }
  if (best && bestScore >= threshold) return toMatch(best, 'jaro-winkler', bestScore, p.text);
  if (p.negated) return null; // "not dark" contains "dark" but means the opposite
  const stems = new Set(p.stems);
  let contained: Entry | null = null;
  for (const e of index.entries) {
    if (!e.phrase.stems.every((s) => stems.has(s))) continue;
    if (!contained || e.phrase.stems.length > contained.phrase.stems.length) contained = e;
  }
  return contained ? toMatch(contained, 'contains', contained.phrase.stems.length / p.stems.length, p.text) : null;
}

/**
 * DESIGN §3's free-text normalization: split the text into phrases, match each against the
 * vocabulary (`matchPhrase`); a phrase that matches nothing is split at conjunctions and the
 * parts are matched again; what still matches nothing becomes a proposed concept.
 */
export function normalizeFreeText(index: VocabularyIndex, text: string, threshold = JARO_WINKLER_THRESHOLD): NormalizedFreeText {
  const best = new Map<string, ConceptMatch>();
  const proposals: NormalizedPhrase[] = [];
  const keep = (m: ConceptMatch): void => {
    const prev = best.get(m.conceptId);
    if (!prev || rank(m) > rank(prev)) best.set(m.conceptId, m);
  };
  // Each phrase or part is normalized once: for matching, and as the proposal when nothing matches.
  const propose = (p: NormalizedPhrase): void => {
    if (p.stems.length > 0) proposals.push(p);
  };
  for (const phrase of splitPhrases(text)) {
    const normalized = normalizePhrase(phrase);
    const whole = matchNormalized(index, normalized, threshold);
    if (whole && whole.kind !== 'contains') {
      keep(whole);
      continue;
    }
    const parts = splitConjunctions(phrase);
    if (parts.length > 1) {
      for (const part of parts) {
        const p = normalizePhrase(part);
        const m = matchNormalized(index, p, threshold);
        if (m) keep(m);
        else propose(p);
      }
      continue;
    }
    if (whole) keep(whole);
    else propose(normalized);
  }
  return { matches: [...best.values()], proposals };
}

const KIND_RANK = { stem: 3, 'jaro-winkler': 2, contains: 1 } as const;
const rank = (m: ConceptMatch): number => KIND_RANK[m.kind] + m.score / 10;

function toMatch(e: Entry, kind: ConceptMatch['kind'], score: number, phrase: string): ConceptMatch {
  return { conceptId: e.conceptId, conceptName: e.conceptName, matched: e.text, via: e.via, kind, score, phrase };
}
