import { invalid } from '../errors';

export interface WeightedObservation {
  /** Design weight 1/π_i (never a discovery item: those have no π). */
  weight: number;
  inSubgroup: boolean;
  failed: boolean;
}

export interface SubgroupFailureEstimate {
  /** Annotated items in the subgroup. */
  sampled: number;
  /** Horvitz–Thompson estimate of the subgroup's size, Σ w_i s_i (unbiased). */
  size: number;
  /** Horvitz–Thompson estimate of the subgroup's failures, Σ w_i s_i f_i (unbiased). */
  failures: number;
  /** Hájek ratio estimate Σ w s f / Σ w s of the failure rate (consistent; bias O(1/n)); null if no item of the subgroup was sampled. */
  rate: number | null;
  /** failures / knownSize: exactly unbiased when the subgroup size is known (e.g. an attribute concept); else null. */
  rateKnownSize: number | null;
}

/**
 * Failure rate of a concept subgroup from a design-weighted sample (DESIGN §3): HT totals of the
 * subgroup's size and failures, and their ratio (the Hájek estimator). When the subgroup's
 * population size is known, failures / size is exactly unbiased.
 */
export function subgroupFailureRate(sample: readonly WeightedObservation[], knownSize?: number): SubgroupFailureEstimate {
  let size = 0;
  let failures = 0;
  let sampled = 0;
  sample.forEach((o, i) => {
    if (!(o.weight >= 1) || !Number.isFinite(o.weight)) throw invalid(`sample[${i}].weight`, 'must be a finite design weight ≥ 1 (1/π)');
    if (!o.inSubgroup) return;
    sampled++;
    size += o.weight;
    if (o.failed) failures += o.weight;
  });
  if (knownSize !== undefined && !(knownSize > 0)) throw invalid('knownSize', 'must be > 0');
  return {
    sampled,
    size,
    failures,
    rate: size > 0 ? failures / size : null,
    rateKnownSize: knownSize !== undefined ? failures / knownSize : null,
  };
}
