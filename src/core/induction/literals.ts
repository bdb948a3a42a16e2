import { invalid } from '../errors';
import { binEdges, binIndex, binText } from './binning';
import { wordCount } from './bitset';
import type { AttributeColumn, Binning, InductionDataset, RuleLiteral } from './types';
import { CONFIDENCE_FACT, PREDICTED_FACT, conceptFact } from '../rejection/rule-model';

/** A literal with where it comes from: `attribute` groups mutually exclusive literals (at most one per rule). */
export interface LiteralDef extends RuleLiteral {
  /** Index of its attribute group; literal ids are contiguous per group. */
  group: number;
  /** Column index in dataset.columns, or PREDICTED / CONFIDENCE. */
  source: number;
}

export const PREDICTED = -1;
export const CONFIDENCE = -2;

export interface LiteralOptions {
  bins: number;
  binning: Binning;
  predictedLiterals: boolean;
  confidenceBands: number;
  conceptAbsent: boolean;
}

/** Readable attribute label: `marital-status` → `marital status`; values are never rewritten. */
export const attributeLabel = (name: string): string => name.replace(/[-_]+/g, ' ').trim() || name;

/**
 * Literal definitions learned from the discovery rows (DESIGN §4): one per categorical value,
 * one per numeric bin, present/absent per concept, optionally one per predicted class and per
 * confidence band. Bin edges come from the discovery rows only, so holdout rows never shape a rule.
 */
export function buildLiterals(dataset: InductionDataset, rows: Uint32Array, options: LiteralOptions): LiteralDef[] {
  const defs: LiteralDef[] = [];
  let group = 0;
  dataset.columns.forEach((col, source) => {
    const added = columnLiterals(col, rows, options, group, source);
    if (added.length > 0) {
      defs.push(...added);
      group++;
    }
  });
  if (options.predictedLiterals) {
    if (!dataset.predicted) throw invalid('predicted', 'predicted-class literals need the predicted classes');
    const values = distinct(dataset.predicted, rows);
    for (const value of values) {
      defs.push({ fact: PREDICTED_FACT, attribute: 'predicted', kind: 'predicted', value, text: `the prediction is ${value}`, group, source: PREDICTED });
    }
    if (values.length > 0) group++;
  }
  if (options.confidenceBands > 0) {
    if (!dataset.confidence) throw invalid('confidence', 'confidence-band literals need confidences');
    const edges = binEdges(pick(dataset.confidence, rows), options.confidenceBands, options.binning);
    for (const [lower, upper] of binBounds(edges)) {
      defs.push({ fact: CONFIDENCE_FACT, attribute: 'confidence', kind: 'confidence', lower, upper, text: binText('confidence', lower, upper), group, source: CONFIDENCE });
    }
  }
  return defs;
}

function columnLiterals(col: AttributeColumn, rows: Uint32Array, options: LiteralOptions, group: number, source: number): LiteralDef[] {
  const label = attributeLabel(col.name);
  switch (col.kind) {
    case 'categorical':
      return distinct(col.values, rows).map((value) => ({ fact: col.name, attribute: col.name, kind: 'categorical', value, text: `${label} is ${value}`, group, source }));
    case 'numeric': {
      const edges = binEdges(pick(col.values, rows), col.bins ?? options.bins, col.binning ?? options.binning);
      if (edges.length === 0 && !hasFinite(col.values, rows)) return [];
      return binBounds(edges).map(([lower, upper]) => ({ fact: col.name, attribute: col.name, kind: 'bin', lower, upper, text: binText(label, lower, upper), group, source }));
    }
    case 'concept': {
      const present: LiteralDef = { fact: conceptFact(col.name), attribute: col.name, kind: 'concept', present: true, text: `“${col.name}” is present`, group, source };
      if (!options.conceptAbsent) return [present];
      return [present, { ...present, present: false, text: `“${col.name}” is absent` }];
    }
  }
}

/** [lower, upper) pairs for inner edges; null = open end. One edge-less bin when all values are equal. */
function binBounds(edges: readonly number[]): Array<[number | null, number | null]> {
  const out: Array<[number | null, number | null]> = [];
  for (let j = 0; j <= edges.length; j++) out.push([j === 0 ? null : edges[j - 1], j === edges.length ? null : edges[j]]);
  return out;
}

/** A categorical column as codes into its distinct values (−1 = missing), computed once per column array. */
interface Dictionary {
  codes: Int32Array;
  values: string[];
}
const dictionaries = new WeakMap<object, Dictionary>();

/**
 * The values of a categorical column given as codes into distinct non-empty values (−1 = missing),
 * e.g. as a CSV reader or a database builds them; the returned array shares the value strings and
 * remembers its codes, so literals are built without hashing every value again.
 */
export function categoricalFromCodes(codes: Int32Array, distinctValues: readonly string[]): Array<string | null> {
  const values = new Array<string | null>(codes.length);
  for (let i = 0; i < codes.length; i++) values[i] = codes[i] >= 0 ? distinctValues[codes[i]] : null;
  dictionaries.set(values, { codes, values: [...distinctValues] });
  return values;
}

function dictionary(values: ReadonlyArray<string | null>): Dictionary {
  let d = dictionaries.get(values);
  if (d) return d;
  const index = new Map<string, number>();
  const list: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || v === '') {
      codes[i] = -1;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = list.length;
      index.set(v, c);
      list.push(v);
    }
    codes[i] = c;
  }
  d = { codes, values: list };
  dictionaries.set(values, d);
  return d;
}

/** Distinct non-missing values among the rows, sorted (code-unit order) so ids are deterministic. */
function distinct(values: ReadonlyArray<string | null>, rows: Uint32Array): string[] {
  const { codes, values: list } = dictionary(values);
  const seen = new Uint8Array(list.length);
  for (let r = 0; r < rows.length; r++) {
    const c = codes[rows[r]];
    if (c >= 0) seen[c] = 1;
  }
  return list.filter((_, c) => seen[c] === 1).sort();
}

function pick(values: ArrayLike<number>, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = Number(values[rows[r]]);
  return out;
}

function hasFinite(values: ArrayLike<number>, rows: Uint32Array): boolean {
  for (let r = 0; r < rows.length; r++) if (Number.isFinite(values[rows[r]])) return true;
  return false;
}

/** 1 present, 0 absent, −1 unknown. */
function conceptState(v: unknown): number {
  if (v === 1 || v === true) return 1;
  if (v === 0 || v === false) return 0;
  return -1;
}

/**
 * One bitset per literal over `rows` (bit r = item rows[r]). Each column is read once: its
 * literals are mutually exclusive, so each item sets at most one bit per group.
 */
export function encodeLiterals(dataset: InductionDataset, defs: readonly LiteralDef[], rows: Uint32Array): Uint32Array[] {
  const words = wordCount(rows.length);
  const bits = defs.map(() => new Uint32Array(words));
  let start = 0;
  while (start < defs.length) {
    let end = start;
    while (end < defs.length && defs[end].group === defs[start].group) end++;
    encodeGroup(dataset, defs, start, end, rows, bits);
    start = end;
  }
  return bits;
}

function encodeGroup(dataset: InductionDataset, defs: readonly LiteralDef[], start: number, end: number, rows: Uint32Array, bits: Uint32Array[]): void {
  const first = defs[start];
  const set = (r: number, lit: number) => {
    bits[lit][r >>> 5] |= 1 << (r & 31);
  };
  if (first.kind === 'categorical' || first.kind === 'predicted') {
    const values = first.kind === 'predicted' ? (dataset.predicted as ReadonlyArray<string>) : (dataset.columns[first.source].values as ReadonlyArray<string | null>);
    const { codes, values: list } = dictionary(values);
    // Code → literal id (−1: a value with no literal, e.g. one seen only outside these rows' split).
    const literalOf = new Int32Array(list.length).fill(-1);
    const byValue = new Map(list.map((v, c) => [v, c]));
    for (let l = start; l < end; l++) {
      const c = byValue.get(defs[l].value as string);
      if (c !== undefined) literalOf[c] = l;
    }
    for (let r = 0; r < rows.length; r++) {
      const c = codes[rows[r]];
      if (c >= 0 && literalOf[c] >= 0) set(r, literalOf[c]);
    }
    return;
  }
  if (first.kind === 'concept') {
    const values = (dataset.columns[first.source] as { values: ArrayLike<unknown> }).values;
    for (let r = 0; r < rows.length; r++) {
      const s = conceptState(values[rows[r]]);
      if (s === 1) set(r, start);
      else if (s === 0 && end - start > 1) set(r, start + 1);
    }
    return;
  }
  // Numeric bins: inner edges are the lower bounds of literals start+1 … end−1.
  const values = first.kind === 'confidence' ? (dataset.confidence as ArrayLike<number>) : (dataset.columns[first.source].values as ArrayLike<number>);
  const edges: number[] = [];
  for (let l = start + 1; l < end; l++) edges.push(defs[l].lower as number);
  for (let r = 0; r < rows.length; r++) {
    const v = values[rows[r]];
    if (v === null || v === undefined) continue;
    const j = binIndex(Number(v), edges);
    if (j >= 0) set(r, start + j);
  }
}
