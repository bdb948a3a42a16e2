import type { TopLevelCondition } from 'json-rules-engine';
import { empiricalThresholdIndex, REJECT_ALL, valueCurves, type ScalarCosts } from '../core/cost/value-curves';
import type { RuleAction } from '../core/rejection/rule-model';
import { compilePredicate, slotsFor, slotValues } from '../core/rejection/rule-compiler';

/**
 * The action of an induced rule from its subgroup's own value curve (DESIGN §5): the subgroup's
 * Tv. When even its most confident items lose value, the rule rejects outright.
 */
export function subgroupAction(
  condition: TopLevelCondition,
  facts: (i: number) => Record<string, unknown>,
  n: number,
  confidence: Float64Array,
  correct: Uint8Array,
  policy: ScalarCosts,
): { action: RuleAction; covered: number; subgroupTv: number | null } {
  const slots = slotsFor([condition]);
  const matches = compilePredicate(condition, slots);
  const conf: number[] = [];
  const ok: number[] = [];
  for (let i = 0; i < n; i++) {
    if (matches(slotValues(slots, facts(i)))) {
      conf.push(confidence[i]);
      ok.push(correct[i]);
    }
  }
  if (conf.length === 0) return { action: { type: 'reject' }, covered: 0, subgroupTv: null };
  const curves = valueCurves(Float64Array.from(conf), Uint8Array.from(ok), policy);
  const tv = curves.thresholds[empiricalThresholdIndex(curves, policy)];
  if (tv >= REJECT_ALL) return { action: { type: 'reject' }, covered: conf.length, subgroupTv: null };
  return { action: { type: 'threshold', threshold: tv }, covered: conf.length, subgroupTv: tv };
}
