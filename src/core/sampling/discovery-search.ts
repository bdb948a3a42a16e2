import { invalid } from '../errors';
import { seededRng, type Rng } from '../random/rng';
import { beta } from './beta-sampler';
import type { SampledItem } from './sampled-item';

/**
 * Explore–exploit search for confident failures ("unknown unknowns", Lakkaraju et al. 2017) over
 * partitions of the items, e.g. predicted class × confidence band × attribute cluster. Each partition
 * is a bandit arm; pulling it annotates one of its items drawn at random, and the reward is 1 when
 * the item turns out a confident failure.
 * - `ucb1` (Auer, Cesa-Bianchi & Fischer 2002): an unpulled arm first, then the largest
 *   mean + √(2 ln t / n_a);
 * - `thompson` (Thompson 1933): the largest draw from Beta(1 + hits, 1 + misses).
 * Items found this way are discovery-only: the choice depends on earlier answers, so they carry no
 * inclusion probability and must not be used to estimate rates.
 */
export type BanditPolicy = 'ucb1' | 'thompson';

export interface DiscoveryArm {
  key: string;
  /** Items not yet drawn (indices into the caller's array). */
  pool: number[];
  /** Outcomes recorded so far, and how many were hits (confident failures). */
  pulls: number;
  hits: number;
}

/**
 * Plain-JSON state of a search, so a service can store it between requests. The functions below
 * update it in place; each draw uses a generator seeded from (seed, step), so a stored state
 * resumes with exactly the draws an uninterrupted run would make.
 */
export interface DiscoveryState {
  policy: BanditPolicy;
  seed: number;
  step: number;
  arms: DiscoveryArm[];
}

export interface DiscoveryPick {
  arm: number;
  key: string;
  index: number;
}

/** Builds a search over items grouped by `partitionOfItem[i]`; `exclude` removes items already annotated. */
export function createDiscovery(
  partitionOfItem: readonly string[],
  options: { policy?: BanditPolicy; seed: number; exclude?: Iterable<number> },
): DiscoveryState {
  const policy = options.policy ?? 'thompson';
  if (policy !== 'ucb1' && policy !== 'thompson') throw invalid('policy', `must be 'ucb1' or 'thompson', got '${String(policy)}'`);
  const excluded = new Set(options.exclude ?? []);
  const byKey = new Map<string, number[]>();
  partitionOfItem.forEach((key, i) => {
    if (excluded.has(i)) return;
    let pool = byKey.get(key);
    if (!pool) byKey.set(key, (pool = []));
    pool.push(i);
  });
  const arms = [...byKey.keys()].sort().map((key) => ({ key, pool: byKey.get(key) as number[], pulls: 0, hits: 0 }));
  return { policy, seed: options.seed >>> 0, step: 0, arms };
}

/** Picks the next arm by the policy and draws one of its remaining items (removed from the pool); null when every pool is empty. */
export function nextDiscoveryItem(state: DiscoveryState): DiscoveryPick | null {
  const rng = stepRng(state.seed, state.step);
  const arm = chooseArm(state, rng);
  if (arm < 0) return null;
  state.step++;
  const pool = state.arms[arm].pool;
  const j = rng.int(pool.length);
  const index = pool[j];
  pool[j] = pool[pool.length - 1];
  pool.pop();
  return { arm, key: state.arms[arm].key, index };
}

/** Records the annotation outcome of an item drawn from `arm`: hit = it is a confident failure. */
export function recordDiscoveryOutcome(state: DiscoveryState, arm: number, hit: boolean): void {
  const a = state.arms[arm];
  if (!a) throw invalid('arm', `no arm ${arm}`);
  a.pulls++;
  if (hit) a.hits++;
}

function chooseArm(state: DiscoveryState, rng: Rng): number {
  let best = -1;
  let bestScore = -Infinity;
  const t = state.arms.reduce((s, a) => s + a.pulls, 0);
  for (let i = 0; i < state.arms.length; i++) {
    const a = state.arms[i];
    if (a.pool.length === 0) continue;
    let score: number;
    if (state.policy === 'ucb1') {
      if (a.pulls === 0) return i; // every arm once first, lowest index first
      score = a.hits / a.pulls + Math.sqrt((2 * Math.log(t)) / a.pulls);
    } else {
      score = beta(1 + a.hits, 1 + a.pulls - a.hits, rng);
    }
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

function stepRng(seed: number, step: number): Rng {
  // Golden-ratio stride decorrelates consecutive steps' seeds before mulberry32 hashes them.
  return seededRng((seed ^ Math.imul(step + 1, 0x9e3779b9)) >>> 0);
}

export interface DiscoveryRun {
  /** Drawn items in draw order, flagged discovery-only (no π, no weight). */
  sample: SampledItem[];
  hits: number;
  arms: Array<{ key: string; pulls: number; hits: number; remaining: number }>;
}

/**
 * Runs a search to the end of `budget` with a synchronous oracle (offline evaluation, tests, or
 * items whose outcomes are already known); a service drives `nextDiscoveryItem` /
 * `recordDiscoveryOutcome` itself as answers arrive.
 */
export function runDiscovery(
  partitionOfItem: readonly string[],
  isConfidentFailure: (index: number) => boolean,
  budget: number,
  options: { policy?: BanditPolicy; seed: number; exclude?: Iterable<number> },
): DiscoveryRun {
  if (!Number.isInteger(budget) || budget < 0) throw invalid('budget', 'must be an integer ≥ 0');
  const state = createDiscovery(partitionOfItem, options);
  const sample: SampledItem[] = [];
  let hits = 0;
  for (let b = 0; b < budget; b++) {
    const pick = nextDiscoveryItem(state);
    if (!pick) break;
    const hit = isConfidentFailure(pick.index);
    recordDiscoveryOutcome(state, pick.arm, hit);
    if (hit) hits++;
    sample.push({ index: pick.index, stratum: pick.key, design: 'discovery', pi: null, weight: null, discoveryOnly: true });
  }
  return { sample, hits, arms: state.arms.map((a) => ({ key: a.key, pulls: a.pulls, hits: a.hits, remaining: a.pool.length })) };
}
