import { invalid } from '../errors';
import { seededRng } from '../random/rng';
import { allocate, type AllocationScheme } from './allocation';
import type { SampledItem } from './sampled-item';

export interface StratumSummary {
  key: string;
  /** N_h: items in the stratum. */
  population: number;
  /** n_h: items drawn. */
  sampled: number;
  /** π = n_h / N_h for every item of the stratum (simple random sampling without replacement within it). */
  pi: number;
}

export interface StratifiedSample {
  strata: StratumSummary[];
  /** Drawn items, stratum by stratum in key order, each with π and weight 1/π. */
  sample: SampledItem[];
}

export interface StratifiedOptions {
  budget: number;
  allocation?: AllocationScheme;
  minPerStratum?: number;
  seed: number;
}

/**
 * Stratified simple random sampling without replacement over arbitrary stratum keys: the budget
 * is allocated by `allocate`, then n_h items are drawn uniformly in stratum h (a partial
 * Fisher–Yates shuffle from a seeded generator), so π_i = n_h / N_h exactly (Cochran, Sampling
 * Techniques, ch. 5). Strata are visited in sorted key order so the draw does not depend on item order.
 */
export function stratifiedSampleByKey(keys: readonly string[], options: StratifiedOptions): StratifiedSample {
  const byKey = new Map<string, number[]>();
  keys.forEach((k, i) => {
    let members = byKey.get(k);
    if (!members) byKey.set(k, (members = []));
    members.push(i);
  });
  const strataKeys = [...byKey.keys()].sort();
  const members = strataKeys.map((k) => byKey.get(k) as number[]);
  const sizes = allocate(options.budget, members.map((m) => m.length), options.allocation ?? 'proportional', options.minPerStratum ?? 1);
  const rng = seededRng(options.seed);
  const strata: StratumSummary[] = [];
  const sample: SampledItem[] = [];
  strataKeys.forEach((key, h) => {
    const pool = members[h].slice();
    const N = pool.length;
    const n = sizes[h];
    const pi = N > 0 ? n / N : 0;
    for (let j = 0; j < n; j++) {
      const r = j + rng.int(N - j);
      const t = pool[j];
      pool[j] = pool[r];
      pool[r] = t;
      sample.push({ index: pool[j], stratum: key, design: 'stratified', pi, weight: 1 / pi, discoveryOnly: false });
    }
    strata.push({ key, population: N, sampled: n, pi });
  });
  return { strata, sample };
}

/** Confidence band index: the number of `edges` (ascending) that are ≤ c, so band b is [edges[b−1], edges[b]). */
export function confidenceBand(c: number, edges: readonly number[]): number {
  let b = 0;
  while (b < edges.length && c >= edges[b]) b++;
  return b;
}

/** Human-readable band label for band b, e.g. "[0.7,0.9)". */
export function bandLabel(b: number, edges: readonly number[]): string {
  const lo = b === 0 ? '0' : String(edges[b - 1]);
  const hi = b === edges.length ? '1]' : `${edges[b]})`;
  return `[${lo},${hi}`;
}

export interface PredictionForSampling {
  failed: boolean;
  confidence: number;
}

/** Default confidence bands: [0, 0.5), [0.5, 0.7), [0.7, 0.9), [0.9, 1]. */
export const DEFAULT_BAND_EDGES: readonly number[] = [0.5, 0.7, 0.9];

/**
 * DESIGN §3's stratified design: strata are failed/correct × confidence band (keys like
 * "failed|[0.9,1]"), so that the failure rate of any concept subgroup can be estimated without bias
 * with weights 1/π — which sampling failures alone cannot do.
 */
export function stratifiedSample(
  items: readonly PredictionForSampling[],
  options: StratifiedOptions & { bandEdges?: readonly number[] },
): StratifiedSample {
  const edges = options.bandEdges ?? DEFAULT_BAND_EDGES;
  for (let j = 0; j < edges.length; j++) {
    if (!(edges[j] > 0 && edges[j] < 1) || (j > 0 && edges[j] <= edges[j - 1])) throw invalid('bandEdges', 'must be ascending values in (0, 1)');
  }
  const keys = items.map((it, i) => {
    if (!(it.confidence >= 0 && it.confidence <= 1)) throw invalid(`items[${i}].confidence`, 'must be in [0, 1]', { row: i + 1 });
    return `${it.failed ? 'failed' : 'correct'}|${bandLabel(confidenceBand(it.confidence, edges), edges)}`;
  });
  return stratifiedSampleByKey(keys, options);
}
