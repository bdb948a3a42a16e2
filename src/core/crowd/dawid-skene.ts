import { CaveatError, invalid } from '../errors';
import type { AggregationResult } from './aggregation-result';
import type { EncodedAnswers } from './answers';
import { confusionFromPosteriors, PROBABILITY_FLOOR } from './confusion';
import { estimatePriors, voteShares } from './majority-vote';
import { hardLabels, type TieRule } from './tie-rule';

export interface DawidSkeneOptions {
  /**
   * `class-conditional`: a full K × K confusion matrix per worker (Dawid & Skene 1979);
   * `one-coin`: one accuracy a_w per worker, errors spread evenly over the other K − 1 classes.
   */
  model?: 'class-conditional' | 'one-coin';
  /** Upper bound on EM iterations (E-steps). Default 100, as crowd-kit. */
  maxIterations?: number;
  /**
   * Stop when the marginal log-likelihood grows by less than this per answer between two
   * iterations. Default 1e-5, crowd-kit's tolerance on its (per-answer) evidence lower bound;
   * 0 runs exactly `maxIterations`.
   */
  tolerance?: number;
  /** Pseudo-answers α added to every confusion cell (Dirichlet MAP); default 0 = maximum likelihood. */
  smoothing?: number;
  /** Class index per item (−1 = unknown): gold items whose posterior is clamped to their known class. */
  known?: Int32Array;
  /** Tie rule for hard labels among equal posteriors (default `lowest-index`). */
  tieRule?: TieRule;
  seed?: number;
}

/**
 * Dawid–Skene EM (Dawid & Skene 1979, "Maximum likelihood estimation of observer error-rates using
 * the EM algorithm"), initialised by majority vote: the soft vote shares are the first E-step, then
 * M-step (priors, confusion matrices) and E-step alternate, in log space, until the log-likelihood
 * gain per answer drops below `tolerance` or `maxIterations` is reached. One answer per
 * (item, worker) is expected (`encodeAnswers` keeps the first).
 */
export function dawidSkene(data: EncodedAnswers, options: DawidSkeneOptions = {}): AggregationResult {
  const K = data.classes.length;
  if (K === 0 || data.item.length === 0) throw new CaveatError('unprocessable', 'no answers to aggregate');
  const oneCoin = options.model === 'one-coin';
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const smoothing = options.smoothing ?? 0;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw invalid('maxIterations', 'must be an integer ≥ 1');
  if (!(tolerance >= 0)) throw invalid('tolerance', 'must be ≥ 0');
  if (!(smoothing >= 0) || !Number.isFinite(smoothing)) throw invalid('smoothing', 'must be a finite number ≥ 0');
  const known = options.known;
  if (known && known.length !== data.items.length) throw invalid('known', `needs one entry per item (${data.items.length})`);

  const nItems = data.items.length;
  const W = data.workers.length;
  const nAnswers = data.item.length;
  const { posteriors, answered } = voteShares(data);
  if (known) clampKnown(posteriors, K, known);

  const priors = new Float64Array(K);
  const logPriors = new Float64Array(K);
  const params = { confusion: new Float64Array(W * K * K), answersPerWorker: new Int32Array(W) };
  // Log table for the E-step, laid out by (worker, answered label) so the K entries an answer adds are contiguous.
  const logTable = new Float64Array(W * K * K);
  const logLik = new Float64Array(nItems * K);

  const mStep = (): void => {
    estimatePriors(posteriors, answered, K, priors);
    for (let k = 0; k < K; k++) logPriors[k] = Math.log(Math.max(priors[k], PROBABILITY_FLOOR));
    if (oneCoin) oneCoinConfusion(data, posteriors, smoothing, params);
    else confusionFromPosteriors(data, posteriors, smoothing, params);
    const c = params.confusion;
    for (let w = 0; w < W; w++) {
      for (let k = 0; k < K; k++) {
        for (let l = 0; l < K; l++) {
          logTable[(w * K + l) * K + k] = Math.log(Math.max(c[(w * K + k) * K + l], PROBABILITY_FLOOR));
        }
      }
    }
  };

  /** E-step: posteriors ∝ prior_k · Π_answers π_w[k][l], normalised with log-sum-exp; returns log p(answers). */
  const eStep = (): number => {
    for (let i = 0; i < nItems; i++) logLik.set(logPriors, i * K);
    const { item, worker, label } = data;
    for (let a = 0; a < nAnswers; a++) {
      const row = item[a] * K;
      const base = (worker[a] * K + label[a]) * K;
      for (let k = 0; k < K; k++) logLik[row + k] += logTable[base + k];
    }
    let total = 0;
    for (let i = 0; i < nItems; i++) {
      const row = i * K;
      if (answered[i] === 0) {
        for (let k = 0; k < K; k++) posteriors[row + k] = priors[k];
        continue;
      }
      const c = known ? known[i] : -1;
      if (c >= 0) {
        // A gold item's class is observed: it contributes the joint log p(answers, class).
        total += logLik[row + c];
        for (let k = 0; k < K; k++) posteriors[row + k] = k === c ? 1 : 0;
        continue;
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (logLik[row + k] > max) max = logLik[row + k];
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(logLik[row + k] - max);
        posteriors[row + k] = e;
        sum += e;
      }
      for (let k = 0; k < K; k++) posteriors[row + k] /= sum;
      total += max + Math.log(sum);
    }
    return total;
  };

  mStep();
  let previous = -Infinity;
  let logLikelihood = -Infinity;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    logLikelihood = eStep();
    iterations++;
    mStep();
    if (tolerance > 0 && Math.abs(logLikelihood - previous) / nAnswers < tolerance) {
      converged = true;
      break;
    }
    previous = logLikelihood;
  }
  // As in crowd-kit: posteriors come from the last E-step, priors and confusion matrices from the
  // M-step that followed it (so `iterations` counts E-steps exactly).

  const { labels, ties } = hardLabels(posteriors, K, answered, options.tieRule ?? 'lowest-index', options.seed ?? 0);
  return {
    method: oneCoin ? 'dawid-skene-one-coin' : 'dawid-skene',
    items: data.items,
    workers: data.workers,
    classes: data.classes,
    posteriors,
    labels,
    ties,
    priors,
    confusion: params.confusion,
    answersPerWorker: params.answersPerWorker,
    iterations,
    converged,
    logLikelihood,
  };
}

/**
 * One-coin M-step: a_w = (Σ_{answers of w} T[item][label] + α) / (n_w + 2α) (a Beta(1 + α, 1 + α)
 * prior when α > 0), expanded to a confusion matrix with a_w on the diagonal and (1 − a_w)/(K − 1) elsewhere.
 */
function oneCoinConfusion(
  data: EncodedAnswers,
  posteriors: Float64Array,
  smoothing: number,
  out: { confusion: Float64Array; answersPerWorker: Int32Array },
): void {
  const K = data.classes.length;
  const W = data.workers.length;
  const correct = new Float64Array(W);
  out.answersPerWorker.fill(0);
  for (let a = 0; a < data.item.length; a++) {
    const w = data.worker[a];
    correct[w] += posteriors[data.item[a] * K + data.label[a]];
    out.answersPerWorker[w]++;
  }
  for (let w = 0; w < W; w++) {
    const n = out.answersPerWorker[w];
    const acc = n + 2 * smoothing > 0 ? (correct[w] + smoothing) / (n + 2 * smoothing) : 1 / K;
    const off = K > 1 ? (1 - acc) / (K - 1) : 0;
    for (let k = 0; k < K; k++) {
      for (let l = 0; l < K; l++) out.confusion[(w * K + k) * K + l] = k === l ? (K > 1 ? acc : 1) : off;
    }
  }
}

function clampKnown(posteriors: Float64Array, K: number, known: Int32Array): void {
  for (let i = 0; i < known.length; i++) {
    const c = known[i];
    if (c < 0) continue;
    if (c >= K) throw invalid(`known[${i}]`, `class index ${c} is out of range (K = ${K})`);
    for (let k = 0; k < K; k++) posteriors[i * K + k] = k === c ? 1 : 0;
  }
}
