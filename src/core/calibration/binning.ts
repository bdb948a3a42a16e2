import { invalid } from '../errors';
import type { RankedPredictions } from '../cost/ranked-predictions';
import { validatePredictions } from '../cost/ranked-predictions';

/** One bin of a reliability diagram (DESIGN §2). Empty bins have null means. */
export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  meanConfidence: number | null;
  accuracy: number | null;
}

export const DEFAULT_BINS = 15;

export function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) throw invalid('bins', 'must be a positive integer');
}

/**
 * Equal-width bin of confidence c among B bins: bin b is (b/B, (b+1)/B], upper edge inclusive as
 * in Guo et al. 2017's reference ECE code, except that c = 0 falls in bin 0 instead of no bin.
 * Edges are compared as the doubles b/B, so 0.7 is in (0.6, 0.7] even though 0.7·10 > 7.
 */
export function equalWidthBin(c: number, bins: number): number {
  let b = Math.ceil(c * bins) - 1;
  if (b < 0) return 0;
  if (b > bins - 1) b = bins - 1;
  if (b > 0 && c <= b / bins) b--;
  else if (b < bins - 1 && c > (b + 1) / bins) b++;
  return b;
}

/** Reliability data over B equal-width bins (all B bins, empty ones included). */
export function reliabilityEqualWidth(conf: Float64Array, correct: Uint8Array, bins = DEFAULT_BINS): ReliabilityBin[] {
  validatePredictions(conf, correct);
  checkBins(bins);
  const count = new Float64Array(bins);
  const sumC = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < conf.length; i++) {
    const b = equalWidthBin(conf[i], bins);
    count[b]++;
    sumC[b] += conf[i];
    sumY[b] += correct[i];
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    out.push({
      lo: b / bins,
      hi: (b + 1) / bins,
      count: count[b],
      meanConfidence: count[b] > 0 ? sumC[b] / count[b] : null,
      accuracy: count[b] > 0 ? sumY[b] / count[b] : null,
    });
  }
  return out;
}

/**
 * Reliability data over B equal-mass bins (Nixon et al. 2019, "adaptive" binning): items sorted by
 * confidence ascending and cut into B runs of ⌊n/B⌋ or ⌈n/B⌉ items, the larger ones first as
 * numpy.array_split does. A bin edge that falls inside a group of tied confidences takes its
 * share of the group's correct items pro rata, so the result does not depend on the order of
 * tied items. lo/hi are the smallest and largest confidence in the bin; empty bins (n < B) are omitted.
 */
export function reliabilityEqualMass(r: RankedPredictions, bins = DEFAULT_BINS): ReliabilityBin[] {
  checkBins(bins);
  const out: ReliabilityBin[] = [];
  const base = Math.floor(r.n / bins);
  const extra = r.n % bins;
  let g = 0;
  let leftInGroup = r.counts[0];
  for (let b = 0; b < bins; b++) {
    const size = base + (b < extra ? 1 : 0);
    if (size === 0) continue;
    let need = size;
    let sumC = 0;
    let sumY = 0;
    const lo = r.values[g];
    let hi = lo;
    while (need > 0) {
      const take = Math.min(need, leftInGroup);
      sumC += take * r.values[g];
      sumY += (take * r.correct[g]) / r.counts[g];
      hi = r.values[g];
      need -= take;
      leftInGroup -= take;
      if (leftInGroup === 0 && g + 1 < r.values.length) leftInGroup = r.counts[++g];
    }
    out.push({ lo, hi, count: size, meanConfidence: sumC / size, accuracy: sumY / size });
  }
  return out;
}

/** ECE = Σ_b (n_b/n)·|acc_b − conf_b| over non-empty bins (Naeini et al. 2015; Guo et al. 2017). */
export function eceOfBins(bins: readonly ReliabilityBin[]): number {
  let n = 0;
  let sum = 0;
  for (const b of bins) {
    if (b.count === 0) continue;
    n += b.count;
    sum += b.count * Math.abs((b.accuracy as number) - (b.meanConfidence as number));
  }
  return sum / n;
}

/** MCE = max_b |acc_b − conf_b| over non-empty bins (Naeini et al. 2015). */
export function mceOfBins(bins: readonly ReliabilityBin[]): number {
  let max = 0;
  for (const b of bins) if (b.count > 0) max = Math.max(max, Math.abs((b.accuracy as number) - (b.meanConfidence as number)));
  return max;
}
