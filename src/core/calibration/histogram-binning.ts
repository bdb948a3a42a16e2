import { rankPredictions } from '../cost/ranked-predictions';
import { DEFAULT_BINS, checkBins, equalWidthBin } from './binning';

/**
 * A piecewise-constant map: c goes to values[j] for the first j with c ≤ cuts[j], or to the
 * last value when c exceeds every cut. `cuts` ascending, one fewer than `values`.
 */
export interface HistogramParams {
  binning: 'equal-width' | 'equal-mass';
  cuts: number[];
  values: number[];
}

export interface HistogramOptions {
  bins?: number;
  /** 'equal-mass' (default; Zadrozny & Elkan 2001 sort the scores into equal-frequency bins) or 'equal-width'. */
  binning?: HistogramParams['binning'];
}

/**
 * Histogram binning (Zadrozny & Elkan 2001): each bin's confidences map to the bin's accuracy on
 * the fit split. Equal-mass bins never split a group of tied confidences and cut halfway between
 * neighbouring bins' confidences; an empty equal-width bin maps to its midpoint (no evidence).
 */
export function fitHistogramBinning(conf: Float64Array, correct: Uint8Array, options: HistogramOptions = {}): HistogramParams {
  const bins = options.bins ?? DEFAULT_BINS;
  const binning = options.binning ?? 'equal-mass';
  checkBins(bins);
  const r = rankPredictions(conf, correct);
  if (binning === 'equal-width') {
    const count = new Float64Array(bins);
    const good = new Float64Array(bins);
    for (let g = 0; g < r.values.length; g++) {
      const b = equalWidthBin(r.values[g], bins);
      count[b] += r.counts[g];
      good[b] += r.correct[g];
    }
    const cuts = Array.from({ length: bins - 1 }, (_, b) => (b + 1) / bins);
    const values = Array.from({ length: bins }, (_, b) => (count[b] > 0 ? good[b] / count[b] : (b + 0.5) / bins));
    return { binning, cuts, values };
  }
  const cuts: number[] = [];
  const values: number[] = [];
  const m = r.values.length;
  let cumulative = 0;
  let target = 1;
  let binCount = 0;
  let binCorrect = 0;
  for (let g = 0; g < m; g++) {
    cumulative += r.counts[g];
    binCount += r.counts[g];
    binCorrect += r.correct[g];
    if (g < m - 1 && cumulative >= (target * r.n) / bins) {
      values.push(binCorrect / binCount);
      cuts.push((r.values[g] + r.values[g + 1]) / 2);
      binCount = 0;
      binCorrect = 0;
      while (cumulative >= (target * r.n) / bins) target++;
    }
  }
  values.push(binCorrect / binCount);
  return { binning, cuts, values };
}

/** The binned value of c: binary search over the cuts, no allocation. */
export function applyHistogram(p: HistogramParams, c: number): number {
  const { cuts } = p;
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c <= cuts[mid]) hi = mid;
    else lo = mid + 1;
  }
  return p.values[lo];
}
