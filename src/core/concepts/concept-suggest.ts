import JaroWinklerDistance from 'natural/lib/natural/distance/jaro-winkler_distance.js';
import { foldText } from './text-normalizer';
import type { VocabularyConcept } from './vocabulary-matcher';

export interface ConceptSuggestion {
  conceptId: string;
  name: string;
  /** The name or alias that matched the typed text. */
  matched: string;
  via: 'name' | 'alias';
  /** 0 = starts with the query, 1 = a later word starts with it, 2 = near spelling of a prefix. */
  tier: 0 | 1 | 2;
  /** Jaro–Winkler similarity of the query and the best-matching prefix (1 for exact prefixes). */
  score: number;
}

/**
 * Typo tolerance while typing: lower than the matching threshold because a prefix has few
 * letters to compare ("blr" ~ "blu" is 0.82 with natural's Jaro–Winkler).
 */
export const SUGGEST_THRESHOLD = 0.8;

/**
 * Typeahead over a vocabulary's names and aliases: candidates whose text starts with the query,
 * then those with a word starting with it, then near spellings of a prefix (Jaro–Winkler of the
 * query against each word's prefix of the query's length + 1 ≥ 0.8); ranked by tier, score,
 * shorter text, then alphabetically; one suggestion per concept.
 */
export function suggestConcepts(concepts: readonly VocabularyConcept[], query: string, limit = 8): ConceptSuggestion[] {
  const q = foldText(query).replace(/\s+/g, ' ').trim();
  if (q === '' || limit <= 0) return [];
  const best = new Map<string, ConceptSuggestion>();
  for (const c of concepts) {
    const texts: Array<[string, 'name' | 'alias']> = [[c.name, 'name'], ...(c.aliases ?? []).map((a): [string, 'alias'] => [a, 'alias'])];
    for (const [text, via] of texts) {
      const s = scoreCandidate(q, foldText(text));
      if (!s) continue;
      const candidate: ConceptSuggestion = { conceptId: c.id, name: c.name, matched: text, via, ...s };
      const prev = best.get(c.id);
      if (!prev || better(candidate, prev)) best.set(c.id, candidate);
    }
  }
  return [...best.values()].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0)).slice(0, limit);
}

function scoreCandidate(q: string, t: string): { tier: 0 | 1 | 2; score: number } | null {
  if (t.startsWith(q)) return { tier: 0, score: 1 };
  const words = t.split(/[^a-z0-9]+/).filter((w) => w !== '');
  if (words.some((w) => w.startsWith(q)) || t.includes(` ${q}`)) return { tier: 1, score: 1 };
  let score = 0;
  for (const w of [t, ...words]) score = Math.max(score, JaroWinklerDistance(q, w.slice(0, q.length + 1)));
  return score >= SUGGEST_THRESHOLD ? { tier: 2, score } : null;
}

function better(a: ConceptSuggestion, b: ConceptSuggestion): boolean {
  if (a.tier !== b.tier) return a.tier < b.tier;
  if (a.score !== b.score) return a.score > b.score;
  if (a.matched.length !== b.matched.length) return a.matched.length < b.matched.length;
  return a.matched < b.matched;
}
