import type { TopLevelCondition } from 'json-rules-engine';
import { CaveatError } from '../errors';
import { compilePredicate, slotsFor, slotValues } from '../rejection/rule-compiler';
import { CONCEPT_PREFIX, referencedFacts } from '../rejection/rule-model';
import { validateConditions } from '../rejection/rule-validation';

/**
 * An `attribute` concept (DESIGN §3, source 1) is a json-rules-engine condition over an item's
 * attributes, e.g. {all: [{fact: 'age', operator: 'lessThan', value: 25}]}. Validation and
 * compilation are the rejector's (src/core/rejection), so a concept means the same thing when it
 * is computed for stored items here and when the rejector resolves it for a live request.
 */

export interface ConditionIssue {
  path: string;
  message: string;
}

/**
 * Issues in a condition (shape all/any/not, json-rules-engine's built-in operators, value types).
 * Facts must be attributes: a concept cannot be defined by another concept. When `attributes` is
 * given, unknown attribute names are reported with the closest known name.
 */
export function attributeConditionIssues(condition: unknown, attributes?: Iterable<string>, field = 'condition'): ConditionIssue[] {
  const issues: ConditionIssue[] = validateConditions(condition, attributes ? { attributes } : {}, field);
  if (issues.length > 0) return issues;
  for (const fact of referencedFacts([condition as TopLevelCondition])) {
    if (fact.startsWith(CONCEPT_PREFIX)) issues.push({ path: field, message: `an attribute concept reads attributes, not other concepts ('${fact}')` });
  }
  return issues;
}

/** The attribute names a condition reads, in order of first use. */
export const conditionAttributes = (condition: TopLevelCondition): string[] => referencedFacts([condition]);

/**
 * Compiles a validated condition into a predicate over an attributes object: true/false, or null
 * when an attribute it reads is absent (undefined) — the rejector leaves such a concept unresolved
 * rather than guessing (src/core/rejection/concept-resolution.ts), and so does this.
 */
export function compileAttributeCondition(condition: TopLevelCondition): (attributes: Readonly<Record<string, unknown>> | null) => boolean | null {
  const issues = attributeConditionIssues(condition);
  if (issues.length > 0) throw new CaveatError('invalid_input', `${issues[0].path}: ${issues[0].message}`, { field: issues[0].path });
  const slots = slotsFor([condition]);
  const predicate = compilePredicate(condition, slots);
  return (attributes) => {
    if (attributes === null || typeof attributes !== 'object') return null;
    const values = slotValues(slots, attributes);
    for (const v of values) if (v === undefined) return null;
    return predicate(values);
  };
}

/** Evaluates a condition over many items: 1 present, 0 absent, −1 unresolved (an attribute missing). */
export function evaluateAttributeCondition(condition: TopLevelCondition, items: ReadonlyArray<Readonly<Record<string, unknown>> | null>): Int8Array {
  const holds = compileAttributeCondition(condition);
  const out = new Int8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const v = holds(items[i]);
    out[i] = v === null ? -1 : v ? 1 : 0;
  }
  return out;
}
