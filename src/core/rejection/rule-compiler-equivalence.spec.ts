import fc from 'fast-check';
import type { TopLevelCondition } from 'json-rules-engine';
import { compileConditions } from './rule-compiler';
import { referenceEngine } from './engine-reference';
import type { NestedCondition } from './rule-model';

// The equivalence property issue 6 asks for: on random rule sets and random facts, the compiled
// predicate and json-rules-engine (one Engine per rule set, allowUndefinedFacts) match the same rules.

const FACTS = ['age', 'hours', 'occupation', 'married', 'tags', 'concept:dark', 'concept:small', 'predicted', 'confidence'];

// Values chosen to hit the engine's edge cases: coercing strings, NaN, null, arrays, booleans, -0.
const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double({ min: -5, max: 5, noNaN: true }),
  fc.constantFrom(Number.NaN, Infinity, -0, '3', '3abc', ' 2', 'a', 'b', 'Husband', '', 'true', true, false, null),
);
const factValue = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
// Constants as they appear in rule JSON (no NaN/Infinity).
const ruleScalar = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true }), fc.constantFrom('3', 'a', 'b', 'Husband', '', true, false, null));

const leaf: fc.Arbitrary<NestedCondition> = fc.oneof(
  fc.record({ fact: fc.constantFrom(...FACTS), operator: fc.constantFrom('equal', 'notEqual', 'contains', 'doesNotContain'), value: ruleScalar }),
  fc.record({
    fact: fc.constantFrom(...FACTS),
    operator: fc.constantFrom('lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'),
    value: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true }), fc.constantFrom('2')),
  }),
  fc.record({
    fact: fc.constantFrom(...FACTS),
    operator: fc.constantFrom('in', 'notIn'),
    // Up to 12 values, so both the inline test and the Set path are exercised; a string value is a substring test.
    value: fc.oneof({ weight: 5, arbitrary: fc.array(ruleScalar, { maxLength: 12 }) }, { weight: 1, arbitrary: fc.constantFrom('abc', 'Husband') }),
  }),
) as fc.Arbitrary<NestedCondition>;

const { tree } = fc.letrec<{ tree: NestedCondition }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.record({ all: fc.array(tie('tree'), { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ any: fc.array(tie('tree'), { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ not: tie('tree') }) },
  ) as fc.Arbitrary<NestedCondition>,
}));

const topLevel: fc.Arbitrary<TopLevelCondition> = fc.oneof(
  fc.record({ all: fc.array(tree, { maxLength: 4 }) }),
  fc.record({ any: fc.array(tree, { maxLength: 4 }) }),
  fc.record({ not: tree }),
);

const factsArb = fc
  .tuple(...FACTS.map((name) => fc.option(factValue, { nil: undefined, freq: 4 }).map((v) => [name, v] as const)), fc.boolean())
  .map((entries) => {
    const keepUndefined = entries.pop() as boolean;
    const facts: Record<string, unknown> = {};
    for (const [name, v] of entries as Array<readonly [string, unknown]>) {
      // A fact may be absent, or present with the value undefined: the engine treats both alike.
      if (v !== undefined || keepUndefined) facts[name] = v;
    }
    return facts;
  });

describe('compiled rule sets match exactly the rules json-rules-engine matches', () => {
  it('on random nested rule sets and random facts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(topLevel, { minLength: 1, maxLength: 8 }), fc.array(factsArb, { minLength: 1, maxLength: 8 }), async (rules, factSets) => {
        const compiled = compileConditions(rules);
        const engine = referenceEngine(rules);
        for (const facts of factSets) {
          expect(compiled.match(facts)).toEqual(await engine.match(facts));
        }
      }),
      { numRuns: 400 },
    );
  });
});
