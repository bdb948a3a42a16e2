import fc from 'fast-check';
import { DEFAULT_COST_POLICY, type CostPolicy } from '../cost/cost-policy';
import { FLAG_FALSE, FLAG_NOT_GIVEN, FLAG_TRUE } from './concept-resolution';
import { decide, decideChecked, type DecisionInput, type DecisionSettings } from './decide';
import { referenceEngine } from './engine-reference';
import { prepareRejector, type TextDetectors } from './rejector';
import type { CaveatRule } from './rule-model';

const rule = (id: string, action: CaveatRule['action'], all: Array<Record<string, unknown>>): CaveatRule => ({
  id,
  sentence: `sentence of ${id}`,
  action,
  conditions: { all } as CaveatRule['conditions'],
  source: 'expert',
});

const RULES: CaveatRule[] = [
  rule('dark-sales', { type: 'reject' }, [
    { fact: 'concept:dark', operator: 'equal', value: true },
    { fact: 'occupation', operator: 'equal', value: 'Sales' },
  ]),
  rule('married', { type: 'threshold', threshold: 0.9 }, [{ fact: 'marital-status', operator: 'equal', value: 'Married-civ-spouse' }]),
  rule('young', { type: 'threshold', threshold: 0.85 }, [{ fact: 'concept:young', operator: 'equal', value: true }]),
  rule('low-band-high-earner', { type: 'reject' }, [
    { fact: 'predicted', operator: 'equal', value: '>50K' },
    { fact: 'confidence', operator: 'lessThan', value: 0.75 },
  ]),
];

// A stand-in text detector: "dark" is present when the word occurs (the real ones live in src/core/detectors).
const text: TextDetectors<string[]> = {
  prepare: (t) => t.toLowerCase().split(/\W+/),
  detectors: [{ concept: 'dark', detect: (words) => words.includes('dark') }],
};
const rejector = prepareRejector({
  rules: RULES,
  attributeConcepts: [{ name: 'young', conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] } }],
  text: text as TextDetectors,
});
const base: DecisionSettings = { policy: { ...DEFAULT_COST_POLICY }, unresolvedConcepts: 'ignore', failMode: 'closed' };
const T = 4 / 6; // T* with V = 1, D = −1, W = −5

describe('decide: thresholds, rules and concepts (T* = 2/3 with the default policy)', () => {
  it.each<[string, DecisionInput, Partial<DecisionSettings>, { decision: string; threshold: number | null; rules: string[]; code: string; unresolved?: string[] }]>([
    ['accepts at T* with nothing matched', { confidence: T, predicted: '<=50K', concepts: { dark: false }, attributes: { age: 40 } }, {}, { decision: 'accept', threshold: T, rules: [], code: 'accepted' }],
    ['rejects just below T*', { confidence: 0.66, predicted: '<=50K', concepts: { dark: false }, attributes: { age: 40 } }, {}, { decision: 'reject', threshold: T, rules: [], code: 'below_threshold' }],
    ['a threshold rule raises the bar to 0.9', { confidence: 0.85, predicted: '<=50K', concepts: { dark: false }, attributes: { age: 40, 'marital-status': 'Married-civ-spouse' } }, {}, { decision: 'reject', threshold: 0.9, rules: ['married'], code: 'below_threshold' }],
    ['and an item above it is accepted', { confidence: 0.95, predicted: '<=50K', concepts: { dark: false }, attributes: { age: 40, 'marital-status': 'Married-civ-spouse' } }, {}, { decision: 'accept', threshold: 0.9, rules: ['married'], code: 'accepted' }],
    ['two threshold rules: the higher wins', { confidence: 0.88, predicted: '<=50K', concepts: { dark: false }, attributes: { age: 20, 'marital-status': 'Married-civ-spouse' } }, {}, { decision: 'reject', threshold: 0.9, rules: ['married', 'young'], code: 'below_threshold' }],
    ['an attribute concept (age < 25) raises the bar to 0.85', { confidence: 0.8, predicted: '<=50K', concepts: { dark: false }, attributes: { age: 20 } }, {}, { decision: 'reject', threshold: 0.85, rules: ['young'], code: 'below_threshold' }],
    ['a caller flag wins over the attribute definition', { confidence: 0.8, predicted: '<=50K', concepts: { dark: false, young: false }, attributes: { age: 20 } }, {}, { decision: 'accept', threshold: T, rules: [], code: 'accepted' }],
    ['a reject rule rejects whatever the confidence', { confidence: 0.99, predicted: '<=50K', concepts: { dark: true }, attributes: { age: 40, occupation: 'Sales' } }, {}, { decision: 'reject', threshold: T, rules: ['dark-sales'], code: 'rule_rejected' }],
    ['the text detector resolves an unflagged concept', { confidence: 0.99, predicted: '<=50K', text: 'A dark photo', attributes: { age: 40, occupation: 'Sales' } }, {}, { decision: 'reject', threshold: T, rules: ['dark-sales'], code: 'rule_rejected' }],
    ['rules read predicted and (raw) confidence', { confidence: 0.7, predicted: '>50K', concepts: { dark: false }, attributes: { age: 40 } }, {}, { decision: 'reject', threshold: T, rules: ['low-band-high-earner'], code: 'rule_rejected' }],
    ['an unresolved concept is reported and ignored by default', { confidence: 0.9, predicted: '<=50K', attributes: { age: 40, occupation: 'Sales' } }, {}, { decision: 'accept', threshold: T, rules: [], code: 'accepted', unresolved: ['dark'] }],
    ['an attribute concept without its attribute is unresolved', { confidence: 0.9, predicted: '<=50K', concepts: { dark: false } }, {}, { decision: 'accept', threshold: T, rules: [], code: 'accepted', unresolved: ['young'] }],
    ['an unresolved concept rejects under the reject policy', { confidence: 0.9, predicted: '<=50K', attributes: { age: 40 } }, { unresolvedConcepts: 'reject' }, { decision: 'reject', threshold: T, rules: [], code: 'unresolved_concepts', unresolved: ['dark'] }],
    ['the calibrated confidence is what meets the threshold', { confidence: 0.75, predicted: '<=50K', concepts: { dark: false }, attributes: { age: 40 } }, { calibrate: (c) => c - 0.1 }, { decision: 'reject', threshold: T, rules: [], code: 'below_threshold' }],
    ['a failing calibrator fails closed', { confidence: 0.99, predicted: '<=50K' }, { calibrate: () => Number.NaN }, { decision: 'reject', threshold: null, rules: [], code: 'internal_failure' }],
    ['or open, when the model says so', { confidence: 0.1, predicted: '<=50K' }, { calibrate: () => { throw new Error('boom'); }, failMode: 'open' }, { decision: 'accept', threshold: null, rules: [], code: 'internal_failure' }],
    ['no cost policy fails closed', { confidence: 0.99, predicted: '<=50K' }, { policy: undefined }, { decision: 'reject', threshold: null, rules: [], code: 'no_policy' }],
  ])('%s', (_name, input, settings, expected) => {
    const d = decide(input, rejector, { ...base, ...settings });
    expect(d.decision).toBe(expected.decision);
    if (expected.threshold === null) expect(d.threshold).toBeNull();
    else expect(d.threshold).toBeCloseTo(expected.threshold, 12);
    expect(d.matchedRules.map((r) => r.id)).toEqual(expected.rules);
    expect(d.reasonCode).toBe(expected.code);
    expect(d.unresolvedConcepts).toEqual(expected.unresolved ?? []);
  });

  it('states the reason in words, with the rule sentence', () => {
    const d = decide({ confidence: 0.85, predicted: '<=50K', concepts: { dark: false }, attributes: { 'marital-status': 'Married-civ-spouse', age: 40 } }, rejector, base);
    expect(d.reason).toBe("rejected: confidence 0.85 is below the threshold 0.9 set by rule 'married' (T* is 0.667): sentence of married");
    expect(d.matchedRules).toEqual([{ id: 'married', sentence: 'sentence of married', action: { type: 'threshold', threshold: 0.9 } }]);
  });

  it('ignores a flag inherited from a prototype (only own properties are flags)', () => {
    const flags = Object.create({ dark: true }) as Record<string, boolean>;
    const d = decide({ confidence: 0.99, predicted: '<=50K', concepts: flags, attributes: { age: 40, occupation: 'Sales' } }, rejector, base);
    expect(d.unresolvedConcepts).toEqual(['dark']);
    expect(d.decision).toBe('accept');
  });

  it('gives the expected value of accepting, c·V + (1−c)·W, and of rejecting, D', () => {
    const d = decide({ confidence: 0.8, predicted: '<=50K', concepts: { dark: false }, attributes: { age: 40 } }, rejector, base);
    expect(d.expectedValue.accept).toBeCloseTo(0.8 - 0.2 * 5, 12);
    expect(d.expectedValue.reject).toBe(-1);
    expect(d.calibratedConfidence).toBe(0.8);
  });

  it("uses Chow's rule with confusion costs when probabilities are given", () => {
    const policy: CostPolicy = { V: 1, D: -1, W: -5, confusionValues: { c: { a: -20 } } };
    const input = { confidence: 0.7, predicted: 'a', probabilities: { a: 0.7, b: 0.2, c: 0.1 }, concepts: { dark: false }, attributes: { age: 40 } };
    const d = decide(input, rejector, { ...base, policy });
    // 0.7·1 + 0.2·(−5) + 0.1·(−20) = −2.3 < D = −1, although c = 0.7 ≥ T*.
    expect(d.expectedValue.accept).toBeCloseTo(-2.3, 12);
    expect(d.decision).toBe('reject');
    expect(d.reasonCode).toBe('expected_value');
    // With uniform W the same probabilities accept: 0.7 − 0.3·5 = −0.8 ≥ −1.
    expect(decide(input, rejector, base).decision).toBe('accept');
  });

  it('rescales the other classes when a calibrator moves p(ŷ)', () => {
    const policy: CostPolicy = { V: 1, D: -1, W: -5, confusionValues: { c: { a: -20 } } };
    const input = { confidence: 0.7, predicted: 'a', probabilities: { a: 0.7, b: 0.2, c: 0.1 }, concepts: { dark: false }, attributes: { age: 40 } };
    // Calibrated p(a) = 0.85 leaves 0.15 for b and c in the ratio 2 : 1: 0.85 − 0.1·5 − 0.05·20 = −0.65.
    const d = decide(input, rejector, { ...base, policy, calibrate: () => 0.85 });
    expect(d.expectedValue.accept).toBeCloseTo(-0.65, 12);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a confidence above 1', { confidence: 1.2, predicted: 'a' }, 'confidence'],
    ['a missing predicted class', { confidence: 0.5 }, 'predicted'],
    ['a non-boolean concept flag', { confidence: 0.5, predicted: 'a', concepts: { dark: 'yes' } }, 'concepts.dark'],
    ['concepts given as a list', { confidence: 0.5, predicted: 'a', concepts: ['dark'] }, 'concepts'],
    ['a text that is not a string', { confidence: 0.5, predicted: 'a', text: 3 }, 'text'],
    ['probabilities without the predicted class', { confidence: 0.5, predicted: 'a', probabilities: { b: 1 } }, 'probabilities.a'],
    ['probabilities that do not sum to 1', { confidence: 0.5, predicted: 'a', probabilities: { a: 0.5, b: 0.2 } }, 'probabilities'],
  ])('refuses %s as invalid input rather than failing closed', (_name, input, field) => {
    expect(() => decide(input as unknown as DecisionInput, rejector, base)).toThrow(expect.objectContaining({ code: 'invalid_input', details: expect.objectContaining({ field }) }));
  });

  it('agrees with json-rules-engine on which rules match, and applies them as specified', async () => {
    const engine = referenceEngine(RULES.map((r) => r.conditions));
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('<=50K', '>50K'),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.option(fc.integer({ min: 17, max: 90 }), { nil: undefined }),
        fc.constantFrom('Sales', 'Exec-managerial', undefined),
        fc.constantFrom('Married-civ-spouse', 'Never-married', undefined),
        async (confidence, predicted, dark, age, occupation, marital) => {
          const attributes: Record<string, unknown> = { age, occupation, 'marital-status': marital };
          const concepts = dark === undefined ? undefined : { dark };
          const d = decide({ confidence, predicted, attributes, concepts }, rejector, base);
          const facts: Record<string, unknown> = { ...attributes, predicted, confidence, 'concept:dark': dark, 'concept:young': age === undefined ? undefined : age < 25 };
          const ids = (await engine.match(facts)).map((i) => RULES[i].id);
          expect(d.matchedRules.map((r) => r.id)).toEqual(ids);
          const matched = RULES.filter((r) => ids.includes(r.id));
          const threshold = Math.max(T, ...matched.map((r) => (r.action.type === 'threshold' ? r.action.threshold : 0)));
          const accept = !matched.some((r) => r.action.type === 'reject') && confidence >= threshold;
          expect(d.decision).toBe(accept ? 'accept' : 'reject');
          expect(d.threshold).toBeCloseTo(threshold, 12);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('caller flags as codes (read from the body by the decide routes)', () => {
  const CODE = { undefined: FLAG_NOT_GIVEN, false: FLAG_FALSE, true: FLAG_TRUE } as const;
  // Column lists in other orders than the rules', with names no rule reads and without some they read.
  const COLUMNS = [['dark', 'young', 'other'], ['other', 'young'], ['young', 'dark']];

  it('decide exactly as the same flags given as an object', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.record({ dark: fc.option(fc.boolean(), { nil: undefined }), young: fc.option(fc.boolean(), { nil: undefined }), other: fc.option(fc.boolean(), { nil: undefined }) }),
        fc.integer({ min: 0, max: COLUMNS.length - 1 }),
        fc.option(fc.integer({ min: 17, max: 90 }), { nil: undefined }),
        fc.constantFrom('Sales', undefined),
        fc.constantFrom('a dark room', undefined),
        fc.constantFrom<DecisionSettings['unresolvedConcepts']>('ignore', 'reject'),
        (confidence, given, c, age, occupation, words, unresolvedConcepts) => {
          const names = COLUMNS[c];
          const concepts: Record<string, boolean> = {};
          for (const n of names) if (given[n as keyof typeof given] !== undefined) concepts[n] = given[n as keyof typeof given]!;
          // Two rows: the item's is the second, after a row of other flags.
          const codes = new Uint8Array(names.length * 2).fill(FLAG_TRUE);
          names.forEach((n, j) => (codes[names.length + j] = CODE[String(concepts[n]) as keyof typeof CODE]));
          const common = { confidence, predicted: '<=50K', attributes: { age, occupation }, text: words };
          const settings = { ...base, unresolvedConcepts };
          const asObject = decide({ ...common, concepts }, rejector, settings);
          const asCodes = decide({ ...common, flagCodes: { names, codes, at: names.length } }, rejector, settings);
          expect(asCodes).toEqual(asObject);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('decideChecked with a prepared-text memo (active and shadow deciding one request)', () => {
  // Counts preparations; "dark" is present when the word occurs.
  const counting = () => {
    const detectors = { calls: 0, prepare: (t: string) => (detectors.calls++, t.toLowerCase().split(/\W+/)), detectors: [{ concept: 'dark', detect: (w: string[]) => w.includes('dark') }] };
    return detectors;
  };
  const shadowRules = [rule('dark-any', { type: 'reject' }, [{ fact: 'concept:dark', operator: 'equal', value: true }])];
  const input: DecisionInput = { confidence: 0.99, predicted: '<=50K', text: 'A dark photo', attributes: { age: 40, occupation: 'Sales' } };

  it.each([
    ['one memo, shared detectors: prepared once for both sets', true, true, 1],
    ['one memo, each set its own detectors: prepared for each', true, false, 2],
    ['no memo: prepared for each set, as before', false, true, 2],
  ])('%s', (_name, withMemo, shared, preparations) => {
    const first = counting();
    const second = shared ? first : counting();
    const active = prepareRejector({ rules: RULES, text: first as TextDetectors });
    const shadow = prepareRejector({ rules: shadowRules, text: second as TextDetectors });
    const memo = withMemo ? {} : undefined;
    const a = decideChecked(input, active, base, memo);
    const b = decideChecked(input, shadow, base, memo);
    expect(first.calls + (shared ? 0 : second.calls)).toBe(preparations);
    // The memo changes how often the text is prepared, never the decisions.
    expect(a).toEqual(decide(input, prepareRejector({ rules: RULES, text: counting() as TextDetectors }), base));
    expect(b).toEqual(decide(input, prepareRejector({ rules: shadowRules, text: counting() as TextDetectors }), base));
    expect([a.matchedRules.map((r) => r.id), b.matchedRules.map((r) => r.id)]).toEqual([['dark-sales'], ['dark-any']]);
  });
});

describe('prepareRejector', () => {
  it('with no rules, decides by T* alone', () => {
    const empty = prepareRejector({ rules: [] });
    expect(decide({ confidence: 0.7, predicted: 'a' }, empty, base)).toMatchObject({ decision: 'accept', matchedRules: [], unresolvedConcepts: [] });
    expect(decide({ confidence: 0.6, predicted: 'a' }, empty, base)).toMatchObject({ decision: 'reject', reasonCode: 'below_threshold' });
  });

  it('refuses an attribute concept defined twice', () => {
    const c = { name: 'young', conditions: { all: [] } };
    expect(() => prepareRejector({ rules: RULES, attributeConcepts: [c, c] })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
  it('refuses an attribute concept that reads another concept', () => {
    const c = { name: 'young', conditions: { all: [{ fact: 'concept:dark', operator: 'equal', value: true }] } };
    expect(() => prepareRejector({ rules: RULES, attributeConcepts: [c] })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
