import { CaveatError } from '../errors';
import type { AggregationResult } from './aggregation-result';
import type { EncodedAnswers } from './answers';
import { confusionFromPosteriors } from './confusion';
import { hardLabels, type TieRule } from './tie-rule';

export interface MajorityVoteOptions {
  /** Tie rule for the hard label (default `lowest-index`); posteriors always split ties evenly. */
  tieRule?: TieRule;
  /** Seed for the `random` tie rule. */
  seed?: number;
}

/**
 * Majority vote: the posterior of item i is its vote shares (count of class k / answers on i), so a
 * tie splits evenly, and the hard label is the most voted class with ties broken by `tieRule`.
 * Items without answers get a uniform posterior and label −1.
 */
export function majorityVote(data: EncodedAnswers, options: MajorityVoteOptions = {}): AggregationResult {
  const K = data.classes.length;
  if (K === 0) throw new CaveatError('unprocessable', 'no answers to aggregate');
  const { posteriors, answered } = voteShares(data);
  const { labels, ties } = hardLabels(posteriors, K, answered, options.tieRule ?? 'lowest-index', options.seed ?? 0);
  const priors = new Float64Array(K);
  estimatePriors(posteriors, answered, K, priors);
  const { confusion, answersPerWorker } = confusionFromPosteriors(data, posteriors, 0);
  return {
    method: 'majority-vote',
    items: data.items,
    workers: data.workers,
    classes: data.classes,
    posteriors,
    labels,
    ties,
    priors,
    confusion,
    answersPerWorker,
    iterations: 0,
    converged: true,
    logLikelihood: NaN,
  };
}

/** Vote shares per item (n_items × K) and the number of answers per item; unanswered rows are uniform. */
export function voteShares(data: EncodedAnswers): { posteriors: Float64Array; answered: Int32Array } {
  const K = data.classes.length;
  const nItems = data.items.length;
  const posteriors = new Float64Array(nItems * K);
  const answered = new Int32Array(nItems);
  for (let a = 0; a < data.item.length; a++) {
    posteriors[data.item[a] * K + data.label[a]] += 1;
    answered[data.item[a]]++;
  }
  for (let i = 0; i < nItems; i++) {
    const n = answered[i];
    for (let k = 0; k < K; k++) posteriors[i * K + k] = n > 0 ? posteriors[i * K + k] / n : 1 / K;
  }
  return { posteriors, answered };
}

/** Class priors: the mean posterior over items that have at least one answer. */
export function estimatePriors(posteriors: Float64Array, answered: Int32Array, K: number, out: Float64Array): void {
  out.fill(0);
  let n = 0;
  for (let i = 0; i < answered.length; i++) {
    if (answered[i] === 0) continue;
    n++;
    for (let k = 0; k < K; k++) out[k] += posteriors[i * K + k];
  }
  for (let k = 0; k < K; k++) out[k] = n > 0 ? out[k] / n : 1 / K;
}
