import type { TopLevelCondition } from 'json-rules-engine';
import { referenceEngine } from '../rejection/engine-reference';
import { attributeConditionIssues, compileAttributeCondition, evaluateAttributeCondition } from './attribute-condition';

const young: TopLevelCondition = { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] };
const youngOrStudent: TopLevelCondition = {
  any: [
    { fact: 'age', operator: 'lessThan', value: 25 },
    { fact: 'occupation', operator: 'in', value: ['student', 'intern'] },
  ],
};
const notSales: TopLevelCondition = { not: { fact: 'occupation', operator: 'equal', value: 'Sales' } };

describe('attribute concepts: validation', () => {
  it.each([
    { scenario: 'age under 25', condition: young, issue: null },
    { scenario: 'any of two comparisons', condition: youngOrStudent, issue: null },
    { scenario: 'a root that is a bare comparison', condition: { fact: 'age', operator: 'lessThan', value: 25 }, issue: 'condition' },
    { scenario: 'an operator json-rules-engine does not ship', condition: { all: [{ fact: 'age', operator: 'below', value: 25 }] }, issue: 'condition.all[0].operator' },
    { scenario: 'a numeric operator with a string', condition: { all: [{ fact: 'age', operator: 'lessThan', value: 'x' }] }, issue: 'condition.all[0].value' },
    { scenario: 'a concept fact', condition: { all: [{ fact: 'concept:dark', operator: 'equal', value: true }] }, issue: 'condition' },
    { scenario: 'not an object', condition: 'age < 25', issue: 'condition' },
  ])('$scenario', ({ condition, issue }) => {
    const issues = attributeConditionIssues(condition);
    if (issue === null) expect(issues).toEqual([]);
    else expect(issues[0].path).toBe(issue);
  });
  it('names the closest known attribute when the vocabulary is given', () => {
    const issues = attributeConditionIssues({ all: [{ fact: 'agee', operator: 'lessThan', value: 25 }] }, ['age', 'occupation']);
    expect(issues[0]).toMatchObject({ path: 'condition.all[0].fact' });
    expect(issues[0].message).toContain("'age'");
  });
});

describe('attribute concepts: evaluation', () => {
  const items = [
    { age: 20, occupation: 'Sales' },
    { age: 30, occupation: 'student' },
    { age: 30, occupation: 'Sales' },
    { occupation: 'Sales' },
    { age: '19', occupation: 'intern' },
    null,
  ];
  it.each([
    { scenario: 'age < 25 (a missing age is unresolved, a numeric string compares)', condition: young, expected: [1, 0, 0, -1, 1, -1] },
    { scenario: 'age < 25 or student/intern (needs both attributes)', condition: youngOrStudent, expected: [1, 1, 0, -1, 1, -1] },
    { scenario: 'not Sales', condition: notSales, expected: [0, 1, 0, 0, 1, -1] },
  ])('$scenario', ({ condition, expected }) => {
    expect(Array.from(evaluateAttributeCondition(condition, items))).toEqual(expected);
  });
  it('agrees with json-rules-engine on every resolved item', async () => {
    for (const condition of [young, youngOrStudent, notSales]) {
      const engine = referenceEngine([condition]);
      const holds = compileAttributeCondition(condition);
      for (const item of items) {
        if (item === null) continue;
        const v = holds(item);
        if (v === null) continue;
        expect(v).toBe((await engine.match(item)).length === 1);
      }
    }
  });
  it('refuses to compile an invalid condition, naming the field', () => {
    expect(() => compileAttributeCondition({ all: [{ fact: 'age', operator: 'below', value: 1 }] } as never)).toThrow(
      expect.objectContaining({ code: 'invalid_input', details: expect.objectContaining({ field: 'condition.all[0].operator' }) }),
    );
  });
});
