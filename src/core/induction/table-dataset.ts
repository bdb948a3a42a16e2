import { invalid } from '../errors';
import { categoricalFromCodes } from './literals';
import type { AttributeColumn, InductionDataset } from './types';

/** A column of a table as codes into its distinct non-empty strings (−1 = empty cell). */
export interface CodedColumn {
  codes: Int32Array;
  dictionary: string[];
}

export interface TableColumns {
  label?: string;
  predicted?: string;
  confidence?: string;
  loss?: string;
  weight?: string;
  /** Columns kept categorical even when every value is a number (`*` = all). */
  categorical?: readonly string[];
  /** Columns read as concept flags (1/true/yes present, 0/false/no absent, anything else unknown). */
  concepts?: readonly string[];
  /** Columns left out. */
  ignore?: readonly string[];
}

/** A table of strings (header + rows), row-major: see `datasetFromColumns`. */
export function datasetFromTable(header: readonly string[], records: ReadonlyArray<readonly string[]>, cols: TableColumns): { dataset: InductionDataset; skipped: number } {
  records.forEach((r, k) => {
    if (r.length !== header.length) throw invalid(`row ${k + 2}`, `has ${r.length} fields, the header has ${header.length}`, { row: k + 2 });
  });
  return datasetFromColumns(
    header,
    header.map((_, c) => records.map((r) => r[c])),
    cols,
  );
}

/**
 * A dataset from a table of strings held column by column (e.g. a CSV): the named output columns
 * are read as outputs, every other column is an attribute — numeric (binned later) when every
 * non-empty value is a finite number, categorical otherwise or when listed in `categorical`.
 * Values are kept verbatim; an empty attribute cell is missing. Rows with an empty output cell
 * are left out and counted in `skipped`. Columns may come as strings or dictionary-coded.
 */
export function datasetFromColumns(
  header: readonly string[],
  input: ReadonlyArray<readonly string[] | CodedColumn>,
  cols: TableColumns,
): { dataset: InductionDataset; skipped: number } {
  const data = input.map((c) => ('codes' in c ? c : encodeColumn(c)));
  const index = new Map(header.map((h, i) => [h, i]));
  const column = (flag: string, name: string | undefined): number | undefined => {
    if (name === undefined) return undefined;
    const i = index.get(name);
    if (i === undefined) throw invalid(flag, `no column '${name}' (columns: ${header.join(', ')})`);
    return i;
  };
  const labelAt = column('label', cols.label);
  const predictedAt = column('predicted', cols.predicted);
  const confidenceAt = column('confidence', cols.confidence);
  const lossAt = column('loss', cols.loss);
  const weightAt = column('weight', cols.weight);
  const required = [labelAt, predictedAt, confidenceAt, lossAt, weightAt].filter((i): i is number => i !== undefined);
  const left = new Set(required);
  for (const name of cols.ignore ?? []) left.add(column('ignore', name) as number);
  const allCategorical = cols.categorical?.includes('*') ?? false;
  const categorical = new Set((cols.categorical ?? []).filter((c) => c !== '*'));
  const concepts = new Set(cols.concepts ?? []);
  for (const name of categorical) column('categorical', name);
  for (const name of concepts) column('concepts', name);

  // Rows with an empty output cell are left out.
  const rows = data.length > 0 ? data[0].codes.length : 0;
  let keep: number[] | null = null;
  for (let r = 0; r < rows; r++) {
    const complete = required.every((c) => data[c].codes[r] >= 0);
    if (!complete && keep === null) keep = Array.from({ length: r }, (_, k) => k);
    else if (complete && keep !== null) keep.push(r);
  }
  const kept = keep;
  const codesOf = (c: number): Int32Array => (kept === null ? data[c].codes : Int32Array.from(kept, (r) => data[c].codes[r]));
  // Per distinct value, then per row: each string is read once.
  const mapped = <T>(c: number, f: (s: string) => T, missing: T): T[] => {
    const dict = data[c].dictionary.map(f);
    const codes = codesOf(c);
    const out = new Array<T>(codes.length);
    for (let r = 0; r < codes.length; r++) out[r] = codes[r] >= 0 ? dict[codes[r]] : missing;
    return out;
  };
  const strings = (c: number) => mapped(c, (s) => s, '');

  const columns: AttributeColumn[] = [];
  header.forEach((name, c) => {
    if (left.has(c)) return;
    const dict = data[c].dictionary;
    if (concepts.has(name)) columns.push({ kind: 'concept', name, values: Uint8Array.from(mapped(c, conceptCode, 255)) });
    else if (!allCategorical && !categorical.has(name) && isNumeric(dict)) columns.push({ kind: 'numeric', name, values: Float64Array.from(mapped(c, Number, NaN)) });
    else columns.push({ kind: 'categorical', name, values: categoricalFromCodes(codesOf(c), dict) });
  });
  const numbers = (flag: string, i: number | undefined) => {
    if (i === undefined) return undefined;
    for (const s of data[i].dictionary) if (!Number.isFinite(Number(s))) throw invalid(flag, `'${s}' is not a number`);
    return Float64Array.from(mapped(i, Number, NaN));
  };
  const dataset: InductionDataset = {
    columns,
    label: labelAt === undefined ? undefined : strings(labelAt),
    predicted: predictedAt === undefined ? undefined : strings(predictedAt),
    confidence: numbers('confidence', confidenceAt),
    loss: numbers('loss', lossAt),
    weights: numbers('weight', weightAt),
  };
  return { dataset, skipped: kept === null ? 0 : rows - kept.length };
}

/** Dictionary-codes a column of strings ('' → −1). */
export function encodeColumn(values: readonly string[]): CodedColumn {
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === '') {
      codes[i] = -1;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      k = dictionary.length;
      index.set(v, k);
      dictionary.push(v);
    }
    codes[i] = k;
  }
  return { codes, dictionary };
}

function isNumeric(values: readonly string[]): boolean {
  let any = false;
  for (const v of values) {
    if (v === '') continue;
    if (!Number.isFinite(Number(v)) || v.trim() !== v) return false;
    any = true;
  }
  return any;
}

/** 1 present, 0 absent, 255 unknown. */
function conceptCode(v: string): number {
  const s = v.trim().toLowerCase();
  if (s === '1' || s === 'true' || s === 'yes') return 1;
  if (s === '0' || s === 'false' || s === 'no') return 0;
  return 255;
}
