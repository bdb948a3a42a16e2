import { DEFAULT_COST_POLICY, type CostPolicy } from '../cost/cost-policy';
import { invalid } from '../errors';
import type { InductionParams, InductionTarget, SortMeasure } from './types';

export const TARGETS: readonly InductionTarget[] = ['error', 'accepted-error', 'fpr', 'fnr', 'loss'];
export const SORTS: readonly SortMeasure[] = ['delta', 't', 'q', 'gain', 'wracc', 'sliceline'];

export type ResolvedParams = Required<Omit<InductionParams, 'positive' | 'costPolicy' | 'threshold' | 'epsilon'>> & {
  positive?: string;
  costPolicy: CostPolicy;
  threshold?: number;
  epsilon?: number;
};

/** Defaults (DESIGN §4: depth 3, support 5%) and range checks; a bad value is `invalid_input` naming the field. */
export function resolveParams(p: InductionParams): ResolvedParams {
  if (!TARGETS.includes(p.target)) throw invalid('target', `must be one of ${TARGETS.join(', ')}`);
  const r: ResolvedParams = {
    target: p.target,
    positive: p.positive,
    minSupport: p.minSupport ?? 0.05,
    maxDepth: p.maxDepth ?? 3,
    search: p.search ?? 'exhaustive',
    bins: p.bins ?? 4,
    binning: p.binning ?? 'quantile',
    predictedLiterals: p.predictedLiterals ?? false,
    confidenceBands: p.confidenceBands ?? 0,
    conceptAbsent: p.conceptAbsent ?? true,
    costPolicy: p.costPolicy ?? { ...DEFAULT_COST_POLICY },
    threshold: p.threshold,
    epsilon: p.epsilon,
    productive: p.productive ?? true,
    productiveAlpha: p.productiveAlpha ?? 0.05,
    maxQ: p.maxQ ?? 0.05,
    onlyPositive: p.onlyPositive ?? true,
    sort: p.sort ?? 't',
    alpha: p.alpha ?? 0.95,
    top: p.top ?? 10,
    covering: p.covering ?? false,
    gamma: p.gamma ?? 0.5,
    holdout: p.holdout ?? 0,
    seed: p.seed ?? 1,
    replicationAlpha: p.replicationAlpha ?? 0.05,
  };
  const check = (field: string, ok: boolean, reason: string) => {
    if (!ok) throw invalid(field, reason);
  };
  const isInt = (x: number) => Number.isInteger(x);
  check('minSupport', r.minSupport > 0 && Number.isFinite(r.minSupport), 'must be > 0 (a fraction below 1, or a count)');
  check('maxDepth', isInt(r.maxDepth) && r.maxDepth >= 0, 'must be an integer ≥ 0 (0 = unlimited)');
  check('search', r.search === 'exhaustive' || r.search === 'best-first', 'must be exhaustive or best-first');
  check('bins', isInt(r.bins) && r.bins >= 2 && r.bins <= 1000, 'must be an integer in [2, 1000]');
  check('binning', r.binning === 'quantile' || r.binning === 'equal-width', 'must be quantile or equal-width');
  check('confidenceBands', isInt(r.confidenceBands) && r.confidenceBands >= 0 && r.confidenceBands <= 1000, 'must be an integer in [0, 1000]');
  check('epsilon', r.epsilon === undefined || r.epsilon >= 0, 'must be ≥ 0');
  check('productiveAlpha', r.productiveAlpha > 0 && r.productiveAlpha <= 1, 'must be in (0, 1]');
  check('maxQ', r.maxQ >= 0 && r.maxQ <= 1, 'must be in [0, 1]');
  check('sort', SORTS.includes(r.sort), `must be one of ${SORTS.join(', ')}`);
  check('alpha', r.alpha > 0 && r.alpha <= 1, 'must be in (0, 1]');
  check('top', isInt(r.top) && r.top >= 0, 'must be an integer ≥ 0 (0 = all)');
  check('gamma', r.gamma > 0 && r.gamma <= 1, 'must be in (0, 1]');
  check('holdout', r.holdout >= 0 && r.holdout < 1, 'must be in [0, 1)');
  check('seed', isInt(r.seed), 'must be an integer');
  check('replicationAlpha', r.replicationAlpha > 0 && r.replicationAlpha <= 1, 'must be in (0, 1]');
  if (r.search === 'best-first') check('top', r.top > 0, 'best-first search needs top ≥ 1');
  return r;
}
