/** The random rule sets both decision benches use (200 rules over 100 concepts). */
import type { TopLevelCondition } from 'json-rules-engine';
import { conceptFact, type CaveatRule, type RuleAction } from '../src/core/rejection/rule-model';
import type { Rng } from '../src/core/random/rng';

export const CONCEPTS = 100;
export const OCCUPATIONS = ['Exec-managerial', 'Prof-specialty', 'Sales', 'Craft-repair', 'Adm-clerical', 'Other-service', '?'];
export const concept = (k: number): string => `c${k}`;

export type RandomRule = Omit<CaveatRule, 'source' | 'stats'>;

/**
 * A random rule: 2–3 concept tests, sometimes an attribute or confidence test, inside all/any
 * (and a not now and then). `round` gives thresholds three decimals, as a rule file would.
 */
export function randomRule(i: number, rng: Rng, round = false): RandomRule {
  const r3 = (x: number): number => (round ? Math.round(x * 1000) / 1000 : x);
  const leaves: Array<Record<string, unknown>> = [];
  const nConcepts = 2 + rng.int(2);
  // The first test asks for a concept's presence (as induced rules mostly do), later ones either way.
  for (let j = 0; j < nConcepts; j++) leaves.push({ fact: conceptFact(concept(rng.int(CONCEPTS))), operator: 'equal', value: j === 0 || rng.next() < 0.7 });
  const r = rng.next();
  if (r < 0.25) leaves.push({ fact: 'age', operator: rng.next() < 0.5 ? 'lessThan' : 'greaterThanInclusive', value: 20 + rng.int(50) });
  else if (r < 0.45) leaves.push({ fact: 'occupation', operator: 'in', value: [OCCUPATIONS[rng.int(7)], OCCUPATIONS[rng.int(7)]] });
  else if (r < 0.55) leaves.push({ fact: 'confidence', operator: 'lessThan', value: r3(0.7 + 0.25 * rng.next()) });
  const root = rng.next();
  // `any` only over presence tests: "any of these concepts is present".
  const anyOf = () => ({ any: leaves.slice(0, nConcepts).map((l) => ({ ...l, value: true })) });
  const conditions = (root < 0.8 ? { all: leaves } : root < 0.95 ? anyOf() : { all: [leaves[0], { not: leaves[leaves.length - 1] }] }) as TopLevelCondition;
  const action: RuleAction = rng.next() < 0.15 ? { type: 'reject' } : { type: 'threshold', threshold: r3(0.7 + 0.25 * rng.next()) };
  return { id: `r${i}`, sentence: `rule ${i} in words`, action, conditions };
}
