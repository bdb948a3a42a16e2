import { invalid } from '../errors';
import { wilsonInterval as wilson } from '../induction/statistics';
import type { EncodedAnswers } from './answers';

export interface GoldReliabilityOptions {
  /** Reliability bar: a worker whose accuracy on gold items is below it is flagged. Default 0.7. */
  minAccuracy?: number;
  /** Gold answers a worker needs before it can be flagged (fewer is too little evidence). Default 5. */
  minGoldAnswers?: number;
}

export interface WorkerGoldReliability {
  worker: string;
  goldAnswers: number;
  correct: number;
  /** correct / goldAnswers; null without gold answers. */
  accuracy: number | null;
  /** 95% Wilson score interval of the accuracy (null without gold answers), to judge small counts. */
  wilson: [number, number] | null;
  flagged: boolean;
}

/**
 * Per-worker accuracy on gold items (items with a known answer, `known[i]` = class index or −1),
 * flagging workers below `minAccuracy` once they have `minGoldAnswers` gold answers.
 * The Wilson interval (Wilson 1927, z = 1.96) is reported so a curator can tell noise from carelessness.
 */
export function goldReliability(
  data: EncodedAnswers,
  known: Int32Array,
  options: GoldReliabilityOptions = {},
): WorkerGoldReliability[] {
  const minAccuracy = options.minAccuracy ?? 0.7;
  const minGoldAnswers = options.minGoldAnswers ?? 5;
  if (!(minAccuracy >= 0 && minAccuracy <= 1)) throw invalid('minAccuracy', 'must be in [0, 1]');
  if (!Number.isInteger(minGoldAnswers) || minGoldAnswers < 1) throw invalid('minGoldAnswers', 'must be an integer ≥ 1');
  if (known.length !== data.items.length) throw invalid('known', `needs one entry per item (${data.items.length})`);
  const W = data.workers.length;
  const total = new Int32Array(W);
  const correct = new Int32Array(W);
  for (let a = 0; a < data.item.length; a++) {
    const c = known[data.item[a]];
    if (c < 0) continue;
    const w = data.worker[a];
    total[w]++;
    if (data.label[a] === c) correct[w]++;
  }
  return data.workers.map((worker, w) => {
    const n = total[w];
    const accuracy = n > 0 ? correct[w] / n : null;
    return {
      worker,
      goldAnswers: n,
      correct: correct[w],
      accuracy,
      wilson: n > 0 ? wilsonInterval(correct[w], n) : null,
      flagged: accuracy !== null && n >= minGoldAnswers && accuracy < minAccuracy,
    };
  });
}

/** Wilson score interval for a binomial proportion k/n at z (default 1.96, 95%): statistics.ts's, at this z. */
export function wilsonInterval(k: number, n: number, z = 1.96): [number, number] {
  return wilson(k, n, z);
}
