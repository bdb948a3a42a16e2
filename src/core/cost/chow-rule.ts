import { invalid } from '../errors';
import type { CostPolicy } from './cost-policy';

/**
 * Value of accepting each (true class y, predicted class ŷ) pair, row-major `[y·k + ŷ]`:
 * V[ŷ] on the diagonal and W[y][ŷ] off it, with the policy's V and W where no class-specific
 * value is given (DESIGN §1).
 */
export interface ClassCostMatrix {
  classes: readonly string[];
  k: number;
  accept: Float64Array;
  /** Value of the default path for a rejected item. */
  D: number;
}

/** Builds the accept-value matrix of a policy over the model's classes. */
export function classCostMatrix(policy: CostPolicy, classes: readonly string[]): ClassCostMatrix {
  const k = classes.length;
  if (k === 0) throw invalid('classes', 'must name at least one class');
  const accept = new Float64Array(k * k);
  for (let y = 0; y < k; y++) {
    for (let yhat = 0; yhat < k; yhat++) {
      accept[y * k + yhat] =
        y === yhat
          ? (policy.classValues?.[classes[yhat]] ?? policy.V)
          : (policy.confusionValues?.[classes[y]]?.[classes[yhat]] ?? policy.W);
    }
  }
  return { classes, k, accept, D: policy.D };
}

/**
 * Expected value of accepting prediction ŷ under class probabilities p:
 * p(ŷ)·V[ŷ] + Σ_{y≠ŷ} p(y)·W[y][ŷ] (Chow 1970, with costs as in DESIGN §1). `p` may be one
 * row of an n×k matrix, read from `offset`.
 */
export function acceptValue(p: ArrayLike<number>, predicted: number, m: ClassCostMatrix, offset = 0): number {
  let v = 0;
  for (let y = 0; y < m.k; y++) v += p[offset + y] * m.accept[y * m.k + predicted];
  return v;
}

/** Chow's rule with costs (DESIGN §1): accept ŷ iff its expected value is at least D. */
export function chowAccept(p: ArrayLike<number>, predicted: number, m: ClassCostMatrix, offset = 0): boolean {
  return acceptValue(p, predicted, m, offset) >= m.D;
}

/**
 * Chow's rule over n items: `probabilities` is n×k row-major, `predicted` the class index of each
 * item. Returns 1 where the prediction is accepted.
 */
export function chowDecisions(probabilities: Float64Array, predicted: Uint32Array, m: ClassCostMatrix): Uint8Array {
  const n = predicted.length;
  if (probabilities.length !== n * m.k) throw invalid('probabilities', `must hold ${n}×${m.k} values, got ${probabilities.length}`);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (predicted[i] >= m.k) throw invalid(`predicted[${i}]`, `is not a class index below ${m.k}`);
    out[i] = acceptValue(probabilities, predicted[i], m, i * m.k) >= m.D ? 1 : 0;
  }
  return out;
}
