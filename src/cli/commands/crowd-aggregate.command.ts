import { createReadStream, writeFileSync } from 'node:fs';
import { aggregationToJson, type AggregationResult } from '../../core/crowd/aggregation-result';
import { encodeAnswerColumns } from '../../core/crowd/answers';
import { crowdAccuracy, type CrowdAccuracy, type TruthLabel } from '../../core/crowd/crowd-accuracy';
import { answersFromCsv, posteriorsToCsv, truthFromCsv } from '../../core/crowd/crowd-csv';
import { dawidSkene } from '../../core/crowd/dawid-skene';
import { majorityVote } from '../../core/crowd/majority-vote';
import type { TieRule } from '../../core/crowd/tie-rule';
import { CsvParser, CsvSyntaxError } from '../../core/csv/csv-parser';
import { CaveatError, invalid } from '../../core/errors';
import { numberOption, parseCli, required } from '../args';

const HELP = `caveat crowd aggregate --labels FILE [options]
  Aggregates crowd answers offline: majority vote or Dawid–Skene EM.
  --labels FILE      CSV with a header naming item (or task), worker and label columns
  --method M         ds (class-conditional Dawid–Skene, default), ds-onecoin, or mv (majority vote)
  --truth FILE       CSV of item,truth: prints accuracy against it
  --iterations N     Dawid–Skene iteration limit (default 100)
  --tol X            stop when the log-likelihood gains less than X per answer (default 1e-5; 0 = run N iterations)
  --smoothing A      pseudo-answers added to every confusion cell (default 0: maximum likelihood)
  --tie-rule R       lowest-index (default) or random: which class a tied item gets
  --seed S           seed for --tie-rule random (default 0)
  --format F         table (default) or json
  --out FILE         write per-item posteriors as CSV (item,label,p_<class>…)
Classes are ordered numerically when every label is an integer, else alphabetically; ties go
to the lowest class (or a seeded random one). Accuracy is printed both on the hard labels and
with ties split fractionally (an m-way tie that includes the truth counts 1/m).
`;

const METHODS = ['ds', 'ds-onecoin', 'mv'] as const;
type Method = (typeof METHODS)[number];

export async function run(args: string[]): Promise<number> {
  const { values } = parseCli(
    args,
    {
      labels: { type: 'string' },
      method: { type: 'string' },
      truth: { type: 'string' },
      iterations: { type: 'string' },
      tol: { type: 'string' },
      smoothing: { type: 'string' },
      'tie-rule': { type: 'string' },
      seed: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const labelsFile = required(values, 'labels');
  const method = (values.method ?? 'ds') as Method;
  if (!METHODS.includes(method)) throw invalid('--method', `must be one of ${METHODS.join(', ')}`);
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw invalid('--format', 'must be table or json');
  const tieRule = (values['tie-rule'] ?? 'lowest-index') as TieRule;
  if (tieRule !== 'lowest-index' && tieRule !== 'random') throw invalid('--tie-rule', 'must be lowest-index or random');
  const seed = numberOption(values, 'seed', 0);
  const maxIterations = numberOption(values, 'iterations', 100);
  const tolerance = numberOption(values, 'tol', 1e-5);
  const smoothing = numberOption(values, 'smoothing', 0);
  // Checked here too so the message names the flag, not the core option.
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw invalid('--iterations', 'must be an integer ≥ 1');
  if (tolerance < 0) throw invalid('--tol', 'must be ≥ 0');
  if (smoothing < 0) throw invalid('--smoothing', 'must be ≥ 0');

  const t0 = performance.now();
  const { records, lines } = await readCsv(labelsFile, '--labels');
  const truth: TruthLabel[] | null = values.truth ? truthFromCsv((await readCsv(values.truth, '--truth')).records) : null;
  const data = encodeAnswerColumns(answersFromCsv(records, lines));
  const t1 = performance.now();
  const result =
    method === 'mv'
      ? majorityVote(data, { tieRule, seed })
      : dawidSkene(data, { model: method === 'ds-onecoin' ? 'one-coin' : 'class-conditional', maxIterations, tolerance, smoothing, tieRule, seed });
  const t2 = performance.now();
  const accuracy = truth ? crowdAccuracy(result, truth) : null;
  if (values.out) {
    try {
      writeFileSync(values.out, posteriorsToCsv(result));
    } catch (e) {
      throw invalid('--out', `cannot write ${values.out}: ${(e as Error).message}`);
    }
  }
  const summary = {
    method,
    answers: data.item.length,
    duplicates: data.duplicates,
    items: data.items.length,
    workers: data.workers.length,
    classes: data.classes,
    iterations: result.iterations,
    converged: result.converged,
    tolerance: method === 'mv' ? null : tolerance,
    tieRule,
    ties: result.ties,
    priors: Array.from(result.priors),
    logLikelihood: Number.isFinite(result.logLikelihood) ? result.logLikelihood : null,
    accuracy,
    seconds: { read: (t1 - t0) / 1000, aggregate: (t2 - t1) / 1000 },
  };
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(table(summary, result, accuracy, values.out));
  return 0;
}

async function readCsv(path: string, field: string): Promise<{ records: string[][]; lines: number[] }> {
  const parser = new CsvParser();
  const records: string[][] = [];
  const lines: number[] = [];
  const keep = (out: Array<{ fields: string[]; line: number }>) => {
    for (const r of out) {
      records.push(r.fields);
      lines.push(r.line);
    }
  };
  try {
    let first = true;
    for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
      let text = chunk as string;
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM is not part of the first header name
      first = false;
      keep(parser.push(text));
    }
    keep(parser.end());
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new CaveatError('malformed_body', `${path}: ${e.message}`, { field, row: e.line });
    const err = e as NodeJS.ErrnoException;
    if (err.code) throw invalid(field, `cannot read ${path}: ${err.code}`);
    throw e;
  }
  return { records, lines };
}

const NAMES: Record<Method, string> = {
  ds: 'Dawid–Skene, class-conditional (confusion matrix per worker)',
  'ds-onecoin': 'Dawid–Skene, one-coin (one accuracy per worker)',
  mv: 'majority vote',
};

function table(s: { method: Method; answers: number; duplicates: number; items: number; workers: number; classes: string[]; iterations: number; converged: boolean; tolerance: number | null; tieRule: TieRule; ties: number; priors: number[]; seconds: { read: number; aggregate: number } }, result: AggregationResult, accuracy: CrowdAccuracy | null, out: string | undefined): string {
  const rows: Array<[string, string]> = [
    ['method', NAMES[s.method]],
    ['answers', `${s.answers.toLocaleString('en-US')}${s.duplicates ? ` (${s.duplicates} repeated (item, worker) answers dropped, first kept)` : ''}`],
    ['items', s.items.toLocaleString('en-US')],
    ['workers', s.workers.toLocaleString('en-US')],
    ['classes', s.classes.join(', ')],
  ];
  if (s.method !== 'mv') rows.push(['iterations', `${s.iterations} (${s.converged ? `converged at tolerance ${s.tolerance}` : 'iteration limit reached'})`]);
  rows.push(['class priors', s.classes.map((c, k) => `${c}: ${s.priors[k].toFixed(4)}`).join('  ')]);
  rows.push(['tied items', `${s.ties} (hard label: ${s.tieRule === 'random' ? 'seeded random class' : 'lowest class index'})`]);
  if (accuracy) {
    rows.push(['accuracy', `${accuracy.hard.toFixed(4)} hard labels, ${accuracy.fractional.toFixed(4)} ties split fractionally (${accuracy.evaluated} items with truth${accuracy.missing ? `, ${accuracy.missing} truth items without answers` : ''})`]);
  }
  rows.push(['time', `${(s.seconds.read * 1000).toFixed(0)} ms read, ${(s.seconds.aggregate * 1000).toFixed(1)} ms aggregate`]);
  if (out) rows.push(['posteriors', out]);
  const width = Math.max(...rows.map(([k]) => k.length));
  let text = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
  if (s.method !== 'mv') {
    const workers = aggregationToJson(result).workers.sort((a, b) => a.accuracy - b.accuracy || a.worker.localeCompare(b.worker)).slice(0, 5);
    text += `\nleast accurate workers (estimated P(correct) = Σ_k prior_k·confusion[k][k]):\n`;
    text += workers.map((w) => `  ${w.worker.padEnd(16)} ${w.accuracy.toFixed(3)}  (${w.answers} answers)`).join('\n') + '\n';
  }
  return text;
}
