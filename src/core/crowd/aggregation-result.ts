/**
 * What every aggregation method returns. Typed arrays for speed; `aggregationToJson` turns a
 * result into plain JSON for the API and the CLI.
 */
export interface AggregationResult {
  method: 'majority-vote' | 'dawid-skene' | 'dawid-skene-one-coin';
  items: string[];
  workers: string[];
  classes: string[];
  /** n_items × K, row-major: P(true class = k | answers) for item i at [i·K + k]; each row sums to 1. */
  posteriors: Float64Array;
  /** Hard label per item (class index), −1 for an item without any answer. */
  labels: Int32Array;
  /** Number of items whose hard label was chosen by the tie rule among several equally likely classes. */
  ties: number;
  /** Class priors (K); majority vote reports the share of items each class wins fractionally. */
  priors: Float64Array;
  /**
   * Per-worker confusion matrices, W × K × K row-major: [(w·K + k)·K + l] = P(worker w answers l | true class k).
   * Majority vote reports the empirical matrices against its own soft labels (one M-step), for reading only.
   */
  confusion: Float64Array;
  /** Number of answers each worker gave (after dropping repeats). */
  answersPerWorker: Int32Array;
  /** EM iterations (E-steps) run; 0 for majority vote. */
  iterations: number;
  /** Whether the log-likelihood change fell below the tolerance before the iteration limit. */
  converged: boolean;
  /** Marginal log-likelihood of the answers (natural log) at the last E-step; NaN for majority vote. */
  logLikelihood: number;
}

/** Plain-JSON view of an aggregation result: per item its label and posterior, per worker its confusion matrix. */
export interface AggregationJson {
  method: AggregationResult['method'];
  classes: string[];
  iterations: number;
  converged: boolean;
  ties: number;
  logLikelihood: number | null;
  priors: number[];
  items: Array<{ item: string; label: string | null; posterior: number[] }>;
  workers: Array<{ worker: string; answers: number; accuracy: number; confusion: number[][] }>;
}

/**
 * Converts a result to JSON-able data. A worker's `accuracy` is Σ_k prior_k · confusion[k][k],
 * the probability that it answers correctly on a random item (Dawid & Skene 1979's natural summary).
 */
export function aggregationToJson(r: AggregationResult): AggregationJson {
  const K = r.classes.length;
  const row = (a: Float64Array, start: number): number[] => Array.from(a.subarray(start, start + K));
  return {
    method: r.method,
    classes: r.classes,
    iterations: r.iterations,
    converged: r.converged,
    ties: r.ties,
    logLikelihood: Number.isFinite(r.logLikelihood) ? r.logLikelihood : null,
    priors: Array.from(r.priors),
    items: r.items.map((item, i) => ({
      item,
      label: r.labels[i] >= 0 ? r.classes[r.labels[i]] : null,
      posterior: row(r.posteriors, i * K),
    })),
    workers: r.workers.map((worker, w) => ({
      worker,
      answers: r.answersPerWorker[w],
      accuracy: workerAccuracy(r, w),
      confusion: r.classes.map((_, k) => row(r.confusion, (w * K + k) * K)),
    })),
  };
}

/** Prior-weighted probability that worker `w` answers an item correctly: Σ_k prior_k · P(l = k | k). */
export function workerAccuracy(r: Pick<AggregationResult, 'classes' | 'priors' | 'confusion'>, w: number): number {
  const K = r.classes.length;
  let acc = 0;
  for (let k = 0; k < K; k++) acc += r.priors[k] * r.confusion[(w * K + k) * K + k];
  return acc;
}
