import { policyThreshold, type CostPolicy } from '../cost/cost-policy';
import { CaveatError, invalid } from '../errors';
import { fillFacts, type FlagCodes, type PreparedTextMemo } from './concept-resolution';
import type { MatchedRule, PreparedRejector } from './rejector';

/**
 * One decision of the rejector (DESIGN §5): recalibrate the confidence, resolve the concepts
 * the rules read, run the compiled rules, then
 * - any matched `reject` rule rejects;
 * - matched `threshold` rules raise the threshold to max(T*, their thresholds);
 * - otherwise accept iff the (recalibrated) confidence reaches the final threshold and, when
 *   class probabilities are given, the expected value of accepting (Chow's rule with the
 *   policy's class and confusion values) is at least D.
 * An unresolved concept rejects when the model's policy says so. An internal failure
 * (calibrator, detector, a bug) fails closed (reject) unless the model fails open.
 */

export interface DecisionInput {
  /** The model's confidence in its prediction, in [0, 1]. */
  confidence: number;
  predicted: string;
  /** Class → probability, for Chow's rule with class-dependent costs. */
  probabilities?: Readonly<Record<string, number>>;
  /** Caller concept flags: concept name → present. */
  concepts?: Readonly<Record<string, unknown>>;
  /** Caller concept flags read ahead of time (instead of `concepts`): see FlagCodes. */
  flagCodes?: FlagCodes;
  attributes?: Readonly<Record<string, unknown>>;
  text?: string;
}

export interface DecisionSettings {
  /** The model's active cost policy; none means the rejector cannot decide (fail mode applies). */
  policy: CostPolicy | undefined;
  /** The active calibrator, c ↦ calibrated c. */
  calibrate?: (confidence: number) => number;
  /** What an unresolved concept does: 'ignore' (the fact stays undefined) or 'reject'. Default 'ignore'. */
  unresolvedConcepts?: 'ignore' | 'reject';
  /** What a failure does: 'closed' rejects, 'open' accepts. Default 'closed'. */
  failMode?: 'closed' | 'open';
}

export type DecisionReasonCode =
  | 'accepted'
  | 'below_threshold'
  | 'rule_rejected'
  | 'expected_value'
  | 'unresolved_concepts'
  | 'no_policy'
  | 'internal_failure';

export interface Decision {
  decision: 'accept' | 'reject';
  /** The final confidence threshold; null when the decision failed before computing it. */
  threshold: number | null;
  matchedRules: MatchedRule[];
  /** Expected value of accepting (c·V + (1−c)·W, or Chow's sum with probabilities) and of rejecting (D). */
  expectedValue: { accept: number | null; reject: number | null };
  calibratedConfidence: number | null;
  unresolvedConcepts: readonly string[];
  reasonCode: DecisionReasonCode;
  /** The reason in words. */
  reason: string;
}

// Chow's comparison tolerates rounding, so that c = T* accepts under uniform costs as c ≥ T* does.
const EV_TOLERANCE = 1e-12;
const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isRecord = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const fmt = (x: number): string => String(Math.round(x * 1000) / 1000);

/** Checks the fields a decision cannot do without; a bad request is the caller's error (invalid_input), not a failure. */
function checkInput(input: DecisionInput): void {
  const c = input.confidence;
  if (typeof c !== 'number' || !(c >= 0 && c <= 1)) throw invalid('confidence', 'must be a number in [0, 1]');
  if (typeof input.predicted !== 'string') throw invalid('predicted', 'must be a class name (string)');
  if (input.concepts !== undefined && !isRecord(input.concepts)) throw invalid('concepts', 'must map concept names to true or false');
  if (input.attributes !== undefined && !isRecord(input.attributes)) throw invalid('attributes', 'must map attribute names to values');
  if (input.text !== undefined && typeof input.text !== 'string') throw invalid('text', 'must be a string');
  const p = input.probabilities;
  if (p === undefined) return;
  if (!isRecord(p)) throw invalid('probabilities', 'must map class names to probabilities');
  let sum = 0;
  for (const k in p) {
    if (!has(p, k)) continue;
    const x = p[k];
    if (typeof x !== 'number' || !(x >= 0 && x <= 1)) throw invalid(`probabilities.${k}`, 'must be a number in [0, 1]');
    sum += x;
  }
  if (!has(p, input.predicted)) throw invalid(`probabilities.${input.predicted}`, 'must give the probability of the predicted class');
  if (Math.abs(sum - 1) > 1e-3) throw invalid('probabilities', `must sum to 1, got ${sum}`);
}

/**
 * Expected value of accepting ŷ (DESIGN §1): with probabilities, p(ŷ)·V[ŷ] + Σ_{y≠ŷ} p(y)·W[y][ŷ]
 * (Chow's rule with costs; the same sum as src/core/cost/chow-rule.ts acceptValue), where p(ŷ) is
 * replaced by the calibrated confidence and the other classes are rescaled to share the rest;
 * without, c·V[ŷ] + (1−c)·W.
 */
export function acceptExpectedValue(policy: CostPolicy, predicted: string, c: number, probabilities?: Readonly<Record<string, number>>): number {
  const V = policy.classValues?.[predicted] ?? policy.V;
  const pTop = probabilities?.[predicted];
  if (probabilities === undefined || pTop === undefined || pTop >= 1) return c * V + (1 - c) * policy.W;
  const scale = (1 - c) / (1 - pTop);
  let ev = c * V;
  for (const y in probabilities) {
    if (y === predicted || !has(probabilities, y)) continue;
    ev += probabilities[y] * scale * (policy.confusionValues?.[y]?.[predicted] ?? policy.W);
  }
  return ev;
}

/** Decides one prediction with a prepared rule set (see the file comment for the semantics). */
export function decide(input: DecisionInput, rejector: PreparedRejector, settings: DecisionSettings): Decision {
  checkInput(input);
  return decideChecked(input, rejector, settings);
}

/**
 * decide() for an input its caller has already checked field by field, as the service's request
 * parser does (src/rejector/decision-request.ts): the hot path need not check it twice. `memo`
 * carries the prepared text from one rule set to the next deciding the same input (fillFacts).
 */
export function decideChecked(input: DecisionInput, rejector: PreparedRejector, settings: DecisionSettings, memo?: PreparedTextMemo): Decision {
  const failOpen = settings.failMode === 'open';
  const policy = settings.policy;
  if (policy === undefined) return failedDecision(failOpen, 'no_policy', 'the model has no active cost policy');
  try {
    const c = settings.calibrate ? settings.calibrate(input.confidence) : input.confidence;
    if (typeof c !== 'number' || !(c >= 0 && c <= 1)) throw new Error(`the calibrator returned ${String(c)} for ${input.confidence}`);
    const unresolvedConcepts = fillFacts(rejector, input, memo);
    const n = rejector.compiled.matchSlots(rejector.values, rejector.matched);

    const tStar = policyThreshold(policy, input.predicted);
    let threshold = tStar;
    let raisedBy: MatchedRule | undefined;
    let rejectedBy: MatchedRule | undefined;
    let rejectCount = 0;
    const matchedRules: MatchedRule[] = new Array<MatchedRule>(n);
    for (let i = 0; i < n; i++) {
      const rule = rejector.rules[rejector.matched[i]];
      matchedRules[i] = rule;
      const a = rule.action;
      if (a.type === 'reject') {
        rejectedBy ??= rule;
        rejectCount++;
      } else if (a.threshold > threshold) {
        threshold = a.threshold;
        raisedBy = rule;
      }
    }
    const evAccept = acceptExpectedValue(policy, input.predicted, c, input.probabilities);
    const out: Decision = {
      decision: 'reject',
      threshold,
      matchedRules,
      expectedValue: { accept: evAccept, reject: policy.D },
      calibratedConfidence: c,
      unresolvedConcepts,
      reasonCode: 'accepted',
      reason: '',
    };
    if (unresolvedConcepts.length > 0 && settings.unresolvedConcepts === 'reject') {
      out.reasonCode = 'unresolved_concepts';
      out.reason = `rejected: concept${unresolvedConcepts.length > 1 ? 's' : ''} ${unresolvedConcepts.map((x) => `'${x}'`).join(', ')} could not be resolved`;
    } else if (rejectedBy !== undefined) {
      out.reasonCode = 'rule_rejected';
      const more = rejectCount > 1 ? ` (and ${rejectCount - 1} more rejecting rule${rejectCount > 2 ? 's' : ''})` : '';
      out.reason = `rejected by rule '${rejectedBy.id}': ${rejectedBy.sentence}${more}`;
    } else if (c < threshold) {
      out.reasonCode = 'below_threshold';
      const why = raisedBy ? `the threshold ${fmt(threshold)} set by rule '${raisedBy.id}' (T* is ${fmt(tStar)}): ${raisedBy.sentence}` : `the threshold T* = ${fmt(threshold)}`;
      out.reason = `rejected: confidence ${fmt(c)} is below ${why}`;
    } else if (input.probabilities !== undefined && evAccept < policy.D - EV_TOLERANCE) {
      out.reasonCode = 'expected_value';
      out.reason = `rejected: accepting is worth ${fmt(evAccept)} under the class costs, less than the default path (${fmt(policy.D)})`;
    } else {
      out.decision = 'accept';
      out.reason = `accepted: confidence ${fmt(c)} reaches the threshold ${fmt(threshold)}${raisedBy ? ` set by rule '${raisedBy.id}'` : ''}`;
    }
    return out;
  } catch (e) {
    // A bad concept flag is the caller's mistake, not a failure to hide behind the fail mode.
    if (e instanceof CaveatError && e.code === 'invalid_input') throw e;
    return failedDecision(failOpen, 'internal_failure', e instanceof Error ? e.message : String(e));
  }
}

/** The decision given when no decision can be computed: reject (fail closed) or accept (fail open), reason stated. */
export function failedDecision(open: boolean, code: 'no_policy' | 'internal_failure', why: string): Decision {
  return {
    decision: open ? 'accept' : 'reject',
    threshold: null,
    matchedRules: [],
    expectedValue: { accept: null, reject: null },
    calibratedConfidence: null,
    unresolvedConcepts: [],
    reasonCode: code,
    reason: `${open ? 'accepted (fail open)' : 'rejected (fail closed)'}: ${why}`,
  };
}
