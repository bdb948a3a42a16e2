import { Engine } from 'json-rules-engine';
import { referencedConcepts, referencedFacts, toEngineRule, type CaveatRule } from './rule-model';
import { validateConditions } from './rule-validation';

const rule: CaveatRule = {
  id: 'dark-small',
  sentence: 'The model fails when the photo is dark and the object is small.',
  action: { type: 'reject' },
  conditions: {
    all: [
      { fact: 'concept:dark', operator: 'equal', value: true },
      { any: [{ fact: 'concept:small', operator: 'equal', value: true }, { fact: 'size', operator: 'lessThan', value: 10 }] },
      { not: { fact: 'concept:dark', operator: 'equal', value: false } },
    ],
  },
  stats: { lift: 5.1 },
  source: 'induced',
};

describe('rule model', () => {
  it('lists the facts and concepts a rule reads, once each, in order of first use', () => {
    expect(referencedFacts([rule.conditions])).toEqual(['concept:dark', 'concept:small', 'size']);
    expect(referencedConcepts([rule])).toEqual(['dark', 'small']);
  });

  it('runs in json-rules-engine as the caveat.rule event carrying id, sentence, action and stats', async () => {
    const engine = new Engine([toEngineRule(rule)], { allowUndefinedFacts: true });
    const { events } = await engine.run({ 'concept:dark': true, size: 3 });
    expect(events).toEqual([{ type: 'caveat.rule', params: { id: 'dark-small', sentence: rule.sentence, action: { type: 'reject' }, stats: { lift: 5.1 } } }]);
    expect((await engine.run({ 'concept:dark': true, size: 30 })).events).toEqual([]);
  });

  it('validates a condition tree on its own, as an attribute concept definition', () => {
    expect(validateConditions({ all: [{ fact: 'age', operator: 'lessThan', value: 25 }] }, { attributes: ['age'] })).toEqual([]);
    expect(validateConditions({ all: [{ fact: 'age', operator: 'below', value: 25 }] })).toEqual([
      expect.objectContaining({ path: 'conditions.all[0].operator', message: expect.stringMatching(/unknown operator 'below'/) }),
    ]);
  });
});
