import type { Binning } from './types';

/**
 * Inner edges of numeric bins: bins are (−∞, e₁), [e₁, e₂), …, [e_k, +∞), so values outside the
 * discovery range still fall in a bin. Quantile edges sit at ranks ⌊j·n/B⌋ of the sorted values;
 * equal-width edges split [min, max] evenly. Edges are rounded to 3 significant digits so the text
 * reads well (`age in [25, 45)`); membership is defined by the rounded edges, so text, bitset and
 * rules-engine form agree exactly. Duplicate edges and edges at or below the minimum are dropped.
 */
export function binEdges(values: ArrayLike<number>, bins: number, binning: Binning): number[] {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) xs.push(v);
  }
  if (xs.length === 0 || bins < 2) return [];
  xs.sort((a, b) => a - b);
  const min = xs[0];
  const max = xs[xs.length - 1];
  const raw: number[] = [];
  for (let j = 1; j < bins; j++) {
    raw.push(binning === 'quantile' ? xs[Math.floor((j * xs.length) / bins)] : min + ((max - min) * j) / bins);
  }
  const edges: number[] = [];
  for (const e of raw.map(roundEdge)) {
    if (e > min && e <= max && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  return edges;
}

/** Rounds to 3 significant digits, without float noise (25.000000001 → 25). */
export function roundEdge(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(3));
}

/** Index of the bin holding v given inner edges (−1 for NaN): the number of edges ≤ v. */
export function binIndex(v: number, edges: readonly number[]): number {
  if (Number.isNaN(v)) return -1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Readable text of bin j: `x < e₁`, `x in [e₁, e₂)`, `x ≥ e_k`. */
export function binText(label: string, lower: number | null, upper: number | null): string {
  if (lower === null && upper === null) return `${label} is any value`;
  if (lower === null) return `${label} < ${fmt(upper as number)}`;
  if (upper === null) return `${label} ≥ ${fmt(lower)}`;
  return `${label} in [${fmt(lower)}, ${fmt(upper)})`;
}

function fmt(x: number): string {
  return String(x);
}
