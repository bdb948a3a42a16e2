import type { TopLevelCondition } from 'json-rules-engine';
import { compileConditions, compilePredicate, factSlots } from './rule-compiler';
import { referenceEngine } from './engine-reference';

const leaf = (fact: string, operator: string, value: unknown): TopLevelCondition => ({ all: [{ fact, operator, value }] });

describe('compiled conditions follow json-rules-engine 7.3.1, case by case', () => {
  it.each<[string, TopLevelCondition, Record<string, unknown>, boolean]>([
    ['equal is ===, so 5 does not equal "5"', leaf('x', 'equal', 5), { x: '5' }, false],
    ['equal on a matching string', leaf('x', 'equal', 'Husband'), { x: 'Husband' }, true],
    ['notEqual holds for a missing fact', leaf('x', 'notEqual', 5), {}, true],
    ['equal null does not match a missing fact (undefined !== null)', leaf('x', 'equal', null), {}, false],
    ['lessThan is false for a missing fact', leaf('x', 'lessThan', 5), {}, false],
    ['greaterThan is false for a missing fact', leaf('x', 'greaterThan', -5), {}, false],
    ['lessThan on a numeric string coerces: "3" < 5', leaf('x', 'lessThan', 5), { x: '3' }, true],
    ['lessThan on "3abc" passes the parseFloat check but "3abc" < 5 is false', leaf('x', 'lessThan', 5), { x: '3abc' }, false],
    ['lessThan on a one-element array coerces: [3] < 5', leaf('x', 'lessThan', 5), { x: [3] }, true],
    ['lessThan on a boolean fails the number check', leaf('x', 'lessThan', 5), { x: true }, false],
    ['lessThan on null fails the number check', leaf('x', 'lessThan', 5), { x: null }, false],
    ['lessThan on NaN is false', leaf('x', 'lessThan', 5), { x: Number.NaN }, false],
    ['lessThanInclusive includes the bound', leaf('x', 'lessThanInclusive', 5), { x: 5 }, true],
    ['greaterThanInclusive includes the bound', leaf('x', 'greaterThanInclusive', 0.5), { x: 0.5 }, true],
    ['greaterThan excludes the bound', leaf('x', 'greaterThan', 0.5), { x: 0.5 }, false],
    ['in finds a member', leaf('x', 'in', ['a', 'b']), { x: 'b' }, true],
    ['in is false for a missing fact', leaf('x', 'in', ['a', null]), {}, false],
    ['in uses ===: 1 is not in ["1"]', leaf('x', 'in', ['1']), { x: 1 }, false],
    ['in over a long list (Set path)', leaf('x', 'in', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), { x: 11 }, true],
    ['in over a long list, absent', leaf('x', 'in', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), { x: 13 }, false],
    ['notIn holds for a missing fact', leaf('x', 'notIn', ['a']), {}, true],
    ['notIn over a long list', leaf('x', 'notIn', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { x: 3 }, false],
    ['in with a string value is a substring test', leaf('x', 'in', 'abc'), { x: 'b' }, true],
    ['contains finds an element of an array fact', leaf('x', 'contains', 'dark'), { x: ['small', 'dark'] }, true],
    ['contains is false on a string fact (not an array)', leaf('x', 'contains', 'a'), { x: 'abc' }, false],
    ['contains is false for a missing fact', leaf('x', 'contains', 'a'), {}, false],
    ['doesNotContain is false for a missing fact', leaf('x', 'doesNotContain', 'a'), {}, false],
    ['doesNotContain on an array without the value', leaf('x', 'doesNotContain', 'a'), { x: ['b'] }, true],
    ['empty all is true', { all: [] }, {}, true],
    ['empty any is true too (the engine treats it like all)', { any: [] }, {}, true],
    ['not of empty any is false', { not: { any: [] } }, {}, false],
    ['any holds when one branch holds', { any: [{ fact: 'x', operator: 'equal', value: 1 }, { fact: 'y', operator: 'equal', value: 2 }] }, { y: 2 }, true],
    ['all fails when one branch fails', { all: [{ fact: 'x', operator: 'equal', value: 1 }, { fact: 'y', operator: 'equal', value: 2 }] }, { x: 1 }, false],
    ['not inverts a nested all', { not: { all: [{ fact: 'x', operator: 'equal', value: 1 }] } }, { x: 2 }, true],
    ['a concept fact compared with true', leaf('concept:dark', 'equal', true), { 'concept:dark': true }, true],
    ['an unresolved concept is neither true nor false', leaf('concept:dark', 'equal', false), {}, false],
    ['an inherited property (hasOwnProperty) is not a fact', leaf('hasOwnProperty', 'equal', undefined), {}, true],
    ['a fact name with quotes and backslashes', leaf('a"b\\c', 'equal', 'x"y\\z'), { 'a"b\\c': 'x"y\\z' }, true],
  ])('%s', async (_name, conditions, facts, expected) => {
    const compiled = compileConditions([conditions]);
    expect(compiled.match(facts).length === 1).toBe(expected);
    // The table itself is checked against the engine, so a wrong expectation cannot hide.
    expect((await referenceEngine([conditions]).match(facts)).length === 1).toBe(expected);
  });

  it('returns matched indices ascending across more rules than one generated chunk', () => {
    const conditions = Array.from({ length: 100 }, (_, i) => leaf('x', 'greaterThanInclusive', i));
    const compiled = compileConditions(conditions);
    expect(compiled.match({ x: 40.5 })).toEqual(Array.from({ length: 41 }, (_, i) => i));
    const out = new Int32Array(100);
    expect(compiled.matchSlots([99], out)).toBe(100);
    expect(compiled.matchSlots([-1], out)).toBe(0);
  });

  it('reads facts by slot, so one slot layout can serve several compiled sets', () => {
    const slots = factSlots(['age', 'sex']);
    const young = compilePredicate({ all: [{ fact: 'age', operator: 'lessThan', value: 25 }] }, slots);
    expect(young([19, 'Male'])).toBe(true);
    expect(young([30, 'Male'])).toBe(false);
    expect(young([undefined, 'Male'])).toBe(false);
  });

  it.each<[string, unknown]>([
    ['a condition reference', { condition: 'shared' }],
    ['a root that is a bare comparison', { fact: 'x', operator: 'equal', value: 1 }],
    ['an unknown operator', leaf('x', 'startsWith', 'a')],
    ['a fact reference as value', leaf('x', 'equal', { fact: 'y' })],
    ['a path on a fact', { all: [{ fact: 'x', operator: 'equal', value: 1, path: '$.a' }] }],
  ])('refuses %s rather than guess its semantics', (_name, conditions) => {
    expect(() => compileConditions([conditions as TopLevelCondition])).toThrow(expect.objectContaining({ code: 'unprocessable' }));
  });
});
