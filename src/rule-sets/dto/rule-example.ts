/** An example rule for the OpenAPI document (the shape of rules/README.md). */
export const RULE_EXAMPLE = {
  id: 'adult-missing-occupation-unsure',
  sentence: 'The census record has no occupation and the model is unsure: rejected.',
  action: { type: 'reject' },
  conditions: {
    all: [
      { fact: 'occupation', operator: 'equal', value: '?' },
      { fact: 'confidence', operator: 'lessThan', value: 0.85 },
    ],
  },
};

export const RULES_DESCRIPTION =
  'CaveatRules {id, sentence, action: {type:"reject"} | {type:"threshold", threshold}, conditions (json-rules-engine), stats?, source?}, ' +
  'ranked as given. `source` (induced | expert) may be left out unless the set is mixed. Validated like rule files: a 400 names the rule and the field.';

/** Most rules one set may hold (the rejector is benchmarked at 200). */
export const MAX_RULES = 10_000;
