import type { EncodedAnswers } from './answers';
import { seededRng } from '../random/rng';

export interface SyntheticCrowdOptions {
  items: number;
  workers: number;
  classes: number;
  /** Answers per item; each item is answered by this many distinct workers. */
  answersPerItem: number;
  /** Worker accuracy is drawn uniformly in [min, max]; a wrong answer is uniform over the other classes. */
  accuracy: [number, number];
  seed: number;
}

/**
 * A seeded synthetic crowd (one-coin workers, uniform true classes), for property tests and the
 * benchmark. Returns the encoded answers and the true class per item.
 */
export function syntheticCrowd(o: SyntheticCrowdOptions): { data: EncodedAnswers; truth: Int32Array; workerAccuracy: Float64Array } {
  const rng = seededRng(o.seed);
  const K = o.classes;
  const per = Math.min(o.answersPerItem, o.workers);
  const truth = new Int32Array(o.items);
  const workerAccuracy = new Float64Array(o.workers);
  for (let w = 0; w < o.workers; w++) workerAccuracy[w] = o.accuracy[0] + rng.next() * (o.accuracy[1] - o.accuracy[0]);
  const n = o.items * per;
  const item = new Int32Array(n);
  const worker = new Int32Array(n);
  const label = new Int32Array(n);
  const chosen = new Set<number>();
  let a = 0;
  for (let i = 0; i < o.items; i++) {
    truth[i] = rng.int(K);
    chosen.clear();
    while (chosen.size < per) chosen.add(rng.int(o.workers));
    for (const w of chosen) {
      item[a] = i;
      worker[a] = w;
      label[a] = rng.next() < workerAccuracy[w] ? truth[i] : (truth[i] + 1 + rng.int(K - 1)) % K;
      a++;
    }
  }
  return {
    data: {
      items: Array.from({ length: o.items }, (_, i) => `i${i}`),
      workers: Array.from({ length: o.workers }, (_, w) => `w${w}`),
      classes: Array.from({ length: K }, (_, k) => String(k)),
      item,
      worker,
      label,
      duplicates: 0,
    },
    truth,
    workerAccuracy,
  };
}
