import fc from 'fast-check';
import type { MatchedRule } from '../core/rejection/rejector';
import { answerJson as answerBytes, batchAnswerJson as batchAnswerBytes } from './answer-json';
import type { DecisionAnswer } from './decision.service';

const rule = (id: string, sentence: string, threshold?: number): MatchedRule => ({
  id,
  sentence,
  action: threshold === undefined ? { type: 'reject' } : { type: 'threshold', threshold },
});

// The answers are bytes; the checks compare their text with JSON.stringify's.
const answerJson = (a: DecisionAnswer): string => answerBytes(a).toString('utf8');
const batchAnswerJson = (answers: readonly DecisionAnswer[]): string => batchAnswerBytes(answers).toString('utf8');

const base: DecisionAnswer = {
  decisionId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  decision: 'reject',
  reason: "rejected by rule 'dark': the photo is dark",
  reasonCode: 'rule_rejected',
  threshold: 0.8,
  confidence: 0.75,
  calibratedConfidence: 0.7,
  matchedRules: [rule('dark', 'the photo is dark'), rule('small', 'the object is "small"', 0.9)],
  expectedValue: { accept: -0.8, reject: -1 },
  ruleSetVersion: 3,
  calibratorVersion: null,
  policyVersion: 1,
  unresolvedConcepts: ['sarcasm'],
};

describe('answerJson', () => {
  it('writes the text JSON.stringify writes, for a hand-checked answer', () => {
    expect(answerJson(base)).toBe(JSON.stringify(base));
    expect(JSON.parse(answerJson(base)).matchedRules[1]).toEqual({ id: 'small', sentence: 'the object is "small"', action: { type: 'threshold', threshold: 0.9 } });
  });

  it.each([
    ['NaN', Number.NaN, 'null'],
    ['Infinity', Number.POSITIVE_INFINITY, 'null'],
    ['-0', -0, '0'],
    ['1e-7', 1e-7, '1e-7'],
    ['null', null, 'null'],
  ])('writes the number %s as JSON does', (_name, x, text) => {
    expect(answerJson({ ...base, threshold: x })).toContain(`"threshold":${text},`);
    expect(answerJson({ ...base, threshold: x })).toBe(JSON.stringify({ ...base, threshold: x }));
  });

  it.each([
    ['a quote', 'say "no"'],
    ['a backslash', 'a\\b'],
    ['a newline and a tab', 'a\nb\tc'],
    ['a control character', 'a\u0001b'],
    ['non-ASCII text', 'photo sombre — très'],
    ['a lone surrogate', 'x\ud800y'],
  ])('escapes %s as JSON does', (_name, s) => {
    const a = { ...base, reason: s, unresolvedConcepts: [s], matchedRules: [rule(s, s)] };
    expect(answerJson(a)).toBe(JSON.stringify(a));
  });

  it('equals JSON.stringify on random answers (property)', () => {
    const number = fc.oneof(fc.double(), fc.constant(null), fc.integer());
    // Lone surrogates too ('binary' holds none), in short strings and in long ones (copied natively past 40 characters).
    const unit = fc.oneof(fc.constantFrom('a', ' ', '"', 'é'), fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)));
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit }), fc.string({ unit, minLength: 41, maxLength: 90 }), fc.constantFrom('', 'r1', 'it\'s "x"'));
    const rules = fc.array(fc.record({ id: text, sentence: text, threshold: fc.option(fc.double({ min: 0, max: 1 }), { nil: undefined }) }), { maxLength: 4 });
    fc.assert(
      fc.property(text, number, number, number, number, number, rules, fc.array(text, { maxLength: 3 }), (reason, threshold, c, cc, ev, version, rs, unresolved) => {
        const a: DecisionAnswer = {
          ...base,
          reason,
          threshold,
          confidence: c ?? 0,
          calibratedConfidence: cc,
          expectedValue: { accept: ev, reject: version },
          ruleSetVersion: version,
          matchedRules: rs.map((r) => rule(r.id, r.sentence, r.threshold)),
          unresolvedConcepts: unresolved,
        };
        expect(answerJson(a)).toBe(JSON.stringify(a));
      }),
      { numRuns: 500, seed: 6 },
    );
  });

  it('reuses a rule object\'s JSON and still writes each batch answer in order', () => {
    const shared = rule('r', 'shared');
    const answers = [0.1, 0.2, 0.3].map((c) => ({ ...base, confidence: c, matchedRules: [shared] }));
    const text = batchAnswerJson(answers);
    expect(text).toBe(JSON.stringify({ count: 3, decisions: answers }));
    expect(batchAnswerJson([])).toBe('{"count":0,"decisions":[]}');
  });
});
