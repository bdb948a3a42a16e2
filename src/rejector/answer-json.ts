import type { MatchedRule } from '../core/rejection/rejector';
import type { DecisionAnswer } from './decision.service';

/**
 * Writes decision answers as JSON text directly, the same text JSON.stringify gives for the
 * answer object (answer-json.spec.ts checks this on random answers), without JSON.stringify's
 * generic walk of each answer. A matched rule's JSON is made once per rule object and reused: rules belong to
 * a loaded rule set and are shared by every decision it makes. On the batch route this halves
 * the cost of writing the answers (bench/decide-http.ts).
 */
export function answerJson(a: DecisionAnswer): string {
  return (
    `{"decisionId":${str(a.decisionId)},"decision":${str(a.decision)},"reason":${str(a.reason)},"reasonCode":${str(a.reasonCode)}` +
    `,"threshold":${num(a.threshold)},"confidence":${num(a.confidence)},"calibratedConfidence":${num(a.calibratedConfidence)}` +
    `,"matchedRules":${rulesJson(a.matchedRules)},"expectedValue":{"accept":${num(a.expectedValue.accept)},"reject":${num(a.expectedValue.reject)}}` +
    `,"ruleSetVersion":${num(a.ruleSetVersion)},"calibratorVersion":${num(a.calibratorVersion)},"policyVersion":${num(a.policyVersion)}` +
    `,"unresolvedConcepts":${strings(a.unresolvedConcepts)}}`
  );
}

/** `{"count":n,"decisions":[…]}` for a batch. */
export function batchAnswerJson(answers: readonly DecisionAnswer[]): string {
  let out = `{"count":${answers.length},"decisions":[`;
  for (let i = 0; i < answers.length; i++) out += (i === 0 ? '' : ',') + answerJson(answers[i]);
  return out + ']}';
}

const ruleJson = new WeakMap<MatchedRule, string>();

function rulesJson(rules: readonly MatchedRule[]): string {
  if (rules.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    let json = ruleJson.get(rule);
    if (json === undefined) {
      json = JSON.stringify(rule);
      ruleJson.set(rule, json);
    }
    out += (i === 0 ? '' : ',') + json;
  }
  return out + ']';
}

/** JSON.stringify's number text: finite numbers as String gives them, NaN and ±Infinity as null. */
function num(x: number | null): string {
  return x === null || !Number.isFinite(x) ? 'null' : String(x);
}

// Strings that need no escaping (the common case: ids, codes, plain sentences) are quoted as
// they are; the test is much cheaper than JSON.stringify's escaping pass.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

function str(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function strings(xs: readonly string[]): string {
  if (xs.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < xs.length; i++) out += (i === 0 ? '' : ',') + str(xs[i]);
  return out + ']';
}
