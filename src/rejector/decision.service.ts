import { Inject, Injectable } from '@nestjs/common';
import { BufferPool } from '../common/byte-writer';
import { decideChecked, type Decision } from '../core/rejection/decide';
import type { MatchedRule } from '../core/rejection/rejector';
import { answerJson, batchAnswerJson } from './answer-json';
import { decisionId } from './decision-id';
import type { DecisionRecord } from './decision-log';
import { DecisionLogService } from './decision-log.service';
import { batchItems, parseDecisionRequest, type DecisionRequest } from './decision-request';
import { DecideBody, parseDecideBody, type FlagTable } from './flag-scan';
import { failureDecision, type LoadedRejector } from './loaded-rejector';
import { RejectorCache } from './rejector-cache';

/** The answer to one decision request (issue 6). */
export interface DecisionAnswer {
  decisionId: string;
  decision: 'accept' | 'reject';
  reason: string;
  reasonCode: Decision['reasonCode'];
  threshold: number | null;
  confidence: number;
  calibratedConfidence: number | null;
  matchedRules: readonly MatchedRule[];
  expectedValue: { accept: number | null; reject: number | null };
  ruleSetVersion: number | null;
  calibratorVersion: number | null;
  policyVersion: number | null;
  unresolvedConcepts: readonly string[];
}

const NO_RULES = '; no active rule set, so the cost threshold alone decided';
const ids = (rules: readonly MatchedRule[]): string[] => rules.map((r) => r.id);

/**
 * Decides with the model's in-memory rejector (DESIGN §5): the active rule set applies, the
 * shadow set is evaluated beside it and only logged, and every decision goes to the decision log.
 */
@Injectable()
export class DecisionService {
  /** Buffers of batch answers already sent, for the next ones (the route gives them back). */
  readonly answerBuffers = new BufferPool(4);

  constructor(
    @Inject(RejectorCache) private readonly cache: RejectorCache,
    @Inject(DecisionLogService) private readonly log: DecisionLogService,
  ) {}

  /**
   * A decide route's body (decide.routes.ts), with its concept flags read natively when the
   * model's rejector is loaded and its rules read concepts (flag-scan.ts). Throws SyntaxError on
   * invalid JSON.
   */
  parseBody(modelName: string, raw: Buffer, batch: boolean): DecideBody {
    return parseDecideBody(raw, this.cache.peek(modelName)?.flagVocabulary ?? null, batch);
  }

  /** The answer as JSON bytes (answer-json.ts): what the route sends. `body` is parseBody's, or undefined for a request without one. */
  async decideOne(modelName: string, body: unknown): Promise<Buffer> {
    const r = this.cache.peek(modelName) ?? (await this.cache.get(modelName));
    const { value, flags } = bodyValue(body, r, false);
    const request = parseDecisionRequest(value, r.classes, '', flags);
    const { record, decision } = decideRequest(r, request, Date.now());
    const wait = this.log.log.append([record]);
    if (wait) await wait;
    return answerJson(answer(r, record, decision));
  }

  /**
   * Up to 10,000 requests; every item is checked before any is decided, so a bad item logs
   * nothing. The answer is `{count, decisions}` as JSON bytes.
   */
  async decideBatch(modelName: string, body: unknown): Promise<Buffer> {
    const r = this.cache.peek(modelName) ?? (await this.cache.get(modelName));
    const { value, flags } = bodyValue(body, r, true);
    const items = batchItems(value);
    const requests = items.map((item, i) => parseDecisionRequest(item, r.classes, `items[${i}].`, flags));
    const now = Date.now();
    const records = new Array<DecisionRecord>(requests.length);
    const answers = new Array<DecisionAnswer>(requests.length);
    for (let i = 0; i < requests.length; i++) {
      const { record, decision } = decideRequest(r, requests[i], now);
      records[i] = record;
      answers[i] = answer(r, record, decision);
    }
    const wait = this.log.log.append(records);
    if (wait) await wait;
    return batchAnswerJson(answers, this.answerBuffers);
  }
}

/**
 * The body's value and flag table. Flags read for another vocabulary than the rejector's (it was
 * reloaded between parsing and deciding) are read again from the body as it came. Anything but a
 * DecideBody (undefined: a POST without a body never reaches the parser) is taken as it is, for
 * parseDecisionRequest to refuse.
 */
export function bodyValue(body: unknown, r: Pick<LoadedRejector, 'flagVocabulary'>, batch: boolean): { value: unknown; flags: FlagTable | null } {
  if (!(body instanceof DecideBody)) return { value: body, flags: null };
  if (body.flags === null || body.flags.vocabulary === r.flagVocabulary) return body;
  return parseDecideBody(body.raw, r.flagVocabulary, batch);
}

/**
 * Decides one request, checked by parseDecisionRequest, under the active set (or the failure),
 * and the shadow set beside it.
 */
function decideRequest(r: LoadedRejector, request: DecisionRequest, now: number): { record: DecisionRecord; decision: Decision } {
  const { input } = request;
  const settings = r.decisionSettings;
  // The shadow set decides the same text with the same detectors: prepare it once for both.
  const memo = r.shadow !== null && input.text !== undefined ? {} : undefined;
  let d: Decision;
  if (r.failure !== null) d = failureDecision(r.settings.failMode, r.failure);
  else {
    d = decideChecked(input, r.active ? r.active.prepared : r.noRules, settings, memo);
    if (r.active === null) d.reason += NO_RULES;
  }
  let shadow: Decision | null = null;
  if (r.shadow !== null && r.policy !== undefined) shadow = decideChecked(input, r.shadow.prepared, settings, memo);
  const record: DecisionRecord = {
    id: decisionId(now),
    decidedAt: now,
    modelId: r.modelId,
    policyVersion: r.policyVersion,
    ruleSetVersion: r.active?.version ?? null,
    calibratorVersion: r.calibrator?.version ?? null,
    itemId: request.itemId,
    confidence: input.confidence,
    calibratedConfidence: d.calibratedConfidence,
    predicted: input.predicted,
    decision: d.decision,
    reasonCode: d.reasonCode,
    threshold: d.threshold,
    matchedRules: ids(d.matchedRules),
    unresolvedConcepts: d.unresolvedConcepts,
    shadowVersion: shadow ? r.shadow!.version : null,
    shadowDecision: shadow ? shadow.decision : null,
    shadowThreshold: shadow ? shadow.threshold : null,
    shadowMatchedRules: shadow ? ids(shadow.matchedRules) : null,
  };
  return { record, decision: d };
}

function answer(r: LoadedRejector, rec: DecisionRecord, d: Decision): DecisionAnswer {
  return {
    decisionId: rec.id,
    decision: d.decision,
    reason: d.reason,
    reasonCode: d.reasonCode,
    threshold: d.threshold,
    confidence: rec.confidence,
    calibratedConfidence: d.calibratedConfidence,
    matchedRules: d.matchedRules,
    expectedValue: d.expectedValue,
    ruleSetVersion: rec.ruleSetVersion,
    calibratorVersion: rec.calibratorVersion,
    policyVersion: r.policyVersion,
    unresolvedConcepts: d.unresolvedConcepts,
  };
}
