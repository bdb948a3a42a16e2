import { validatePredictions } from './ranked-predictions';
import type { ScalarCosts } from './value-curves';

// Direct O(n) forms of the DESIGN §1 definitions, for one threshold. The curves compute the same
// quantities for every candidate at once; these are the reference they are tested against.

/** EV(t) = (1/n) Σ [c<t]·D + [c≥t]·(c·V + (1−c)·W): value expected if confidences were calibrated (DESIGN §1). */
export function expectedValue(conf: Float64Array, policy: ScalarCosts, t: number): number {
  validatePredictions(conf, new Uint8Array(conf.length));
  let sum = 0;
  for (let i = 0; i < conf.length; i++) {
    const c = conf[i];
    sum += c >= t ? c * policy.V + (1 - c) * policy.W : policy.D;
  }
  return sum / conf.length;
}

/** RV(t) = (1/n) Σ [c<t]·D + [c≥t]·(y·V + (1−y)·W): value the threshold actually earned (DESIGN §1). */
export function realizedValue(conf: Float64Array, correct: Uint8Array, policy: ScalarCosts, t: number): number {
  validatePredictions(conf, correct);
  let sum = 0;
  for (let i = 0; i < conf.length; i++) {
    sum += conf[i] >= t ? (correct[i] === 1 ? policy.V : policy.W) : policy.D;
  }
  return sum / conf.length;
}

/** Value gap EV(t) − RV(t): the part of the calibration error that costs value (DESIGN §1). */
export function valueGap(conf: Float64Array, correct: Uint8Array, policy: ScalarCosts, t: number): number {
  return expectedValue(conf, policy, t) - realizedValue(conf, correct, policy, t);
}

/** Per-item reference values a threshold should beat (DESIGN §1), plus the perfect rejector's ceiling. */
export interface ValueBaselines {
  /** No model: every item takes the default path, D per item. */
  noModel: number;
  /** Accept every prediction: expected and realized value per item. */
  acceptAll: { ev: number; rv: number };
  /** An oracle that accepts exactly the items whose realized value beats D: an upper bound. */
  oracle: number;
}

/** Baselines from totals: n items, `correct` of them right, confidences summing to `sumConfidence`. */
export function valueBaselines(n: number, correct: number, sumConfidence: number, policy: ScalarCosts): ValueBaselines {
  const wrong = n - correct;
  return {
    noModel: policy.D,
    acceptAll: {
      ev: (n * policy.W + (policy.V - policy.W) * sumConfidence) / n,
      rv: (correct * policy.V + wrong * policy.W) / n,
    },
    oracle: (correct * Math.max(policy.V, policy.D) + wrong * Math.max(policy.W, policy.D)) / n,
  };
}
