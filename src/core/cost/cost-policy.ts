import { invalid } from '../errors';

/**
 * A cost policy (DESIGN §1): V = value of an accepted correct prediction, D = value of the
 * default path for a rejected item, W = value of an accepted wrong prediction.
 * Optional class-dependent costs: `classValues[ŷ]` replaces V for predicted class ŷ and
 * `confusionValues[y][ŷ]` replaces W for true class y predicted as ŷ (y ≠ ŷ).
 */
export interface CostPolicy {
  V: number;
  D: number;
  W: number;
  classValues?: Record<string, number>;
  confusionValues?: Record<string, Record<string, number>>;
}

/** What a client may send: W directly, or K giving W = −K. */
export interface CostPolicyInput {
  V?: number;
  D?: number;
  W?: number;
  K?: number;
  classValues?: Record<string, number>;
  confusionValues?: Record<string, Record<string, number>>;
}

export const DEFAULT_COST_POLICY: Readonly<CostPolicy> = Object.freeze({ V: 1, D: -1, W: -5 });

/**
 * Resolves an input into a full policy with the DESIGN §1 defaults (V = 1, D = −1, K = 5),
 * checking that every value is finite and that class names exist. Throws `invalid_input`
 * naming the field.
 */
const POLICY_FIELDS = new Set(['V', 'D', 'W', 'K', 'classValues', 'confusionValues']);

export function resolveCostPolicy(input: CostPolicyInput | undefined, classes: readonly string[], field = 'costPolicy'): CostPolicy {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw invalid(field, 'must be an object {V?, D?, W? | K?, classValues?, confusionValues?}');
  }
  const p = input ?? {};
  // A misspelt field (say `k` for `K`) must not silently fall back to a default.
  for (const key of Object.keys(p)) if (!POLICY_FIELDS.has(key)) throw invalid(`${field}.${key}`, 'is not a cost-policy field (V, D, W, K, classValues, confusionValues)');
  const num = (name: keyof CostPolicyInput, fallback: number): number => {
    const v = p[name];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${field}.${name}`, 'must be a finite number');
    return v;
  };
  if (p.W !== undefined && p.K !== undefined) throw invalid(`${field}.K`, 'give either W or K, not both');
  const K = num('K', 5);
  const policy: CostPolicy = { V: num('V', 1), D: num('D', -1), W: p.W !== undefined ? num('W', 0) : -K };
  const known = new Set(classes);
  if (p.classValues !== undefined) {
    if (typeof p.classValues !== 'object' || p.classValues === null || Array.isArray(p.classValues)) {
      throw invalid(`${field}.classValues`, 'must be an object mapping class → value');
    }
    for (const [cls, v] of Object.entries(p.classValues)) {
      if (!known.has(cls)) throw invalid(`${field}.classValues.${cls}`, 'is not one of the model classes');
      if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${field}.classValues.${cls}`, 'must be a finite number');
    }
    policy.classValues = { ...p.classValues };
  }
  if (p.confusionValues !== undefined) {
    if (typeof p.confusionValues !== 'object' || p.confusionValues === null || Array.isArray(p.confusionValues)) {
      throw invalid(`${field}.confusionValues`, 'must be an object: true class → predicted class → value');
    }
    for (const [y, row] of Object.entries(p.confusionValues)) {
      if (!known.has(y)) throw invalid(`${field}.confusionValues.${y}`, 'is not one of the model classes');
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw invalid(`${field}.confusionValues.${y}`, 'must be an object: predicted class → value');
      }
      for (const [yhat, v] of Object.entries(row)) {
        if (!known.has(yhat)) throw invalid(`${field}.confusionValues.${y}.${yhat}`, 'is not one of the model classes');
        if (yhat === y) throw invalid(`${field}.confusionValues.${y}.${yhat}`, 'a correct prediction is valued by V or classValues, not W');
        if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${field}.confusionValues.${y}.${yhat}`, 'must be a finite number');
      }
    }
    policy.confusionValues = structuredClone(p.confusionValues);
  }
  return policy;
}

/**
 * The cost-optimal confidence threshold T* = (D − W) / (V − W), clipped to [0, 1] (DESIGN §1):
 * accepting with confidence c is worth it iff c·V + (1−c)·W ≥ D. If D ≥ V nothing is worth
 * accepting (T* = 1, and only c = 1 with D = V ties); if D ≤ W everything is (T* = 0).
 */
export function optimalThreshold(V: number, D: number, W: number): number {
  if (D <= W) return 0;
  if (D >= V) return 1;
  // Here W < D < V, so V − W > 0 and the ratio lies strictly inside (0, 1).
  return (D - W) / (V - W);
}

/** T* of a policy for a predicted class, using that class's V when it has one and the policy's W. */
export function policyThreshold(policy: CostPolicy, predicted?: string): number {
  const V = predicted !== undefined && policy.classValues?.[predicted] !== undefined ? policy.classValues[predicted] : policy.V;
  return optimalThreshold(V, policy.D, policy.W);
}

/**
 * What accepting a prediction ŷ of an item whose label is y is worth (DESIGN §1): V (classValues[ŷ]
 * when set) if right, else W (confusionValues[y][ŷ] when set).
 */
export function acceptedValue(policy: CostPolicy, predicted: string, label: string): number {
  if (predicted === label) return policy.classValues?.[predicted] ?? policy.V;
  return policy.confusionValues?.[label]?.[predicted] ?? policy.W;
}
