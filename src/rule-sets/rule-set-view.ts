import type { CaveatRule } from '../core/rejection/rule-model';
import type { RuleSetSummaryRow } from './rule-set-store';
import type { RuleSetEntity } from './rule-set.entity';

/** A rule set version as the API lists it (no rules). */
export interface RuleSetSummary extends RuleSetSummaryRow {
  model: string;
}

/** One version with its rules, ranked as stored. */
export interface RuleSetView extends RuleSetSummary {
  snapshot: Record<string, unknown> | null;
  rules: CaveatRule[];
}

export const summaryOf = (model: string, row: RuleSetSummaryRow): RuleSetSummary => ({ model, ...row });

export function viewOf(model: string, e: RuleSetEntity): RuleSetView {
  return {
    model,
    version: e.version,
    source: e.source,
    state: e.state,
    ruleCount: e.rules.length,
    params: e.params,
    basedOn: e.basedOn,
    createdAt: e.createdAt,
    publishedAt: e.publishedAt,
    retiredAt: e.retiredAt,
    snapshot: e.snapshot,
    rules: e.rules,
  };
}

/** The view without rules or snapshot, for answers to state changes. */
export function briefOf(model: string, e: RuleSetEntity): RuleSetSummary {
  const { rules: _rules, snapshot: _snapshot, ...summary } = viewOf(model, e);
  return summary;
}
