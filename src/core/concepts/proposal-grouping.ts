import TfIdf from 'natural/lib/natural/tfidf/tfidf.js';
import { invalid } from '../errors';
import { normalizePhrase } from './text-normalizer';

export interface ProposalMention {
  text: string;
  /** How many times it was written (default 1). */
  count?: number;
}

export interface ProposalGroup {
  /** Distinct phrasings, most mentioned first, e.g. "dim lighting / low light / too dark". */
  label: string;
  /** Total mentions over the group. */
  mentions: number;
  members: Array<{ text: string; mentions: number; stems: string[] }>;
}

export interface GroupingOptions {
  /**
   * Cosine similarity of TF-IDF vectors at or above which two proposals join a group (single
   * linkage). Default 0.25. With natural's idf (1 + ln(N / (1 + df)), N distinct phrasings) two
   * two-word phrasings sharing one stem score x² / (x² + y²), x and y the idf of the shared and
   * the other stem: 0.26 when they are the only two phrasings, 0.34 among 3, about 0.42 among 10
   * ("dim lighting" ~ "low light"); phrasings with no stem in common score 0. Bag-of-stems
   * grouping also joins "low light" with "low contrast": the curator splits such groups.
   */
  threshold?: number;
  /**
   * Curator-declared links: phrases that mean the same thing (e.g. the aliases of one concept,
   * or ["dark", "dim"]). A one-word phrase maps its stem onto the first word's stem before
   * TF-IDF; proposals that equal any phrase of a link (same stem set) join one group.
   */
  links?: ReadonlyArray<readonly string[]>;
}

export const GROUPING_THRESHOLD = 0.25;

/**
 * Groups proposed concepts for a curator: mentions with the same stem set collapse into one
 * phrasing, then phrasings join when the cosine of their TF-IDF vectors (natural's TfIdf over
 * stemmed tokens) reaches the threshold, or when curator links say so (union–find, single
 * linkage). O(P²) in distinct phrasings. Groups are ordered by mentions, then label.
 */
export function groupProposals(mentions: readonly ProposalMention[], options: GroupingOptions = {}): ProposalGroup[] {
  const threshold = options.threshold ?? GROUPING_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw invalid('threshold', 'must be in (0, 1]');
  const { stemMap, linkOfKey } = prepareLinks(options.links ?? []);

  // Collapse mentions by stem set; the most written surface form names the phrasing.
  const phrasings = new Map<string, { stems: string[]; mentions: number; forms: Map<string, number> }>();
  mentions.forEach((m, i) => {
    const count = m.count ?? 1;
    if (!(Number.isInteger(count) && count >= 1)) throw invalid(`mentions[${i}].count`, 'must be an integer ≥ 1');
    const p = normalizePhrase(m.text);
    if (p.stems.length === 0) return;
    const stems = p.stems.map((s) => stemMap.get(s) ?? s);
    const key = [...new Set(stems)].sort().join(' ');
    let entry = phrasings.get(key);
    if (!entry) phrasings.set(key, (entry = { stems, mentions: 0, forms: new Map() }));
    entry.mentions += count;
    const form = p.text.toLowerCase();
    entry.forms.set(form, (entry.forms.get(form) ?? 0) + count);
  });
  const keys = [...phrasings.keys()].sort();
  const list = keys.map((k) => phrasings.get(k) as { stems: string[]; mentions: number; forms: Map<string, number> });

  const tfidf = new TfIdf();
  for (const p of list) tfidf.addDocument(p.stems); // arrays bypass natural's own tokenizer and stop words
  const vectors = list.map((p) => tfidfVector(p.stems, tfidf));

  const parent = list.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let a = 0; a < list.length; a++) {
    for (let b = a + 1; b < list.length; b++) if (cosine(vectors[a], vectors[b]) >= threshold) union(a, b);
  }
  const firstOfLink = new Map<number, number>();
  keys.forEach((k, i) => {
    const link = linkOfKey.get(k);
    if (link === undefined) return;
    const first = firstOfLink.get(link);
    if (first === undefined) firstOfLink.set(link, i);
    else union(first, i);
  });

  const groups = new Map<number, ProposalGroup['members']>();
  list.forEach((p, i) => {
    const root = find(i);
    const members = groups.get(root) ?? [];
    const text = [...p.forms].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0][0];
    members.push({ text, mentions: p.mentions, stems: p.stems });
    groups.set(root, members);
  });
  return [...groups.values()]
    .map((members) => {
      members.sort((x, y) => y.mentions - x.mentions || (x.text < y.text ? -1 : 1));
      return { label: members.map((m) => m.text).join(' / '), mentions: members.reduce((s, m) => s + m.mentions, 0), members };
    })
    .sort((x, y) => y.mentions - x.mentions || (x.label < y.label ? -1 : 1));
}

function prepareLinks(links: ReadonlyArray<readonly string[]>): { stemMap: Map<string, string>; linkOfKey: Map<string, number> } {
  const stemMap = new Map<string, string>();
  links.forEach((link) => {
    const single = link.map(normalizePhrase).filter((p) => p.stems.length === 1);
    for (const p of single.slice(1)) stemMap.set(p.stems[0], single[0].stems[0]);
  });
  const linkOfKey = new Map<string, number>();
  links.forEach((link, l) => {
    for (const text of link) {
      const p = normalizePhrase(text);
      if (p.stems.length === 0) continue;
      linkOfKey.set([...new Set(p.stems.map((s) => stemMap.get(s) ?? s))].sort().join(' '), l);
    }
  });
  return { stemMap, linkOfKey };
}

function tfidfVector(stems: string[], tfidf: TfIdf): Map<string, number> {
  const v = new Map<string, number>();
  for (const s of stems) v.set(s, (v.get(s) ?? 0) + 1);
  for (const [s, tf] of v) v.set(s, tf * tfidf.idf(s));
  return v;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, x] of a) {
    na += x * x;
    const y = b.get(t);
    if (y !== undefined) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Cosine similarity of two phrases' TF-IDF vectors over a corpus of phrases (exposed for tests and tuning). */
export function phraseCosine(a: string, b: string, corpus: readonly string[]): number {
  const tfidf = new TfIdf();
  for (const text of corpus) tfidf.addDocument(normalizePhrase(text).stems);
  return cosine(tfidfVector(normalizePhrase(a).stems, tfidf), tfidfVector(normalizePhrase(b).stems, tfidf));
}
