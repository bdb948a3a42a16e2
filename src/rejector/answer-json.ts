import { BufferPool, ByteWriter } from '../common/byte-writer';
import type { MatchedRule } from '../core/rejection/rejector';
import type { DecisionAnswer } from './decision.service';

/**
 * Writes decision answers as JSON bytes directly (ByteWriter), the same text JSON.stringify
 * gives for the answer object (answer-json.spec.ts checks this on random answers), without
 * JSON.stringify's generic walk of each answer, and without the flattening and encoding a long
 * string would cost before the socket write. A matched rule's JSON is encoded once per rule
 * object and reused: rules belong to a loaded rule set and are shared by every decision it makes.
 */
export function answerJson(a: DecisionAnswer): Buffer {
  const w = new ByteWriter(640);
  writeAnswer(w, a);
  return w.result();
}

/** `{"count":n,"decisions":[…]}` for a batch, written into a buffer from `pool` when it has one big enough. */
export function batchAnswerJson(answers: readonly DecisionAnswer[], pool?: BufferPool): Buffer {
  const size = 64 + answers.length * 640;
  const w = new ByteWriter(size, pool?.take(size));
  w.utf8(`{"count":${answers.length},"decisions":[`);
  for (let i = 0; i < answers.length; i++) {
    if (i > 0) w.byte(COMMA);
    writeAnswer(w, answers[i]);
  }
  w.utf8(']}');
  return w.result();
}

const COMMA = 0x2c;
const key = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const K = {
  decisionId: key('{"decisionId":'),
  decision: key(',"decision":'),
  reason: key(',"reason":'),
  reasonCode: key(',"reasonCode":'),
  threshold: key(',"threshold":'),
  confidence: key(',"confidence":'),
  calibratedConfidence: key(',"calibratedConfidence":'),
  matchedRules: key(',"matchedRules":'),
  accept: key(',"expectedValue":{"accept":'),
  reject: key(',"reject":'),
  ruleSetVersion: key('},"ruleSetVersion":'),
  calibratorVersion: key(',"calibratorVersion":'),
  policyVersion: key(',"policyVersion":'),
  unresolvedConcepts: key(',"unresolvedConcepts":'),
};

function writeAnswer(w: ByteWriter, a: DecisionAnswer): void {
  w.bytes(K.decisionId);
  w.jsonString(a.decisionId);
  w.bytes(K.decision);
  w.jsonString(a.decision);
  w.bytes(K.reason);
  w.jsonString(a.reason);
  w.bytes(K.reasonCode);
  w.jsonString(a.reasonCode);
  w.bytes(K.threshold);
  recurringNum(w, a.threshold);
  w.bytes(K.confidence);
  const confidence = numText(a.confidence);
  w.utf8(confidence);
  w.bytes(K.calibratedConfidence);
  // Without a calibrator the two are the same number.
  w.utf8(a.calibratedConfidence === a.confidence ? confidence : numText(a.calibratedConfidence));
  w.bytes(K.matchedRules);
  rules(w, a.matchedRules);
  w.bytes(K.accept);
  num(w, a.expectedValue.accept);
  w.bytes(K.reject);
  recurringNum(w, a.expectedValue.reject);
  w.bytes(K.ruleSetVersion);
  num(w, a.ruleSetVersion);
  w.bytes(K.calibratorVersion);
  num(w, a.calibratorVersion);
  w.bytes(K.policyVersion);
  num(w, a.policyVersion);
  w.bytes(K.unresolvedConcepts);
  w.byte(0x5b);
  const xs = a.unresolvedConcepts;
  for (let i = 0; i < xs.length; i++) {
    if (i > 0) w.byte(COMMA);
    w.jsonString(xs[i]);
  }
  w.utf8(']}');
}

const ruleJson = new WeakMap<MatchedRule, Buffer>();

function rules(w: ByteWriter, matched: readonly MatchedRule[]): void {
  w.byte(0x5b);
  for (let i = 0; i < matched.length; i++) {
    const rule = matched[i];
    let json = ruleJson.get(rule);
    if (json === undefined) {
      json = Buffer.from(JSON.stringify(rule));
      ruleJson.set(rule, json);
    }
    if (i > 0) w.byte(COMMA);
    w.bytes(json);
  }
  w.byte(0x5d);
}

/** JSON.stringify's number text: finite numbers as String gives them, NaN and ±Infinity as null. */
function numText(x: number | null): string {
  return x === null || !Number.isFinite(x) ? 'null' : String(x);
}

function num(w: ByteWriter, x: number | null): void {
  w.utf8(numText(x));
}

/**
 * Texts of numbers that recur from answer to answer: thresholds (T* per class and the rules'
 * own) and the policy's D. Formatting a double costs ~100 ns; a lookup a fraction of that. At
 * most RECURRING entries; the table starts again when full (a model with unusual thresholds
 * only loses the saving).
 */
const recurring = new Map<number, string>();
const RECURRING = 256;

function recurringNum(w: ByteWriter, x: number | null): void {
  if (x === null) return w.utf8('null');
  let text = recurring.get(x);
  if (text === undefined) {
    if (recurring.size >= RECURRING) recurring.clear();
    text = numText(x);
    recurring.set(x, text);
  }
  w.utf8(text);
}
