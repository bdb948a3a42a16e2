import { readFileSync } from 'node:fs';
import { resolveCostPolicy } from '../../core/cost/cost-policy';
import { CsvParser, CsvSyntaxError } from '../../core/csv/csv-parser';
import { CaveatError } from '../../core/errors';
import { induceRules } from '../../core/induction/induce';
import { SORTS, TARGETS } from '../../core/induction/induction-params';
import { resultTable } from '../../core/induction/result-text';
import { datasetFromColumns, type CodedColumn } from '../../core/induction/table-dataset';
import type { InductionParams, InductionTarget, SortMeasure } from '../../core/induction/types';
import { numberOption, parseCli, required } from '../args';

const HELP = `Usage: caveat induce --csv FILE --label COL --predicted COL --target TARGET [options]

Induces "the model fails when…" rules from a CSV of predictions, offline (no database).
Columns other than label / predicted / confidence / loss / weight are attributes: numeric
columns are binned unless listed in --categorical; every other column is categorical.

Data
  --csv FILE              the CSV (RFC 4180, header row)
  --label COL             true class column
  --predicted COL         predicted class column
  --positive VALUE        positive class (fpr, fnr)
  --confidence COL        confidence column (accepted-error, gain, confidence bands)
  --loss COL              per-item loss column (target loss)
  --weight COL            per-item weight column (e.g. 1/inclusion probability)
  --categorical COLS      comma-separated columns kept categorical ('*' = all)
  --concepts COLS         comma-separated concept-flag columns (1/0, true/false, yes/no)
  --ignore COLS           comma-separated columns left out
Target and search
  --target T              ${TARGETS.join(' | ')}
  --min-support X         fraction of all items (< 1) or item count (≥ 1)   [0.05]
  --max-depth N           most literals per rule, 0 = unlimited            [3]
  --best-first            top-K by WRAcc with optimistic-estimate pruning
  --bins N                numeric bins                                    [4]
  --binning B             quantile | equal-width                          [quantile]
  --predicted-literals    add "the prediction is c" literals
  --confidence-bands N    add N confidence-band literals                  [0]
Selection
  --epsilon E             DivExplorer redundancy pruning threshold         [off]
  --max-q Q               keep rules with BH q ≤ Q                         [0.05]
  --no-productive         keep rules even when a literal adds nothing significant
  --sort M                ${SORTS.join(' | ')}   [t]
  --alpha A               SliceLine α                                      [0.95]
  --top K                 rules shown, 0 = all                             [10]
  --covering              weighted covering for a short diverse list
  --gamma G               covering weight factor                           [0.5]
Value and replication
  --threshold T           acceptance threshold (default T* of the cost policy)
  --V V --D D --K K       cost policy (defaults 1, −1, 5: W = −K)
  --holdout F             fraction held out for replication                [0]
  --seed S                split seed                                       [1]
Output
  --format F              table | json | rules (json-rules-engine JSON)    [table]
`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    help: { type: 'boolean', short: 'h' },
    csv: { type: 'string' },
    label: { type: 'string' },
    predicted: { type: 'string' },
    positive: { type: 'string' },
    confidence: { type: 'string' },
    loss: { type: 'string' },
    weight: { type: 'string' },
    categorical: { type: 'string' },
    concepts: { type: 'string' },
    ignore: { type: 'string' },
    target: { type: 'string' },
    'min-support': { type: 'string' },
    'max-depth': { type: 'string' },
    'best-first': { type: 'boolean' },
    bins: { type: 'string' },
    binning: { type: 'string' },
    'predicted-literals': { type: 'boolean' },
    'confidence-bands': { type: 'string' },
    epsilon: { type: 'string' },
    'max-q': { type: 'string' },
    'no-productive': { type: 'boolean' },
    sort: { type: 'string' },
    alpha: { type: 'string' },
    top: { type: 'string' },
    covering: { type: 'boolean' },
    gamma: { type: 'string' },
    threshold: { type: 'string' },
    V: { type: 'string' },
    D: { type: 'string' },
    K: { type: 'string' },
    holdout: { type: 'string' },
    seed: { type: 'string' },
    format: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const file = required(values, 'csv');
  const target = required(values, 'target') as InductionTarget;
  if (!TARGETS.includes(target)) throw new CaveatError('invalid_input', `--target must be one of ${TARGETS.join(', ')}`, { field: 'target' });
  const format = values.format ?? 'table';
  if (!['table', 'json', 'rules'].includes(format)) throw new CaveatError('invalid_input', '--format must be table, json or rules', { field: 'format' });
  const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter((s) => s !== ''));

  const { header, columns } = readCsv(file);
  const { dataset, skipped } = datasetFromColumns(header, columns, {
    label: target === 'loss' ? values.label : required(values, 'label'),
    predicted: target === 'loss' ? values.predicted : required(values, 'predicted'),
    confidence: values.confidence,
    loss: values.loss,
    weight: values.weight,
    categorical: list(values.categorical),
    concepts: list(values.concepts),
    ignore: list(values.ignore),
  });
  if (skipped > 0) process.stderr.write(`caveat induce: left out ${skipped} rows with an empty label, prediction, confidence, loss or weight\n`);

  const classes = [...new Set([...(dataset.label ?? []), ...(dataset.predicted ?? [])])];
  const optional = (name: string) => (values[name as keyof typeof values] === undefined ? undefined : numberOption(values, name, 0));
  const params: InductionParams = {
    target,
    positive: values.positive,
    minSupport: numberOption(values, 'min-support', 0.05),
    maxDepth: numberOption(values, 'max-depth', 3),
    search: values['best-first'] ? 'best-first' : 'exhaustive',
    bins: numberOption(values, 'bins', 4),
    binning: (values.binning ?? 'quantile') as InductionParams['binning'],
    predictedLiterals: values['predicted-literals'] ?? false,
    confidenceBands: numberOption(values, 'confidence-bands', 0),
    epsilon: optional('epsilon'),
    maxQ: numberOption(values, 'max-q', 0.05),
    productive: !values['no-productive'],
    sort: (values.sort ?? 't') as SortMeasure,
    alpha: numberOption(values, 'alpha', 0.95),
    top: numberOption(values, 'top', 10),
    covering: values.covering ?? false,
    gamma: numberOption(values, 'gamma', 0.5),
    threshold: optional('threshold'),
    costPolicy: resolveCostPolicy({ V: optional('V'), D: optional('D'), K: optional('K') }, classes, 'cost'),
    holdout: numberOption(values, 'holdout', 0),
    seed: numberOption(values, 'seed', 1),
  };
  const result = induceRules(dataset, params);
  if (format === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else if (format === 'rules') process.stdout.write(JSON.stringify(result.rules.map((r) => r.engine), null, 2) + '\n');
  else process.stdout.write(resultTable(result));
  return 0;
}

/**
 * Reads the CSV with the shared RFC 4180 parser, fed in 1 MB slices, dictionary-coding each column
 * as it goes: only the distinct values are kept, so the per-cell strings die young and cheaply.
 */
function readCsv(file: string): { header: string[]; columns: CodedColumn[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CaveatError('invalid_input', `cannot read --csv ${file}: ${(e as Error).message}`, { field: 'csv' });
  }
  const parser = new CsvParser();
  let header: string[] | null = null;
  let index: Array<Map<string, number>> = [];
  let columns: CodedColumn[] = [];
  let rows = 0;
  const take = (records: Array<{ fields: string[]; line: number }>) => {
    for (const { fields, line } of records) {
      if (header === null) {
        header = fields;
        if (header.length > 0 && header[0].charCodeAt(0) === 0xfeff) header[0] = header[0].slice(1);
        index = header.map(() => new Map());
        columns = header.map(() => ({ codes: new Int32Array(1024), dictionary: [] }));
        continue;
      }
      if (fields.length !== header.length) throw new CaveatError('invalid_input', `${file} line ${line}: ${fields.length} fields, the header has ${header.length}`, { field: 'csv', row: line });
      if (rows === columns[0].codes.length) {
        for (const col of columns) {
          const grown = new Int32Array(rows * 2);
          grown.set(col.codes);
          col.codes = grown;
        }
      }
      for (let c = 0; c < fields.length; c++) {
        const v = fields[c];
        let k = -1;
        if (v !== '') {
          const seen = index[c].get(v);
          if (seen === undefined) {
            k = columns[c].dictionary.length;
            index[c].set(v, k);
            columns[c].dictionary.push(v);
          } else k = seen;
        }
        columns[c].codes[rows] = k;
      }
      rows++;
    }
  };
  try {
    const CHUNK = 1 << 20;
    for (let i = 0; i < text.length; i += CHUNK) take(parser.push(text.slice(i, i + CHUNK)));
    take(parser.end());
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new CaveatError('malformed_body', `${file}: ${e.message}`, { field: 'csv', row: e.line });
    throw e;
  }
  if (header === null) throw new CaveatError('invalid_input', `${file} is empty`, { field: 'csv' });
  for (const col of columns) col.codes = col.codes.slice(0, rows);
  return { header, columns };
}
