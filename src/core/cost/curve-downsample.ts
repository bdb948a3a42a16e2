import { invalid } from '../errors';

/**
 * Indices of at most `maxPoints` points of a curve of `length` points, evenly spaced in index,
 * always including the first, the last and every index in `keep` (e.g. the T* and Tv points).
 * Returned ascending, without duplicates. Even spacing in candidate index is even spacing in
 * rank, so dense regions of the curve keep proportionally more points.
 */
export function downsampleIndices(length: number, keep: readonly number[], maxPoints = 200): number[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw invalid('maxPoints', 'must be an integer ≥ 2');
  if (length <= maxPoints) return Array.from({ length }, (_, i) => i);
  const forced = new Set<number>([0, length - 1]);
  for (const k of keep) if (k >= 0 && k < length) forced.add(k);
  if (forced.size > maxPoints) throw invalid('maxPoints', `must be at least ${forced.size} to keep every marked point`);
  // Fill the remaining budget evenly; a spaced index that coincides with a forced one is not
  // replaced, so the result may have slightly fewer than maxPoints points, never more.
  const free = maxPoints - forced.size;
  const chosen = new Set(forced);
  for (let i = 1; i <= free; i++) chosen.add(Math.round((i * (length - 1)) / (free + 1)));
  return [...chosen].sort((a, b) => a - b);
}
