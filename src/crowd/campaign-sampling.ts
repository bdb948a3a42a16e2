import { invalid } from '../core/errors';
import { permutation, seededRng } from '../core/random/rng';
import { createDiscovery, type DiscoveryState } from '../core/sampling/discovery-search';
import { bandLabel, confidenceBand, stratifiedSampleByKey, type StratumSummary } from '../core/sampling/stratified-sampling';
import type { CampaignDesign } from './campaign-design';

/** The items a campaign may draw from, as parallel columns in prediction-id order. */
export interface SamplingFrame {
  /** predictions.id (bigint, as text). */
  ids: string[];
  confidence: number[];
  predicted: string[];
  /** 'failed' | 'correct' | 'unlabeled' (label ≠ / = predicted, or no label yet). */
  outcome: string[];
  /** The partition attributes' values joined by '|' (explore designs only). */
  attributes?: string[];
}

/** A campaign item to insert, in hand-out order. */
export interface PlannedItem {
  predictionId: string;
  design: 'stratified' | 'discovery' | 'report';
  stratum: string;
  pi: number | null;
  discoveryOnly: boolean;
}

const bandOf = (c: number, bands: readonly number[]): string => bandLabel(confidenceBand(c, bands), bands);

/** Stratum key of each frame item: outcome × confidence band, e.g. "failed|[0.9,1]" (DESIGN §3). */
export const stratumKeys = (frame: SamplingFrame, bands: readonly number[]): string[] => frame.ids.map((_, i) => `${frame.outcome[i]}|${bandOf(frame.confidence[i], bands)}`);

/** Bandit partition of each frame item: predicted class × confidence band (× attribute values). */
export const partitionKeys = (frame: SamplingFrame, bands: readonly number[]): string[] =>
  frame.ids.map((_, i) => `${frame.predicted[i]}|${bandOf(frame.confidence[i], bands)}${frame.attributes ? `|${frame.attributes[i]}` : ''}`);

/**
 * Draws a stratified sample of `items` frame items (src/core/sampling: allocation, then simple
 * random sampling without replacement per stratum, π = n_h/N_h), handed out in a seeded random
 * order so early labels cover every stratum.
 */
export function planStratified(frame: SamplingFrame, design: Extract<CampaignDesign, { type: 'stratified' }>, items: number, budgetNote: string): { items: PlannedItem[]; strata: StratumSummary[] } {
  const keys = stratumKeys(frame, design.bands);
  const strata = new Set(keys).size;
  if (items < strata) {
    throw invalid('budget', `${budgetNote} leaves ${items} item(s) to sample, fewer than the ${strata} non-empty strata (outcome × confidence band); raise the budget or use fewer bands`, {
      strata,
    });
  }
  const { strata: summary, sample } = stratifiedSampleByKey(keys, { budget: items, allocation: design.allocation, seed: design.seed });
  const order = permutation(sample.length, seededRng((design.seed ^ 0x5bd1e995) >>> 0));
  const planned = Array.from(order, (j) => {
    const s = sample[j];
    return { predictionId: frame.ids[s.index], design: 'stratified' as const, stratum: s.stratum, pi: s.pi, discoveryOnly: false };
  });
  return { items: planned, strata: summary };
}

/**
 * The initial state of an explore design's bandit search (src/core/sampling/discovery-search.ts).
 * Pools hold prediction ids instead of frame indices (the search treats pool entries as opaque),
 * so the stored state needs no frame to resume.
 */
export function planExplore(frame: SamplingFrame, design: Extract<CampaignDesign, { type: 'explore' }>, exclude: ReadonlySet<string>): DiscoveryState {
  const excluded: number[] = [];
  frame.ids.forEach((id, i) => {
    if (exclude.has(id)) excluded.push(i);
  });
  const state = createDiscovery(partitionKeys(frame, design.bands), { policy: design.policy, seed: design.seed, exclude: excluded });
  for (const arm of state.arms) arm.pool = arm.pool.map((i) => Number(frame.ids[i]));
  return state;
}
