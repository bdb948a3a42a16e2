/**
 * Public types of rule induction (DESIGN §4): what a caller passes in (`InductionDataset`,
 * `InductionParams`) and the JSON-able result (`InductionResult`). The README's "Rule induction output" documents the result.
 */
import type { RuleProperties } from 'json-rules-engine';
import type { CostPolicy } from '../cost/cost-policy';

/** A categorical attribute: one literal per distinct value; null or '' is missing (no literal holds). */
export interface CategoricalColumn {
  kind: 'categorical';
  name: string;
  values: ReadonlyArray<string | null>;
}

/** A numeric attribute, binned into literals `name in [a, b)`; NaN is missing. */
export interface NumericColumn {
  kind: 'numeric';
  name: string;
  values: ArrayLike<number>;
  /** Overrides `params.bins` / `params.binning` for this column. */
  bins?: number;
  binning?: Binning;
}

/** A concept flag: 1 present, 0 absent, anything else (e.g. 255 or null) unknown — neither literal holds. */
export interface ConceptColumn {
  kind: 'concept';
  name: string;
  values: ArrayLike<number | boolean | null>;
}

export type AttributeColumn = CategoricalColumn | NumericColumn | ConceptColumn;

export type Binning = 'quantile' | 'equal-width';

/** In-memory items: attribute columns plus the model's outputs, all of the same length. */
export interface InductionDataset {
  columns: AttributeColumn[];
  /** True class per item (required by error, accepted-error, fpr, fnr and by value gain). */
  label?: ReadonlyArray<string>;
  /** Predicted class per item. */
  predicted?: ReadonlyArray<string>;
  /** The model's confidence in its prediction, in [0, 1]. Absent: every prediction counts as accepted. */
  confidence?: ArrayLike<number>;
  /** Per-item numeric loss, for the `loss` target (mean-loss divergence). */
  loss?: ArrayLike<number>;
  /** Per-item weights, e.g. inverse inclusion probabilities 1/π_i; absent = all 1. */
  weights?: ArrayLike<number>;
}

/**
 * error: prediction wrong, over all items · accepted-error: wrong and confidence ≥ threshold, over
 * all items · fpr: predicted positive among true negatives · fnr: not predicted positive among true
 * positives · loss: mean per-item loss.
 */
export type InductionTarget = 'error' | 'accepted-error' | 'fpr' | 'fnr' | 'loss';

export type SortMeasure = 'delta' | 't' | 'q' | 'gain' | 'wracc' | 'sliceline';

export interface InductionParams {
  target: InductionTarget;
  /** The positive class, required by fpr and fnr. */
  positive?: string;
  /** Fraction of all items (< 1) or a count in weight units (≥ 1). Default 0.05. Support is over ALL items, whatever the target. */
  minSupport?: number;
  /** Maximum number of literals in a rule; 0 = unlimited. Default 3. */
  maxDepth?: number;
  /** `exhaustive` (default) mines every frequent conjunction; `best-first` finds the top `top` rules by WRAcc with optimistic-estimate pruning. */
  search?: 'exhaustive' | 'best-first';
  /** Numeric binning. Defaults: 4 quantile bins. */
  bins?: number;
  binning?: Binning;
  /** Add `predicted = c` literals (off by default: for fpr / fnr they restate the target). */
  predictedLiterals?: boolean;
  /** Add this many confidence-band literals (0 = none, default). */
  confidenceBands?: number;
  /** Add `concept absent` literals as well as `present` (default true). */
  conceptAbsent?: boolean;
  /** Cost policy for the value gain (default V = 1, D = −1, W = −5). */
  costPolicy?: CostPolicy;
  /** Acceptance threshold t for accepted-error and the gain; default T* of the cost policy for each item's predicted class. */
  threshold?: number;
  /** DivExplorer ε-redundancy pruning; undefined = off. */
  epsilon?: number;
  /** Keep only rules whose every literal raises the rate significantly (default true). */
  productive?: boolean;
  /** Significance level of the productive-rule test (default 0.05). */
  productiveAlpha?: number;
  /** Keep only rules with q ≤ maxQ (default 0.05; 1 keeps all). */
  maxQ?: number;
  /** Keep only rules whose rate is above the overall rate (default true). */
  onlyPositive?: boolean;
  /** Ordering measure (default t: Δ alone favours small refinements that gained by noise). */
  sort?: SortMeasure;
  /** SliceLine α (default 0.95). */
  alpha?: number;
  /** Number of rules returned (default 10; 0 = all). */
  top?: number;
  /** Weighted covering (Lavrač et al. 2004) instead of a plain top-k: covered failures get weight γ^k. */
  covering?: boolean;
  gamma?: number;
  /** Fraction of items held out for replication (default 0 = none), split with `seed`. */
  holdout?: number;
  seed?: number;
  /** Significance level of the replication test (default 0.05). */
  replicationAlpha?: number;
}

/** One literal as it appears in a rule. */
export interface RuleLiteral {
  /** The fact the rules engine reads: the attribute name, `predicted`, `confidence` or `concept:<name>`. */
  fact: string;
  /** Attribute (column or concept) name, verbatim. */
  attribute: string;
  kind: 'categorical' | 'bin' | 'concept' | 'predicted' | 'confidence';
  /** categorical / predicted: the value, verbatim. */
  value?: string;
  /** concept: present (true) or absent (false). */
  present?: boolean;
  /** bin / confidence: lower bound (inclusive) and upper bound (exclusive); null = open. */
  lower?: number | null;
  upper?: number | null;
  /** Readable condition, e.g. `marital status is Married` or `age in [25, 45)`. */
  text: string;
}

export interface RuleStats {
  /** Items covered (Σ w). */
  count: number;
  /** count / all items. */
  support: number;
  /** Items in the target's denominator (all items; true negatives for fpr; true positives for fnr). */
  denominator: number;
  /** Failures among them (for loss: Σ w·loss). */
  failures: number;
  /** failures / denominator (for loss: the mean loss). */
  rate: number;
  delta: number;
  lift: number;
  wracc: number;
  /** 95% Wilson interval of the rate (for loss: a normal interval of the mean). */
  interval: [number, number];
  /** DivExplorer's t (for loss: Welch's statistic against the whole data). */
  t: number;
  /** One-sided p-value of rate > overall (Fisher exact; for loss a one-sided Welch z-test). */
  p: number;
  /** Benjamini–Hochberg q over every candidate tested. */
  q: number;
  sliceline: number;
  /** G_R: value gained by rejecting the accepted items the rule covers. */
  gain: number;
  /** G_R per 1,000 predictions. */
  gainPer1000: number;
}

export interface HoldoutStats {
  count: number;
  denominator: number;
  rate: number;
  /** rate − holdout overall rate. */
  delta: number;
  gain: number;
  gainPer1000: number;
  /** One-sided p of rate > holdout overall rate; q its BH adjustment over the returned rules. */
  p: number;
  q: number;
  /** delta > 0 and q < replicationAlpha. */
  replicated: boolean;
}

export interface InducedRule {
  id: string;
  literals: RuleLiteral[];
  /** The conjunction in words, e.g. `marital status is Married and occupation is Professional`. */
  condition: string;
  sentence: string;
  stats: RuleStats;
  /** Up to 5 covered failing items (indices into the dataset; for loss: the highest-loss covered items). */
  examples: number[];
  holdout?: HoldoutStats;
  engine: RuleProperties;
}

export interface InductionResult {
  target: InductionTarget;
  positive?: string;
  /** The parameters with their defaults filled in; threshold null = T* per predicted class, epsilon null = no redundancy pruning. */
  params: Required<Omit<InductionParams, 'positive' | 'costPolicy' | 'threshold' | 'epsilon'>> & { costPolicy: CostPolicy; threshold: number | null; epsilon: number | null };
  data: {
    items: number;
    /** Σ w over all items. */
    weight: number;
    discoveryItems: number;
    holdoutItems: number;
    seed: number;
    /** The discovery split's overall figures. */
    overall: { denominator: number; failures: number; rate: number };
    holdoutOverall?: { denominator: number; failures: number; rate: number };
  };
  search: {
    literals: number;
    /** Conjunctions whose support was counted. */
    candidates: number;
    /** Frequent conjunctions: each one was tested, and BH ran over all of them. */
    tested: number;
    minCount: number;
    elapsedMs: number;
  };
  /** How many rules survived each selection step, in order. */
  funnel: { tested: number; positive: number; significant: number; nonRedundant: number; productive: number; returned: number };
  rules: InducedRule[];
}
