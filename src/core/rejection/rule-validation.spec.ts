import { formatIssue, validateRuleFiles, validateRules } from './rule-validation';

const good = {
  id: 'married-managers',
  sentence: 'Married managers are often misjudged.',
  action: { type: 'threshold', threshold: 0.8 },
  conditions: {
    all: [
      { fact: 'marital-status', operator: 'equal', value: 'Married-civ-spouse' },
      { fact: 'occupation', operator: 'in', value: ['Exec-managerial', 'Prof-specialty'] },
      { fact: 'concept:multiple-jobs', operator: 'equal', value: true },
    ],
  },
};
const withRule = (patch: Record<string, unknown>): Record<string, unknown> => ({ ...good, ...patch });
const withLeaf = (leaf: Record<string, unknown>): Record<string, unknown> => withRule({ conditions: { all: [leaf] } });

describe('validateRules: one message per mistake, naming where', () => {
  it('accepts a well-formed rule and returns it as an expert rule', () => {
    const r = validateRules([good], 'expert', { concepts: ['multiple-jobs'] });
    expect(r.issues).toEqual([]);
    expect(r.rules).toEqual([{ ...good, source: 'expert' }]);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['missing id', { ...good, id: undefined }, '[0].id', /must be a string/],
    ['id with a space', withRule({ id: 'a b' }), '[0].id', /letters, digits/],
    ['empty sentence', withRule({ sentence: '  ' }), '[0].sentence', /non-empty/],
    ['unknown action type', withRule({ action: { type: 'block' } }), '[0].action.type', /unknown action type 'block'/],
    ['threshold above 1', withRule({ action: { type: 'threshold', threshold: 1.5 } }), '[0].action.threshold', /\[0, 1\]/],
    ['threshold missing', withRule({ action: { type: 'threshold' } }), '[0].action', /missing 'threshold'/],
    ['a typo in a rule key', withRule({ sentense: 'x' }), '[0].sentense', /did you mean 'sentence'/],
    ['a typo in an operator', withLeaf({ fact: 'age', operator: 'lessthan', value: 3 }), '[0].conditions.all[0].operator', /did you mean 'lessThan'/],
    ['an operator json-rules-engine lacks', withLeaf({ fact: 'age', operator: 'startsWith', value: 3 }), '[0].conditions.all[0].operator', /unknown operator 'startsWith'/],
    ['a numeric operator with a string value', withLeaf({ fact: 'age', operator: 'lessThan', value: '30' }), '[0].conditions.all[0].value', /finite number/],
    ['in with a scalar', withLeaf({ fact: 'occupation', operator: 'in', value: 'Sales' }), '[0].conditions.all[0].value', /array of values/],
    ['in with an empty list', withLeaf({ fact: 'occupation', operator: 'in', value: [] }), '[0].conditions.all[0].value', /never matches/],
    ['in with an object inside', withLeaf({ fact: 'occupation', operator: 'in', value: ['a', { b: 1 }] }), '[0].conditions.all[0].value[1]', /string, number, boolean or null/],
    ['a concept compared with a string', withLeaf({ fact: 'concept:x', operator: 'equal', value: 'yes' }), '[0].conditions.all[0].value', /true\/false/],
    ['a concept with lessThan', withLeaf({ fact: 'concept:x', operator: 'lessThan', value: 1 }), '[0].conditions.all[0].value', /equal or notEqual/],
    ['predicted compared with a number', withLeaf({ fact: 'predicted', operator: 'equal', value: 1 }), '[0].conditions.all[0].value', /class name as a string/],
    ['confidence outside [0, 1]', withLeaf({ fact: 'confidence', operator: 'lessThan', value: 80 }), '[0].conditions.all[0].value', /\[0, 1\]/],
    ['contains on a scalar fact', withLeaf({ fact: 'predicted', operator: 'contains', value: 'a' }), '[0].conditions.all[0].value', /not a list/],
    ['a fact reference as value', withLeaf({ fact: 'age', operator: 'equal', value: { fact: 'x' } }), '[0].conditions.all[0].value', /fact references/],
    ['a path on a fact', withLeaf({ fact: 'age', operator: 'equal', value: 1, path: '$.x' }), '[0].conditions.all[0].path', /not supported/],
    ['missing value', withLeaf({ fact: 'age', operator: 'equal' }), '[0].conditions.all[0]', /missing 'value'/],
    ['empty any', withRule({ conditions: { any: [] } }), '[0].conditions.any', /empty 'any' as true/],
    ['a bare comparison at the root', withRule({ conditions: { fact: 'age', operator: 'equal', value: 1 } }), '[0].conditions', /root of conditions/],
    ['a shared condition reference', withRule({ conditions: { condition: 'x' } }), '[0].conditions.condition', /not supported/],
    ['all and any in one object', withRule({ conditions: { all: [], any: [] } }), '[0].conditions', /exactly one of all, any, not/],
    ['a comparison beside all', withRule({ conditions: { all: [], fact: 'x' } }), '[0].conditions.fact', /goes inside 'all'/],
    ['not given an array', withRule({ conditions: { not: [] } }), '[0].conditions.not', /one condition object/],
    ['a zero priority', withRule({ priority: 0 }), '[0].priority', /positive integer/],
    ['an event without type', withRule({ event: { params: {} } }), '[0].event', /string 'type'/],
  ])('%s', (_name, rule, path, message) => {
    const r = validateRules([rule], 'expert');
    expect(r.rules).toEqual([]);
    expect(r.issues).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })]);
  });

  it('checks concept names against the vocabulary only when one is given', () => {
    expect(validateRules([good], 'expert').issues).toEqual([]);
    const r = validateRules([good], 'expert', { concepts: ['multiple-job'] });
    expect(r.issues).toEqual([expect.objectContaining({ path: '[0].conditions.all[2].fact', message: "unknown concept 'multiple-jobs' (did you mean 'multiple-job'?)" })]);
  });

  it('checks attribute names when attributes are given; predicted and confidence always exist', () => {
    const rule = withRule({
      conditions: { all: [{ fact: 'ocupation', operator: 'equal', value: 'Sales' }, { fact: 'predicted', operator: 'equal', value: '>50K' }, { fact: 'confidence', operator: 'lessThan', value: 0.8 }] },
    });
    const r = validateRules([rule], 'expert', { attributes: ['occupation', 'age'] });
    expect(r.issues.map((i) => i.path)).toEqual(['[0].conditions.all[0].fact']);
    expect(r.issues[0].message).toMatch(/did you mean 'occupation'/);
  });

  it('reports a duplicate id on the later rule and keeps the first', () => {
    const r = validateRules([good, good], 'induced');
    expect(r.rules).toHaveLength(1);
    expect(r.rules[0].source).toBe('induced');
    expect(r.issues).toEqual([{ path: '[1].id', message: "duplicate id 'married-managers' (first used by rule [0])" }]);
  });
});

describe('validateRuleFiles: file:line:column for each issue', () => {
  const file = (name: string, text: string) => ({ name, text });

  it('points at the offending value inside the file', () => {
    const text = `[
  {
    "id": "r1",
    "sentence": "s",
    "action": {"type": "reject"},
    "conditions": {"all": [
      {"fact": "age", "operator": "lessThen", "value": 25}
    ]}
  }
]`;
    const r = validateRuleFiles([file('rules/a.json', text)]);
    expect(r.issues.map(formatIssue)).toEqual([
      "rules/a.json:7:35: [0].conditions.all[0].operator: unknown operator 'lessThen' (did you mean 'lessThan'?); json-rules-engine's are equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain",
    ]);
    expect(r.files).toEqual([{ name: 'rules/a.json', ruleCount: 1, issues: r.issues }]);
  });

  it('points at the key of an unknown key, and at the object for a missing field', () => {
    const text = '{\n  "id": "r1",\n  "sentence": "s",\n  "conditions": {"all": []},\n  "actoin": {"type": "reject"}\n}';
    const r = validateRuleFiles([file('one.json', text)]);
    expect(r.issues.map(formatIssue)).toEqual([
      "one.json:1:1: (root): missing 'action': {\"type\": \"reject\"} or {\"type\": \"threshold\", \"threshold\": <number in [0, 1]>}",
      "one.json:5:3: actoin: unknown key 'actoin' (did you mean 'action'?); a rule has id, sentence, action, conditions, event, name, priority, stats",
    ]);
  });

  it('accepts one rule per file or an array, and finds duplicate ids across files', () => {
    const rule = JSON.stringify(good);
    const r = validateRuleFiles([file('a.json', rule), file('b.json', `[\n${rule}\n]`)]);
    expect(r.rules).toHaveLength(1);
    expect(r.issues).toEqual([expect.objectContaining({ file: 'b.json', line: 2, message: "duplicate id 'married-managers' (first used at a.json:1:7)" })]);
  });

  it('reports a JSON syntax error with its position and goes on to the next file', () => {
    const r = validateRuleFiles([file('bad.json', '[\n  {"id": "x",}\n]'), file('ok.json', JSON.stringify([good]))]);
    expect(r.issues.map(formatIssue)).toEqual(["bad.json:2:14: (json): not valid JSON: unexpected '}', expected a quoted key"]);
    expect(r.rules.map((x) => x.id)).toEqual(['married-managers']);
  });

  it('drops the rules of a file with a repeated key, since one of the two values is silently lost', () => {
    const text = JSON.stringify(good).replace('"sentence"', '"id": "other", "sentence"');
    const r = validateRuleFiles([file('dup.json', text)]);
    expect(r.rules).toEqual([]);
    expect(r.issues).toEqual([expect.objectContaining({ path: '/id', message: 'duplicate key (JSON keeps only the last one)' })]);
  });
});
