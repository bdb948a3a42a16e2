import { CaveatError } from '../errors';
import type { AggregationResult } from './aggregation-result';

export interface ConceptFlag {
  item: string;
  /** P(concept present | answers). */
  posterior: number;
  /** The flag rule induction reads: present iff posterior ≥ 0.5 (issue 5). */
  present: boolean;
  /** The item's design weight 1/π, or null for discovery-only items and items outside the design. */
  weight: number | null;
}

/**
 * Per-item concept flags from an aggregation of one concept's yes/no answers: the posterior of
 * `presentClass`, present when it is at least 0.5, with the item's sampling weight (DESIGN §3–4).
 * Items without answers are left out (there is nothing to flag).
 */
export function conceptFlags(
  result: AggregationResult,
  presentClass: string,
  weights: ReadonlyMap<string, number | null> = new Map(),
): ConceptFlag[] {
  const k = result.classes.indexOf(presentClass);
  if (k < 0) throw new CaveatError('unknown_class', `'${presentClass}' is not one of ${result.classes.join(', ')}`, { field: 'presentClass' });
  const K = result.classes.length;
  const flags: ConceptFlag[] = [];
  result.items.forEach((item, i) => {
    if (result.labels[i] < 0) return;
    const posterior = result.posteriors[i * K + k];
    flags.push({ item, posterior, present: posterior >= 0.5, weight: weights.get(item) ?? null });
  });
  return flags;
}
