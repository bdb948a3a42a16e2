import type { RuleProperties } from 'json-rules-engine';
import type { RuleLiteral } from './types';
import { RULE_EVENT_TYPE } from '../rejection/rule-model';

/** A json-rules-engine leaf condition. */
export interface EngineCondition {
  fact: string;
  operator: 'equal' | 'greaterThanInclusive' | 'lessThan';
  value: string | number | boolean;
}

/**
 * A literal as json-rules-engine conditions. Facts: an attribute's own name (categorical values are
 * strings, compared with `equal`; numeric values are numbers, a bin [a, b) is
 * `greaterThanInclusive a` ∧ `lessThan b`, open ends omitted), `predicted` (the predicted class),
 * `confidence` (a number) and `concept:<name>` (true present, false absent; unknown = leave the fact
 * out, which matches neither). The engine must run with `allowUndefinedFacts: true`.
 */
export function literalConditions(l: RuleLiteral): EngineCondition[] {
  switch (l.kind) {
    case 'categorical':
    case 'predicted':
      return [{ fact: l.fact, operator: 'equal', value: l.value as string }];
    case 'concept':
      return [{ fact: l.fact, operator: 'equal', value: l.present === true }];
    case 'bin':
    case 'confidence': {
      const out: EngineCondition[] = [];
      if (l.lower !== null && l.lower !== undefined) out.push({ fact: l.fact, operator: 'greaterThanInclusive', value: l.lower });
      if (l.upper !== null && l.upper !== undefined) out.push({ fact: l.fact, operator: 'lessThan', value: l.upper });
      // A single all-covering bin still needs a condition that fails on a missing value.
      if (out.length === 0) out.push({ fact: l.fact, operator: 'greaterThanInclusive', value: -Number.MAX_VALUE });
      return out;
    }
  }
}

/** The rule in json-rules-engine form: all literals' conditions, and an event carrying id, sentence and statistics. */
export function engineRule(id: string, literals: readonly RuleLiteral[], sentence: string, stats: Record<string, unknown>): RuleProperties {
  return {
    name: id,
    conditions: { all: literals.flatMap(literalConditions) },
    event: { type: RULE_EVENT_TYPE, params: { id, sentence, stats } },
  };
}
