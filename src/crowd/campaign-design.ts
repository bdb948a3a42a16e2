import { invalid } from '../core/errors';
import type { AllocationScheme } from '../core/sampling/allocation';
import type { BanditPolicy } from '../core/sampling/discovery-search';
import { DEFAULT_BAND_EDGES } from '../core/sampling/stratified-sampling';

/**
 * Which items a campaign asks about (DESIGN §3):
 * - `stratified`: a stratified random sample over failed/correct/unlabeled × confidence band, drawn
 *   when the campaign is created; every item records its inclusion probability π (weight 1/π);
 * - `explore`: an explore–exploit search (UCB1 or Thompson sampling) over partitions
 *   predicted class × confidence band (× the values of `partitionAttributes`), drawn one item at a
 *   time as tasks are requested; its items are discovery-only (no π).
 */
export type CampaignDesign =
  | { type: 'stratified'; allocation: AllocationScheme; bands: number[]; seed: number }
  | { type: 'explore'; policy: BanditPolicy; bands: number[]; partitionAttributes: string[]; seed: number };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates a design as a client sends it and fills its defaults (bands [0.5, 0.7, 0.9], a random seed). */
export function resolveDesign(raw: unknown, randomSeed: () => number): CampaignDesign {
  if (!isObject(raw)) throw invalid('design', "must be an object with type 'stratified' or 'explore'");
  const allowed = raw.type === 'stratified' ? ['type', 'allocation', 'bands', 'seed'] : ['type', 'policy', 'bands', 'partitionAttributes', 'seed'];
  if (raw.type !== 'stratified' && raw.type !== 'explore') throw invalid('design.type', "must be 'stratified' or 'explore'");
  for (const k of Object.keys(raw)) if (!allowed.includes(k)) throw invalid(`design.${k}`, `is not a setting of a ${raw.type} design (${allowed.join(', ')})`);
  const bands = raw.bands === undefined ? [...DEFAULT_BAND_EDGES] : raw.bands;
  if (!Array.isArray(bands) || bands.length > 20 || bands.some((b, j) => typeof b !== 'number' || !(b > 0 && b < 1) || (j > 0 && b <= bands[j - 1]))) {
    throw invalid('design.bands', 'must be at most 20 ascending confidence edges in (0, 1), e.g. [0.5, 0.7, 0.9]');
  }
  const seed = raw.seed === undefined ? randomSeed() : raw.seed;
  if (!Number.isInteger(seed) || (seed as number) < 0 || (seed as number) > 0xffffffff) throw invalid('design.seed', 'must be an integer in [0, 2^32)');
  if (raw.type === 'stratified') {
    const allocation = raw.allocation ?? 'equal';
    if (allocation !== 'equal' && allocation !== 'proportional') throw invalid('design.allocation', "must be 'equal' or 'proportional'");
    return { type: 'stratified', allocation, bands: bands as number[], seed: seed as number };
  }
  const policy = raw.policy ?? 'thompson';
  if (policy !== 'ucb1' && policy !== 'thompson') throw invalid('design.policy', "must be 'ucb1' or 'thompson'");
  const attrs = raw.partitionAttributes ?? [];
  if (!Array.isArray(attrs) || attrs.length > 5 || attrs.some((a) => typeof a !== 'string' || a === '' || a.length > 200)) {
    throw invalid('design.partitionAttributes', 'must be at most 5 attribute names');
  }
  return { type: 'explore', policy, bands: bands as number[], partitionAttributes: attrs as string[], seed: seed as number };
}
