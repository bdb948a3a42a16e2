import type { AttributeColumn, InductionDataset } from '../core/induction/types';
import type { LabelledColumns } from '../predictions/prediction-columns';
import { conceptFact } from '../core/rejection/rule-model';

export interface DatasetOptions {
  /** Attributes to treat as categorical even when every value is a number. */
  categorical?: readonly string[];
  /** Concept flags per item (1 present, 0 absent, 255 unknown), e.g. aggregated crowd labels. */
  concepts?: ReadonlyArray<{ name: string; values: Uint8Array }>;
  /** Per-item weights (inverse inclusion probabilities). */
  weights?: Float64Array;
}

/**
 * Turns stored predictions (attributes as JSON objects) into induction columns: an attribute whose
 * present values are all finite numbers is numeric (binned), any other is categorical (values as
 * strings, booleans as 'true'/'false'); a missing value is missing, never a literal.
 */
export function datasetFromPredictions(cols: LabelledColumns, options: DatasetOptions = {}): InductionDataset {
  const attrs = cols.attributes ?? [];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const a of attrs) {
    if (!a) continue;
    for (const k of Object.keys(a)) {
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
  }
  const forced = new Set(options.categorical ?? []);
  const columns: AttributeColumn[] = names.map((name) => {
    let numeric = !forced.has(name);
    for (let i = 0; i < cols.n && numeric; i++) {
      const v = attrs[i]?.[name];
      if (v !== undefined && v !== null && !(typeof v === 'number' && Number.isFinite(v))) numeric = false;
    }
    if (numeric) {
      const values = new Float64Array(cols.n);
      for (let i = 0; i < cols.n; i++) {
        const v = attrs[i]?.[name];
        values[i] = typeof v === 'number' ? v : Number.NaN;
      }
      return { kind: 'numeric', name, values };
    }
    const values = new Array<string | null>(cols.n);
    for (let i = 0; i < cols.n; i++) {
      const v = attrs[i]?.[name];
      values[i] = v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    return { kind: 'categorical', name, values };
  });
  for (const c of options.concepts ?? []) columns.push({ kind: 'concept', name: c.name, values: c.values });
  return {
    columns,
    label: Array.from(cols.label, (k) => cols.classes[k]),
    predicted: Array.from(cols.predicted, (k) => cols.classes[k]),
    confidence: cols.confidence,
    weights: options.weights,
  };
}

/** The facts the rules engine sees for item i (src/core/rejection/README.md). */
export function itemFacts(cols: LabelledColumns, i: number, concepts?: ReadonlyArray<{ name: string; values: Uint8Array }>): Record<string, unknown> {
  const facts: Record<string, unknown> = { ...(cols.attributes?.[i] ?? {}) };
  facts.predicted = cols.classes[cols.predicted[i]];
  facts.confidence = cols.confidence[i];
  for (const c of concepts ?? []) {
    const v = c.values[i];
    if (v === 0 || v === 1) facts[conceptFact(c.name)] = v === 1;
  }
  return facts;
}

/** The rows `keep` (indices into `cols`) of labelled columns, in that order. */
export function subsetColumns(cols: LabelledColumns, keep: ArrayLike<number>): LabelledColumns {
  const n = keep.length;
  const K = cols.classes.length;
  const pick = <T>(xs: T[] | undefined) => (xs ? Array.from({ length: n }, (_, j) => xs[keep[j]]) : undefined);
  const out: LabelledColumns = {
    n,
    classes: cols.classes,
    ids: pick(cols.ids)!,
    confidence: Float64Array.from({ length: n }, (_, j) => cols.confidence[keep[j]]),
    correct: Uint8Array.from({ length: n }, (_, j) => cols.correct[keep[j]]),
    predicted: Uint16Array.from({ length: n }, (_, j) => cols.predicted[keep[j]]),
    label: Uint16Array.from({ length: n }, (_, j) => cols.label[keep[j]]),
    probabilities: null,
    externalIds: pick(cols.externalIds),
    attributes: pick(cols.attributes),
    texts: pick(cols.texts),
  };
  if (cols.probabilities) {
    const p = new Float64Array(n * K);
    for (let j = 0; j < n; j++) p.set(cols.probabilities.subarray(keep[j] * K, keep[j] * K + K), j * K);
    out.probabilities = p;
  }
  return out;
}
