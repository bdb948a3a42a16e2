import { CaveatError, invalid } from '../errors';

/**
 * Predictions grouped by distinct confidence, ascending: the one sorted view that value curves,
 * Tv, its bootstrap, equal-mass bins, AURC and isotonic fitting all share. Items tied in
 * confidence are exchangeable for every metric built on it, so a group keeps only its size
 * and how many of its items are correct.
 */
export interface RankedPredictions {
  /** Number of items. */
  n: number;
  /** Correct items in total. */
  totalCorrect: number;
  /** Distinct confidences, strictly ascending. */
  values: Float64Array;
  /** Items per distinct confidence. */
  counts: Uint32Array;
  /** Correct items per distinct confidence. */
  correct: Uint32Array;
}

/**
 * Checks that confidences lie in [0, 1] and correctness flags are 0/1, with equal lengths; an
 * empty set is `unprocessable` (a metric of nothing is undefined, never NaN).
 */
export function validatePredictions(conf: Float64Array, correct: Uint8Array, field = 'confidence'): void {
  if (conf.length !== correct.length) {
    throw invalid('correct', `has ${correct.length} entries for ${conf.length} confidences`);
  }
  if (conf.length === 0) throw new CaveatError('unprocessable', 'no predictions to evaluate: the split is empty', { field });
  for (let i = 0; i < conf.length; i++) {
    const c = conf[i];
    // `!(c >= 0 && c <= 1)` also catches NaN.
    if (!(c >= 0 && c <= 1)) throw invalid(`${field}[${i}]`, `must be a number in [0, 1], got ${c}`);
    if (correct[i] > 1) throw invalid(`correct[${i}]`, `must be 0 or 1, got ${correct[i]}`);
  }
}

/**
 * Validates and groups predictions by distinct confidence. The correct and the wrong items'
 * confidences are sorted apart (native Float64Array sort, no comparator) and merged, so no
 * index permutation is ever needed: O(n log n), two sorts of arrays that together hold n values.
 */
export function rankPredictions(conf: Float64Array, correct: Uint8Array): RankedPredictions {
  validatePredictions(conf, correct);
  const n = conf.length;
  let totalCorrect = 0;
  for (let i = 0; i < n; i++) totalCorrect += correct[i];
  const right = new Float64Array(totalCorrect);
  const wrong = new Float64Array(n - totalCorrect);
  for (let i = 0, r = 0, w = 0; i < n; i++) {
    if (correct[i] === 1) right[r++] = conf[i];
    else wrong[w++] = conf[i];
  }
  right.sort();
  wrong.sort();
  const values = new Float64Array(n);
  const counts = new Uint32Array(n);
  const good = new Uint32Array(n);
  let m = 0;
  let i = 0;
  let j = 0;
  while (i < right.length || j < wrong.length) {
    const v = j >= wrong.length || (i < right.length && right[i] <= wrong[j]) ? right[i] : wrong[j];
    let r = 0;
    while (i < right.length && right[i] === v) {
      i++;
      r++;
    }
    let w = 0;
    while (j < wrong.length && wrong[j] === v) {
      j++;
      w++;
    }
    values[m] = v === 0 ? 0 : v; // fold −0 into +0 so a group has one printed value
    counts[m] = r + w;
    good[m] = r;
    m++;
  }
  return { n, totalCorrect, values: values.subarray(0, m), counts: counts.subarray(0, m), correct: good.subarray(0, m) };
}
