import { CaveatError } from '../errors';
import type { AggregationResult } from './aggregation-result';
import type { AnswerColumns } from './answers';
import type { TruthLabel } from './crowd-accuracy';

const ITEM_NAMES = ['item', 'task', 'item_id', 'task_id'];
const WORKER_NAMES = ['worker', 'annotator', 'worker_id', 'annotator_id'];
const LABEL_NAMES = ['label', 'answer', 'response'];
const TRUTH_NAMES = ['truth', 'gold', 'label', 'true_label'];

/**
 * Answer columns from CSV records whose first record is a header naming `item` (or `task`),
 * `worker` and `label` columns in any order (crowd-kit's `worker,task,label` works as is).
 */
export function answersFromCsv(records: readonly string[][], lines?: readonly number[]): AnswerColumns {
  const [header, ...rows] = records;
  if (!header) throw new CaveatError('malformed_body', 'the labels file is empty');
  const names = header.map((h) => h.trim().toLowerCase());
  const col = (accepted: string[], what: string): number => {
    const c = names.findIndex((n) => accepted.includes(n));
    if (c < 0) throw new CaveatError('malformed_body', `the header has no ${what} column (expected one of ${accepted.join(', ')}; got ${header.join(',')})`, { row: 1 });
    return c;
  };
  const ci = col(ITEM_NAMES, 'item');
  const cw = col(WORKER_NAMES, 'worker');
  const cl = col(LABEL_NAMES, 'label');
  const need = Math.max(ci, cw, cl) + 1;
  const item: string[] = [];
  const worker: string[] = [];
  const label: string[] = [];
  rows.forEach((r, k) => {
    if (r.length < need) {
      const row = lines ? lines[k + 1] : k + 2;
      throw new CaveatError('malformed_body', `line ${row}: expected at least ${need} fields, got ${r.length}`, { row });
    }
    item.push(r[ci].trim());
    worker.push(r[cw].trim());
    label.push(r[cl].trim());
  });
  return { item, worker, label };
}

/** Ground truth from CSV records: a header with `item` (or `task`) and `truth` (or `label`) columns, or any two columns in that order. */
export function truthFromCsv(records: readonly string[][]): TruthLabel[] {
  const [header, ...rows] = records;
  if (!header) throw new CaveatError('malformed_body', 'the truth file is empty');
  const names = header.map((h) => h.trim().toLowerCase());
  let ci = names.findIndex((n) => ITEM_NAMES.includes(n));
  let ct = names.findIndex((n, i) => i !== ci && TRUTH_NAMES.includes(n));
  if (ci < 0 || ct < 0) {
    ci = 0;
    ct = 1;
  }
  return rows.map((r, k) => {
    if (r.length <= Math.max(ci, ct)) throw new CaveatError('malformed_body', `truth line ${k + 2}: expected item and truth fields`, { row: k + 2 });
    return { item: r[ci].trim(), truth: r[ct].trim() };
  });
}

/** Posteriors as CSV: `item,label,p_<class>…` (label empty for an unanswered item), fields quoted per RFC 4180. */
export function posteriorsToCsv(r: AggregationResult): string {
  const K = r.classes.length;
  const lines = [['item', 'label', ...r.classes.map((c) => `p_${c}`)].map(csvField).join(',')];
  for (let i = 0; i < r.items.length; i++) {
    const fields = [r.items[i], r.labels[i] >= 0 ? r.classes[r.labels[i]] : ''];
    for (let k = 0; k < K; k++) fields.push(String(r.posteriors[i * K + k]));
    lines.push(fields.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
