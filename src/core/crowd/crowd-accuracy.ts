import type { AggregationResult } from './aggregation-result';
import { TIE_EPSILON } from './tie-rule';

export interface TruthLabel {
  item: string;
  truth: string;
}

export interface CrowdAccuracy {
  /** Accuracy with ties split fractionally: an item whose top posterior is shared by m classes counts 1/m if the truth is one of them. */
  fractional: number;
  /** Accuracy of the hard labels (tie rule applied; an unanswered item counts as wrong). */
  hard: number;
  /** Truth items that were scored (those present in the result). */
  evaluated: number;
  /** Scored items whose top posterior was tied. */
  ties: number;
  /** Truth items absent from the result (never answered and not pre-declared); not scored. */
  missing: number;
}

/**
 * Accuracy of an aggregation against a ground truth, both with ties split fractionally (the
 * convention of the reference figures in ../shared/data/README.md) and on the hard labels.
 * A truth label outside `classes` can never be predicted and counts as wrong.
 */
export function crowdAccuracy(result: AggregationResult, truth: readonly TruthLabel[]): CrowdAccuracy {
  const K = result.classes.length;
  const itemIndex = new Map(result.items.map((id, i) => [id, i]));
  const classIndex = new Map(result.classes.map((c, i) => [c, i]));
  let fractional = 0;
  let hard = 0;
  let evaluated = 0;
  let ties = 0;
  let missing = 0;
  for (const { item, truth: t } of truth) {
    const i = itemIndex.get(item);
    if (i === undefined) {
      missing++;
      continue;
    }
    evaluated++;
    const c = classIndex.get(t) ?? -1;
    const row = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (result.posteriors[row + k] > max) max = result.posteriors[row + k];
    let m = 0;
    let truthTied = false;
    for (let k = 0; k < K; k++) {
      if (result.posteriors[row + k] >= max - TIE_EPSILON * max) {
        m++;
        if (k === c) truthTied = true;
      }
    }
    if (m > 1) ties++;
    if (truthTied) fractional += 1 / m;
    if (c >= 0 && result.labels[i] === c) hard++;
  }
  return {
    fractional: evaluated > 0 ? fractional / evaluated : NaN,
    hard: evaluated > 0 ? hard / evaluated : NaN,
    evaluated,
    ties,
    missing,
  };
}
