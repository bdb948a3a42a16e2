import { createReadStream } from 'node:fs';
import { CsvParser, CsvSyntaxError } from '../core/csv/csv-parser';
import { resolveCostPolicy } from '../core/cost/cost-policy';
import type { ScalarCosts } from '../core/cost/value-curves';
import { CaveatError, invalid } from '../core/errors';
import { numberOption, required } from './args';

// What the offline commands (`caveat thresholds --csv`, `caveat calibrate --csv`) share: their
// input options and the streamed reading of confidence and correctness columns from a CSV file.
/** Where the confidence and correctness come from in a CSV file. */
export interface PredictionColumns {
  confidence: string;
  correct?: string;
  label?: string;
  predicted?: string;
  /** Keep rows whose `splitColumn` is one of `splits`; each kept row records which. */
  splitColumn?: string;
  splits?: string[];
}

export interface CsvPredictions {
  conf: Float64Array;
  correct: Uint8Array;
  /** Index into `columns.splits` of each kept row (all 0 without a split column). */
  split: Uint8Array;
  /** Data rows read, kept or not. */
  rows: number;
}

/** Options shared by the offline commands that read predictions from a CSV file. */
export const PREDICTION_OPTIONS = {
  csv: { type: 'string' },
  confidence: { type: 'string' },
  correct: { type: 'string' },
  label: { type: 'string' },
  predicted: { type: 'string' },
  'split-col': { type: 'string' },
  model: { type: 'string' },
  url: { type: 'string' },
  format: { type: 'string' },
  V: { type: 'string' },
  D: { type: 'string' },
  K: { type: 'string' },
  W: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Reads confidence and correctness columns from a CSV file as a stream (never the whole file at once). */
export async function readPredictionsCsv(file: string, columns: PredictionColumns): Promise<CsvPredictions> {
  const parser = new CsvParser();
  let conf = new Float64Array(1 << 16);
  let correct = new Uint8Array(1 << 16);
  let split = new Uint8Array(1 << 16);
  let n = 0;
  let rows = 0;
  let at: ColumnIndexes | undefined;
  const take = (records: Array<{ fields: string[]; line: number }>): void => {
    for (const { fields, line } of records) {
      if (at === undefined) {
        at = columnIndexes(fields, columns);
        continue;
      }
      rows++;
      if (fields.length <= at.last) throw new CaveatError('malformed_body', `line ${line}: expected at least ${at.last + 1} fields, got ${fields.length}`, { row: line });
      let which = 0;
      if (at.split >= 0) {
        which = (columns.splits as string[]).indexOf(fields[at.split]);
        if (which < 0) continue;
      }
      if (n === conf.length) {
        conf = grow(conf);
        correct = grow(correct);
        split = grow(split);
      }
      // An empty outcome cell is an unlabelled prediction (e.g. production rows): it says nothing about correctness.
      if ((at.correct >= 0 ? fields[at.correct] : fields[at.label]).trim() === '') continue;
      const raw = fields[at.confidence];
      const c = raw.trim() === '' ? Number.NaN : Number(raw);
      if (!(c >= 0 && c <= 1)) throw new CaveatError('malformed_body', `line ${line}: confidence '${raw}' is not a number in [0, 1]`, { row: line, field: columns.confidence });
      conf[n] = c;
      correct[n] = at.correct >= 0 ? flag(fields[at.correct], line, columns.correct as string) : fields[at.label].trim() === fields[at.predicted].trim() ? 1 : 0;
      split[n] = which;
      n++;
    }
  };
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) take(parser.push(chunk as string));
    take(parser.end());
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new CaveatError('malformed_body', `${file}: ${e.message}`, { row: e.line });
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR') throw new CaveatError('not_found', `cannot read ${file}: ${err.message}`, { field: 'csv' });
    throw e;
  }
  if (at === undefined) throw new CaveatError('malformed_body', `${file} is empty: expected a header row`, { field: 'csv' });
  return { conf: conf.subarray(0, n), correct: correct.subarray(0, n), split: split.subarray(0, n), rows };
}

interface ColumnIndexes {
  confidence: number;
  correct: number;
  label: number;
  predicted: number;
  split: number;
  last: number;
}

function columnIndexes(header: string[], c: PredictionColumns): ColumnIndexes {
  const names = header.map((h) => h.trim());
  const find = (name: string | undefined, option: string): number => {
    if (name === undefined) return -1;
    const i = names.indexOf(name);
    if (i < 0) throw invalid(`--${option}`, `column '${name}' is not in the header (${names.join(', ')})`);
    return i;
  };
  const at = {
    confidence: find(c.confidence, 'confidence'),
    correct: find(c.correct, 'correct'),
    label: find(c.label, 'label'),
    predicted: find(c.predicted, 'predicted'),
    split: find(c.splitColumn, 'split-col'),
  };
  return { ...at, last: Math.max(...Object.values(at)) };
}

function flag(raw: string, line: number, column: string): number {
  const v = raw.trim().toLowerCase();
  if (v === '1' || v === 'true') return 1;
  if (v === '0' || v === 'false') return 0;
  throw new CaveatError('malformed_body', `line ${line}: correct '${raw}' is not 1/0 or true/false`, { row: line, field: column });
}

function grow<T extends Float64Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/**
 * node:util parseArgs takes `--D -1` for two options; costs are often negative, so a number
 * that follows a cost option is joined to it (`--D=-1`) before parsing.
 */
export function joinNegativeValues(args: string[], options = ['--V', '--D', '--W', '--K']): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (options.includes(args[i]) && i + 1 < args.length && /^-(\d|\.\d)/.test(args[i + 1])) {
      out.push(`${args[i]}=${args[i + 1]}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}

/** The column options shared by the offline commands. */
export function predictionColumns(values: Record<string, unknown>): PredictionColumns {
  const confidence = required(values, 'confidence');
  const s = (k: string) => values[k] as string | undefined;
  if (s('correct') !== undefined && (s('label') !== undefined || s('predicted') !== undefined)) {
    throw invalid('--correct', 'give either --correct COL or --label COL --predicted COL, not both');
  }
  if (s('correct') === undefined && (s('label') === undefined || s('predicted') === undefined)) {
    throw invalid('--correct', 'give --correct COL, or --label COL and --predicted COL');
  }
  return { confidence, correct: s('correct'), label: s('label'), predicted: s('predicted'), splitColumn: s('split-col') };
}

/** --V, --D and --K or --W, with the DESIGN §1 defaults (V = 1, D = −1, K = 5). */
export function costPolicyOptions(values: Record<string, unknown>): ScalarCosts {
  if (values.K !== undefined && values.W !== undefined) throw invalid('--K', 'give either --K or --W, not both');
  const p = resolveCostPolicy(
    {
      V: numberOption(values, 'V', 1),
      D: numberOption(values, 'D', -1),
      ...(values.W !== undefined ? { W: numberOption(values, 'W', -5) } : { K: numberOption(values, 'K', 5) }),
    },
    [],
  );
  return { V: p.V, D: p.D, W: p.W };
}

export function outputFormat(values: Record<string, unknown>): 'table' | 'json' {
  const f = values.format ?? 'table';
  if (f !== 'table' && f !== 'json') throw invalid('--format', "must be 'table' or 'json'");
  return f;
}
