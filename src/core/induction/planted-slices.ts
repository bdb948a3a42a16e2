import { seededRng } from '../random/rng';
import type { InductionDataset } from './types';

/** A planted failure slice: items with every listed attribute value fail at `errorRate`. */
export interface PlantedSlice {
  when: Record<string, string>;
  errorRate: number;
}

export interface PlantedSliceSpec {
  items: number;
  seed: number;
  /** Categorical attributes a1…aK, each with values v1…vM drawn uniformly. */
  attributes: number;
  values: number;
  /** Failure rate outside every slice. */
  baseError: number;
  slices: PlantedSlice[];
}

/**
 * Synthetic predictions with known failure slices (for recovery and false-discovery tests):
 * independent uniform categorical attributes, a true class yes/no with probability ½, and a
 * prediction that is wrong with the slice's rate inside a planted slice (the highest when several
 * apply) and with `baseError` elsewhere. Seeded: the same spec gives the same data.
 */
export function plantedSliceData(spec: PlantedSliceSpec): InductionDataset {
  const rng = seededRng(spec.seed);
  const names = Array.from({ length: spec.attributes }, (_, a) => `a${a + 1}`);
  const columns = names.map((name) => ({ kind: 'categorical' as const, name, values: new Array<string>(spec.items) }));
  const label = new Array<string>(spec.items);
  const predicted = new Array<string>(spec.items);
  for (let i = 0; i < spec.items; i++) {
    for (const col of columns) col.values[i] = `v${1 + rng.int(spec.values)}`;
    let rate = -1;
    for (const s of spec.slices) {
      if (Object.entries(s.when).every(([a, v]) => columns[names.indexOf(a)].values[i] === v)) rate = Math.max(rate, s.errorRate);
    }
    const wrong = rng.next() < (rate < 0 ? spec.baseError : rate);
    const y = rng.next() < 0.5 ? 'yes' : 'no';
    label[i] = y;
    predicted[i] = wrong ? (y === 'yes' ? 'no' : 'yes') : y;
  }
  return { columns, label, predicted };
}
