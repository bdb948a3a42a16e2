import type { RuleProperties, TopLevelCondition } from 'json-rules-engine';

/**
 * The rule model of the rejector (DESIGN §5). Conditions are json-rules-engine conditions,
 * evaluated over flat facts (see README.md in this folder for the fact names).
 */

/** What a matched rule does: reject outright, or raise the confidence threshold inside its subgroup. */
export type RuleAction = { type: 'reject' } | { type: 'threshold'; threshold: number };

/** Any condition that may appear inside `all`/`any`/`not` (json-rules-engine does not export the name). */
export type NestedCondition = Extract<TopLevelCondition, { all: unknown }>['all'][number];

/** A leaf comparison `{fact, operator, value}`. */
export type LeafCondition = Exclude<NestedCondition, TopLevelCondition>;

export interface CaveatRule {
  id: string;
  /** The rule in words, shown to whoever asks why an item was rejected. */
  sentence: string;
  action: RuleAction;
  conditions: TopLevelCondition;
  /** Induction statistics (support, failure rate, lift, gain …), when induced. */
  stats?: Record<string, unknown>;
  source: 'induced' | 'expert';
}

export interface RuleSet {
  model: string;
  version: number;
  rules: CaveatRule[];
}

/**
 * One rule as written in a `rules/*.json` file: json-rules-engine rule JSON (conditions, and
 * optionally name, priority, event) plus Caveat's id, sentence and action.
 */
export type ExpertRuleJson = Omit<RuleProperties, 'event' | 'onSuccess' | 'onFailure'> &
  Partial<Pick<RuleProperties, 'event'>> & {
    id: string;
    sentence: string;
    action: RuleAction;
    stats?: Record<string, unknown>;
  };

/** The json-rules-engine built-in operators; the only ones Caveat accepts (they are what compiles). */
export const OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const isOperator = (name: unknown): name is Operator => typeof name === 'string' && (OPERATORS as readonly string[]).includes(name);

/** Fact holding the model's predicted class. */
export const PREDICTED_FACT = 'predicted';
/** Fact holding the model's confidence as the caller sent it (before recalibration). */
export const CONFIDENCE_FACT = 'confidence';
/** Concept facts are named `concept:<name>` and hold true/false (undefined when unresolved). */
export const CONCEPT_PREFIX = 'concept:';

export const conceptFact = (concept: string): string => CONCEPT_PREFIX + concept;

/** The concept name of a fact, or undefined when the fact is not a concept fact. */
export const conceptOfFact = (fact: string): string | undefined =>
  fact.startsWith(CONCEPT_PREFIX) ? fact.slice(CONCEPT_PREFIX.length) : undefined;

/** The event a rule fires in json-rules-engine (the same shape induction emits). */
export const RULE_EVENT_TYPE = 'caveat.rule';

/** The json-rules-engine form of a rule: name = id, event params carry id, sentence, action and stats. */
export function toEngineRule(rule: CaveatRule): RuleProperties {
  const params: Record<string, unknown> = { id: rule.id, sentence: rule.sentence, action: rule.action };
  if (rule.stats !== undefined) params.stats = rule.stats;
  return { name: rule.id, conditions: rule.conditions, event: { type: RULE_EVENT_TYPE, params } };
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The boolean operator of a condition, checked in json-rules-engine's order (any, all, not), or undefined for a leaf. */
export function booleanOperatorOf(condition: object): 'any' | 'all' | 'not' | undefined {
  if (has(condition, 'any')) return 'any';
  if (has(condition, 'all')) return 'all';
  if (has(condition, 'not')) return 'not';
  return undefined;
}

/** Calls `visit` on every leaf condition under `condition`, depth first, in document order. */
export function forEachLeaf(condition: TopLevelCondition | NestedCondition, visit: (leaf: LeafCondition) => void): void {
  const c = condition as Record<string, unknown>;
  const op = booleanOperatorOf(c);
  if (op === 'not') forEachLeaf(c.not as NestedCondition, visit);
  else if (op !== undefined) for (const s of c[op] as NestedCondition[]) forEachLeaf(s, visit);
  else if (typeof c.fact === 'string') visit(condition as LeafCondition);
}

/** The distinct fact names a condition reads, in order of first use. */
export function referencedFacts(conditions: Iterable<TopLevelCondition | NestedCondition>): string[] {
  const seen = new Set<string>();
  for (const c of conditions) forEachLeaf(c, (leaf) => seen.add(leaf.fact));
  return [...seen];
}

/** The distinct concept names a set of rules reads. */
export function referencedConcepts(rules: Iterable<{ conditions: TopLevelCondition }>): string[] {
  const out: string[] = [];
  for (const f of referencedFacts([...rules].map((r) => r.conditions))) {
    const c = conceptOfFact(f);
    if (c !== undefined) out.push(c);
  }
  return out;
}
