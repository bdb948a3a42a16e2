import { CaveatError } from '../core/errors';
import { checkAction, checkRuleValues, mergeRuleValues } from './rule-input';

const rule = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  sentence: `rule ${id}`,
  action: { type: 'reject' },
  conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] },
  ...extra,
});

function thrown(f: () => unknown): CaveatError {
  try {
    f();
  } catch (e) {
    if (e instanceof CaveatError) return e;
    throw e;
  }
  throw new Error('expected a CaveatError');
}

describe('checkRuleValues', () => {
  it('gives every rule of an expert set the source expert', () => {
    const rules = checkRuleValues([rule('a'), rule('b', { source: 'expert' })], 'expert', {});
    expect(rules.map((r) => [r.id, r.source])).toEqual([
      ['a', 'expert'],
      ['b', 'expert'],
    ]);
  });
  it('keeps each rule its own source in a mixed set', () => {
    const rules = checkRuleValues([rule('a', { source: 'induced', stats: { support: 0.1 } }), rule('b', { source: 'expert' })], 'mixed', {});
    expect(rules.map((r) => r.source)).toEqual(['induced', 'expert']);
    expect(rules[0].stats).toEqual({ support: 0.1 });
  });
  it.each([
    ['a bad operator, naming the rule and the field', [rule('a'), rule('b', { conditions: { all: [{ fact: 'age', operator: 'lessThen', value: 1 }] } })], 'expert', 'rules[1].conditions.all[0].operator', 'b'],
    ['a missing sentence', [{ id: 'x', action: { type: 'reject' }, conditions: { all: [] } }], 'expert', 'rules[0]', 'x'],
    ['a threshold out of range', [rule('t', { action: { type: 'threshold', threshold: 1.5 } })], 'induced', 'rules[0].action.threshold', 't'],
    ['a source differing from the set', [rule('a', { source: 'induced' })], 'expert', 'rules[0].source', 'a'],
    ['no source in a mixed set', [rule('a')], 'mixed', 'rules[0].source', 'a'],
    ['a duplicate id', [rule('a'), rule('a')], 'expert', 'rules[1].id', 'a'],
  ] as const)('400 on %s', (_name, values, source, field, ruleId) => {
    const e = thrown(() => checkRuleValues(values, source, {}));
    expect(e.code).toBe('invalid_input');
    expect(e.details).toMatchObject({ field, rule: ruleId });
    expect(e.message).toContain(`${field} (rule '${ruleId}')`);
  });
  it('checks concept names against a vocabulary when one is given', () => {
    const r = rule('c', { conditions: { all: [{ fact: 'concept:multiple-jobs', operator: 'equal', value: true }] } });
    expect(checkRuleValues([r], 'expert', { concepts: ['multiple-jobs'] })).toHaveLength(1);
    const e = thrown(() => checkRuleValues([r], 'expert', { concepts: ['multiple-job'] }));
    expect(e.details.field).toBe('rules[0].conditions.all[0].fact');
    expect(e.message).toMatch(/unknown concept 'multiple-jobs'/);
  });
  it('lists every issue, in rule order', () => {
    const e = thrown(() => checkRuleValues([rule('a', { source: 'x' }), rule('b', { sentence: '' })], 'expert', {}));
    expect((e.details.issues as Array<{ field: string }>).map((i) => i.field)).toEqual(['rules[0].source', 'rules[1].sentence']);
    expect(e.message).toMatch(/and 1 more issue\)$/);
  });
});

describe('mergeRuleValues', () => {
  const induced = { version: 1, source: 'induced' as const, rules: [{ id: 'i1', sentence: 's', conditions: { all: [] }, source: 'induced' }] };
  const expert = { version: 2, source: 'expert' as const, rules: [rule('e1', { source: 'expert' }), rule('e2', { source: 'expert' })] };

  it('concatenates in the order given and defaults an induced rule without action to reject', () => {
    const m = mergeRuleValues([induced, expert]);
    expect((m.values as Array<{ id: string }>).map((v) => v.id)).toEqual(['i1', 'e1', 'e2']);
    expect(m.values[0]).toMatchObject({ action: { type: 'reject' }, source: 'induced' });
    expect(m.where(2)).toBe('v2.rules[1]');
  });
  it('applies given actions by id', () => {
    const m = mergeRuleValues([induced, expert], { i1: { type: 'threshold', threshold: 0.9 }, e2: { type: 'threshold', threshold: 0.7 } });
    expect(m.values[0]).toMatchObject({ action: { type: 'threshold', threshold: 0.9 } });
    expect(m.values[2]).toMatchObject({ action: { type: 'threshold', threshold: 0.7 } });
  });
  it('fills the source of rules stored without one from their set', () => {
    const m = mergeRuleValues([{ version: 4, source: 'induced', rules: [{ id: 'x', sentence: 's', conditions: { all: [] } }] }]);
    expect(m.values[0]).toMatchObject({ source: 'induced', action: { type: 'reject' } });
    expect(checkRuleValues(m.values, 'mixed', {}, m.where)[0]).toMatchObject({ id: 'x', source: 'induced' });
  });
  it('409 naming every duplicated id and its versions', () => {
    const e = thrown(() => mergeRuleValues([expert, { ...expert, version: 3 }]));
    expect(e.code).toBe('conflict');
    expect(e.details.duplicates).toEqual([
      { id: 'e1', versions: [2, 3] },
      { id: 'e2', versions: [2, 3] },
    ]);
  });
  it('400 on an action for an unknown rule or a malformed action', () => {
    expect(thrown(() => mergeRuleValues([expert], { nope: { type: 'reject' } })).details.field).toBe('actions.nope');
    expect(thrown(() => mergeRuleValues([expert], { e1: { type: 'threshold' } })).details.field).toBe('actions.e1');
  });
});

describe('checkAction', () => {
  it.each([
    [{ type: 'reject' }, { type: 'reject' }],
    [{ type: 'threshold', threshold: 0 }, { type: 'threshold', threshold: 0 }],
    [{ type: 'threshold', threshold: 1 }, { type: 'threshold', threshold: 1 }],
  ])('accepts %j', (input, expected) => {
    expect(checkAction(input, 'a')).toEqual(expected);
  });
  it.each([[{ type: 'reject', x: 1 }], [{ type: 'threshold', threshold: -0.1 }], [{ type: 'threshold', threshold: '0.5' }], [{ type: 'skip' }], [null], ['reject']])('refuses %j', (input) => {
    expect(thrown(() => checkAction(input, 'actions.r')).details.field).toBe('actions.r');
  });
});
