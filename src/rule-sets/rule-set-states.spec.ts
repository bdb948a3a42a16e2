import type { RuleSetState } from './rule-set.entity';
import { transitionRefusal, type TargetState } from './rule-set-states';

describe('rule set state transitions', () => {
  const allowed: Array<[RuleSetState, TargetState]> = [
    ['draft', 'active'],
    ['draft', 'shadow'],
    ['shadow', 'active'],
    ['active', 'retired'],
    ['shadow', 'retired'],
  ];
  const refused: Array<[RuleSetState, TargetState, RegExp]> = [
    ['active', 'active', /already active/],
    ['retired', 'active', /revert/],
    ['shadow', 'shadow', /already the shadow/],
    ['active', 'shadow', /only a draft/],
    ['retired', 'shadow', /revert/],
    ['draft', 'retired', /only an active or shadow/],
    ['retired', 'retired', /already retired/],
  ];

  it.each(allowed)('%s → %s is allowed', (from, to) => {
    expect(transitionRefusal(from, to)).toBeUndefined();
  });
  it.each(refused)('%s → %s is refused', (from, to, reason) => {
    expect(transitionRefusal(from, to)).toMatch(reason);
  });
  it('covers every pair exactly once', () => {
    expect(allowed.length + refused.length).toBe(4 * 3);
  });
});
