import type { RuleSetState } from './rule-set.entity';

/** A state a rule set can be moved to by a request (draft is only ever the starting state). */
export type TargetState = 'active' | 'shadow' | 'retired';

/**
 * Why `from` → `to` is not allowed, or undefined when it is (DESIGN §5, issue 6): a draft is
 * published as active or shadow; a shadow may be promoted to active; an active or shadow set is
 * retired. Published versions never go back to draft and a retired one is never live again
 * (revert publishes a copy as a new version instead).
 */
export function transitionRefusal(from: RuleSetState, to: TargetState): string | undefined {
  if (to === 'active') {
    if (from === 'draft' || from === 'shadow') return undefined;
    return from === 'active' ? 'it is already active' : 'it is retired: revert it to publish a copy as a new version';
  }
  if (to === 'shadow') {
    if (from === 'draft') return undefined;
    if (from === 'shadow') return 'it is already the shadow set';
    return from === 'active' ? 'it is active: only a draft can become the shadow set' : 'it is retired: revert it to publish a copy as a new version';
  }
  if (from === 'active' || from === 'shadow') return undefined;
  return from === 'draft' ? 'it is a draft: only an active or shadow set can be retired' : 'it is already retired';
}
