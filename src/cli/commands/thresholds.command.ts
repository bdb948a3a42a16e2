/**
 * `caveat thresholds`: T*, Tv with its bootstrap interval, EV/RV at both, baselines and value
 * curves (DESIGN §1). Offline on a CSV file, with no database; or `--model NAME` on the
 * service's stored predictions (the local database, or a running server with --url).
 */
import { invalid } from '../../core/errors';
import { thresholdReport, type ThresholdReport } from '../../core/cost/threshold-report';
import { REJECT_ALL, type ScalarCosts } from '../../core/cost/value-curves';
import { numberOption, parseCli, required } from '../args';
import { count, fixed, formatTable, percent } from '../format';
import { costPolicyOptions, joinNegativeValues, outputFormat, predictionColumns, PREDICTION_OPTIONS, readPredictionsCsv, type PredictionColumns } from '../offline-predictions';

const HELP = `Usage: caveat thresholds --csv FILE --confidence COL (--correct COL | --label COL --predicted COL) [options]
       caveat thresholds --model NAME [--url URL]        (online: served by the Caveat service)

T* from the cost policy, the empirical threshold Tv = argmax RV(t) with a bootstrap interval,
expected (EV) and realized (RV) value per item at both, and the baselines.

Input (CSV with a header row, read as a stream):
  --csv FILE             predictions file
  --confidence COL       column with the confidence of the predicted class, in [0, 1]
  --correct COL          column with 1/0 (or true/false): was the prediction right
  --label COL --predicted COL
                         or: true and predicted class columns, compared as text
                         (a row with an empty --correct or --label cell is unlabelled: left out)
  --split-col COL --split NAME
                         keep only rows whose COL equals NAME (e.g. validation)
Cost policy (DESIGN §1; negative values may follow the option: --D -1):
  --V 1 --D -1           value of an accepted correct prediction, of the default path
  --K 5 | --W -5         value of an accepted wrong prediction: W = -K
Output:
  --bootstrap 200        bootstrap replicates for the Tv interval (0 = none)
  --seed 1               bootstrap seed
  --format table|json    readable table (default) or the full report as JSON
`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseCli(joinNegativeValues(args), { ...PREDICTION_OPTIONS, split: { type: 'string' }, bootstrap: { type: 'string' } }, false);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const format = outputFormat(values);
  if (values.model !== undefined) {
    const replicates = numberOption(values, 'bootstrap', 200);
    if (!Number.isInteger(replicates) || replicates < 0) throw invalid('--bootstrap', 'must be a whole number ≥ 0');
    const { fetchThresholds } = await import('../online-calibration.js');
    const report = await fetchThresholds(values.model, { url: values.url, split: values.split, replicates, seed: numberOption(values, 'seed', 1) });
    if (format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(formatThresholdReport(report, { file: `model '${values.model}'`, split: report.split }));
    return 0;
  }
  const columns = predictionColumns(values);
  if ((values['split-col'] === undefined) !== (values.split === undefined)) {
    throw invalid('--split', 'give --split-col COL and --split NAME together');
  }
  if (values.split !== undefined) columns.splits = [values.split];
  const replicates = numberOption(values, 'bootstrap', 200);
  if (!Number.isInteger(replicates) || replicates < 0) throw invalid('--bootstrap', 'must be a whole number ≥ 0');
  return thresholdsOffline({
    file: required(values, 'csv'),
    columns,
    policy: costPolicyOptions(values),
    replicates,
    seed: numberOption(values, 'seed', 1),
    format,
  });
}

export interface ThresholdsOfflineOptions {
  file: string;
  columns: PredictionColumns;
  policy: ScalarCosts;
  replicates: number;
  seed: number;
  format: 'table' | 'json';
}

/** The offline path: stream the CSV, compute the report, print it. Returns the exit code. */
export async function thresholdsOffline(o: ThresholdsOfflineOptions): Promise<number> {
  const data = await readPredictionsCsv(o.file, o.columns);
  const report = thresholdReport(data.conf, data.correct, o.policy, { replicates: o.replicates, seed: o.seed });
  const source = { file: o.file, split: o.columns.splits?.[0] ?? null, rows: data.rows };
  if (o.format === 'json') process.stdout.write(`${JSON.stringify({ source, ...report }, null, 2)}\n`);
  else process.stdout.write(formatThresholdReport(report, source));
  return 0;
}

/** The readable table of a threshold report. */
export function formatThresholdReport(r: ThresholdReport, source: { file: string; split: string | null }): string {
  const th = (t: number) => (t === REJECT_ALL ? 'reject all' : fixed(t));
  const line = (name: string, t: string, accepted: number, coverage: number, ev: number, rv: number) =>
    [name, t, count(accepted), percent(coverage), fixed(ev), fixed(rv), fixed(ev - rv)];
  const rows = [
    ['', 'threshold', 'accepted', 'coverage', 'EV/item', 'RV/item', 'EV − RV'],
    line('T* (cost policy)', th(r.tStar), r.atTStar.accepted, r.atTStar.coverage, r.atTStar.ev, r.atTStar.rv),
    line('Tv (best RV)', th(r.tv), r.atTv.accepted, r.atTv.coverage, r.atTv.ev, r.atTv.rv),
    line('accept all', '0', r.n, 1, r.baselines.acceptAll.ev, r.baselines.acceptAll.rv),
    line('no model (D)', 'reject all', 0, 0, r.baselines.noModel, r.baselines.noModel),
  ];
  const out = [
    `Thresholds for ${count(r.n)} predictions from ${source.file}${source.split ? ` (split '${source.split}')` : ''}`,
    `Cost policy: V = ${r.policy.V}, D = ${r.policy.D}, W = ${r.policy.W}`,
    '',
    formatTable(rows),
    '',
  ];
  if (r.bootstrap) {
    const b = r.bootstrap;
    out.push(
      `Tv ${Math.round(b.level * 100)}% bootstrap interval (B = ${b.replicates}, seed ${b.seed}): [${th(b.tv.lo)}, ${th(b.tv.hi)}];` +
        ` RV(Tv): [${fixed(b.rv.lo)}, ${fixed(b.rv.hi)}]`,
    );
  }
  out.push(`|T* − Tv| = ${fixed(r.distance)}; oracle (accept exactly the items worth accepting): ${fixed(r.baselines.oracle)} per item`, '');
  return out.join('\n');
}
