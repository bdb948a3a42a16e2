import { acceptedValue, policyThreshold, type CostPolicy } from '../cost/cost-policy';
import { invalid } from '../errors';
import { wordCount } from './bitset';
import type { InductionDataset, InductionTarget } from './types';

/**
 * A target over a row subset (DESIGN §4): the rate's denominator (`den`, null = every item), its
 * failures (`fail` ⊆ den), or per-item values for the loss target; weights; and the per-item
 * value gain g_i = w_i·[c_i ≥ t_i]·(D − v_i) of rejecting item i.
 */
export interface EncodedTarget {
  n: number;
  den: Uint32Array | null;
  fail: Uint32Array;
  /** Per-item loss (loss target only). */
  loss: Float64Array | null;
  /** null = every weight is 1 (the popcount fast path). */
  weights: Float64Array | null;
  /** Weighted per-item gain; null when labels or predictions are missing. */
  gain: Float64Array | null;
}

export interface TargetOptions {
  target: InductionTarget;
  positive?: string;
  costPolicy: CostPolicy;
  threshold?: number;
}

/** Checks that the dataset holds what the target needs and that every array has the same length; returns that length. */
export function validateDataset(dataset: InductionDataset, options: TargetOptions): number {
  const lengths: Array<[string, number]> = dataset.columns.map((c, i) => [`columns[${i}] (${c.name})`, c.values.length]);
  for (const key of ['label', 'predicted', 'confidence', 'loss', 'weights'] as const) {
    const v = dataset[key];
    if (v !== undefined) lengths.push([key, v.length]);
  }
  if (lengths.length === 0) throw invalid('columns', 'no attribute columns and no outputs');
  const n = lengths[0][1];
  for (const [field, len] of lengths) if (len !== n) throw invalid(field, `has ${len} items, expected ${n}`);
  const t = options.target;
  if (t === 'loss') {
    if (!dataset.loss) throw invalid('loss', 'the loss target needs a per-item loss');
  } else {
    if (!dataset.label) throw invalid('label', `the ${t} target needs true classes`);
    if (!dataset.predicted) throw invalid('predicted', `the ${t} target needs predicted classes`);
  }
  if ((t === 'fpr' || t === 'fnr') && (options.positive === undefined || options.positive === '')) throw invalid('positive', `the ${t} target needs a positive class`);
  if (t === 'accepted-error' && !dataset.confidence) throw invalid('confidence', 'accepted-error needs confidences');
  if (options.threshold !== undefined && !(options.threshold >= 0 && options.threshold <= 1)) throw invalid('threshold', 'must be in [0, 1]');
  if (dataset.weights) {
    for (let i = 0; i < n; i++) {
      const w = dataset.weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) throw invalid(`weights[${i}]`, 'must be a finite number ≥ 0');
    }
  }
  if (dataset.loss) {
    for (let i = 0; i < n; i++) if (!Number.isFinite(dataset.loss[i])) throw invalid(`loss[${i}]`, 'must be a finite number');
  }
  return n;
}

/** Encodes the target over `rows` (bit r = item rows[r]). */
export function encodeTarget(dataset: InductionDataset, rows: Uint32Array, options: TargetOptions): EncodedTarget {
  const n = rows.length;
  const words = wordCount(n);
  const { target, positive } = options;
  const label = dataset.label;
  const predicted = dataset.predicted;
  const conf = dataset.confidence;
  const den = target === 'fpr' || target === 'fnr' ? new Uint32Array(words) : null;
  const fail = new Uint32Array(words);
  const setBit = (b: Uint32Array, r: number) => {
    b[r >>> 5] |= 1 << (r & 31);
  };
  const thresholdOf = thresholdFunction(options);
  for (let r = 0; r < n; r++) {
    const i = rows[r];
    if (target === 'loss') continue;
    const y = (label as ReadonlyArray<string>)[i];
    const yhat = (predicted as ReadonlyArray<string>)[i];
    switch (target) {
      case 'error':
        if (y !== yhat) setBit(fail, r);
        break;
      case 'accepted-error':
        if (y !== yhat && Number((conf as ArrayLike<number>)[i]) >= thresholdOf(yhat)) setBit(fail, r);
        break;
      case 'fpr':
        if (y !== positive) {
          setBit(den as Uint32Array, r);
          if (yhat === positive) setBit(fail, r);
        }
        break;
      case 'fnr':
        if (y === positive) {
          setBit(den as Uint32Array, r);
          if (yhat !== positive) setBit(fail, r);
        }
        break;
    }
  }
  let weights: Float64Array | null = null;
  if (dataset.weights) {
    let allOne = true;
    for (let r = 0; r < n && allOne; r++) allOne = dataset.weights[rows[r]] === 1;
    if (!allOne) weights = Float64Array.from(rows, (i) => Number((dataset.weights as ArrayLike<number>)[i]));
  }
  const loss = target === 'loss' ? Float64Array.from(rows, (i) => Number((dataset.loss as ArrayLike<number>)[i])) : null;
  return { n, den, fail, loss, weights, gain: gainVector(dataset, rows, options, weights) };
}

/** Per-item acceptance threshold: the given t, or T* of the policy for the item's predicted class (DESIGN §1). */
function thresholdFunction(options: TargetOptions): (predicted: string) => number {
  if (options.threshold !== undefined) {
    const t = options.threshold;
    return () => t;
  }
  const cache = new Map<string, number>();
  return (p) => {
    let t = cache.get(p);
    if (t === undefined) cache.set(p, (t = policyThreshold(options.costPolicy, p)));
    return t;
  };
}

/**
 * g_i = w_i·[c_i ≥ t]·(D − v_i), v_i = V (or classValues[ŷ]) when correct, W (or confusionValues[y][ŷ])
 * when wrong (DESIGN §4). Without confidences every prediction counts as accepted.
 */
function gainVector(dataset: InductionDataset, rows: Uint32Array, options: TargetOptions, weights: Float64Array | null): Float64Array | null {
  const { label, predicted, confidence } = dataset;
  if (!label || !predicted) return null;
  const policy = options.costPolicy;
  const thresholdOf = thresholdFunction(options);
  const g = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const y = label[i];
    const yhat = predicted[i];
    if (confidence && !(Number(confidence[i]) >= thresholdOf(yhat))) continue;
    g[r] = (weights ? weights[r] : 1) * (policy.D - acceptedValue(policy, yhat, y));
  }
  return g;
}
