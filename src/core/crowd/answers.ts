import { CaveatError, invalid } from '../errors';

/** One crowd answer as a service or a CSV row gives it: strings, mapped to dense indices once. */
export interface Answer {
  item: string;
  worker: string;
  label: string;
}

/**
 * Answers over dense integer indices (item, worker, class), one entry per kept answer.
 * Everything downstream (majority vote, Dawid–Skene, gold checks) runs on these typed arrays.
 */
export interface EncodedAnswers {
  /** Item ids by index. */
  items: string[];
  /** Worker ids by index. */
  workers: string[];
  /** Class labels by index: the order that the lowest-index tie rule uses. */
  classes: string[];
  item: Int32Array;
  worker: Int32Array;
  label: Int32Array;
  /** Answers dropped because the same worker had already answered the same item (the first is kept). */
  duplicates: number;
}

export interface EncodeOptions {
  /**
   * Fixed class order; a label outside it is an `unknown_class` error. Default: the labels seen,
   * ordered by `defaultClassOrder` — pass the classes when some may be unanswered (a yes/no concept
   * that everyone marked "yes" would otherwise have one class).
   */
  classes?: readonly string[];
  /** Items to index first, in this order (e.g. gold or truth items that may have no answer yet). */
  items?: readonly string[];
}

/** Column form of the answers (what a CSV reader or an SQL query naturally yields). */
export interface AnswerColumns {
  item: readonly string[];
  worker: readonly string[];
  label: readonly string[];
}

/**
 * Class order when none is given: numeric ascending when every label is a canonical integer
 * ("0", "1", "12"), otherwise code-unit (lexicographic) order, so that "no" < "yes". The order is
 * part of the tie rule (ties go to the lowest index), so it must not depend on answer order.
 */
export function defaultClassOrder(labels: Iterable<string>): string[] {
  const distinct = [...new Set(labels)];
  const numeric = distinct.every((l) => /^-?(0|[1-9][0-9]*)$/.test(l));
  return numeric ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Encodes answer rows ({item, worker, label}) to dense indices, keeping the first answer per (item, worker). */
export function encodeAnswers(rows: readonly Answer[], options: EncodeOptions = {}): EncodedAnswers {
  return encodeAnswerColumns(
    { item: rows.map((r) => r.item), worker: rows.map((r) => r.worker), label: rows.map((r) => r.label) },
    options,
  );
}

/**
 * Encodes answer columns to dense indices. Items and workers are numbered in order of first
 * appearance (after `options.items`); a repeated (item, worker) pair keeps its first answer, as the
 * reference implementation does (../shared/data/README.md), and is counted in `duplicates`.
 */
export function encodeAnswerColumns(columns: AnswerColumns, options: EncodeOptions = {}): EncodedAnswers {
  const n = columns.item.length;
  if (columns.worker.length !== n || columns.label.length !== n) {
    throw invalid('answers', `columns differ in length (item ${n}, worker ${columns.worker.length}, label ${columns.label.length})`);
  }
  const classes = options.classes ? [...options.classes] : defaultClassOrder(columns.label);
  if (options.classes && classes.length < 2) throw invalid('classes', 'at least two classes are needed');
  if (new Set(classes).size !== classes.length) throw invalid('classes', 'classes must be distinct');
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const itemIndex = new Map<string, number>();
  const items: string[] = [];
  for (const id of options.items ?? []) {
    if (!itemIndex.has(id)) {
      itemIndex.set(id, items.length);
      items.push(id);
    }
  }
  const workerIndex = new Map<string, number>();
  const workers: string[] = [];
  const item = new Int32Array(n);
  const worker = new Int32Array(n);
  const label = new Int32Array(n);
  for (let a = 0; a < n; a++) {
    const itemId = columns.item[a];
    const workerId = columns.worker[a];
    const labelId = columns.label[a];
    if (typeof itemId !== 'string' || itemId === '') throw invalid(`answers[${a}].item`, 'must be a non-empty string', { row: a + 1 });
    if (typeof workerId !== 'string' || workerId === '') throw invalid(`answers[${a}].worker`, 'must be a non-empty string', { row: a + 1 });
    const c = classIndex.get(labelId);
    if (c === undefined) {
      throw new CaveatError('unknown_class', `answers[${a}].label: '${labelId}' is not one of ${classes.join(', ')}`, {
        field: `answers[${a}].label`,
        row: a + 1,
      });
    }
    let i = itemIndex.get(itemId);
    if (i === undefined) {
      i = items.length;
      itemIndex.set(itemId, i);
      items.push(itemId);
    }
    let w = workerIndex.get(workerId);
    if (w === undefined) {
      w = workers.length;
      workerIndex.set(workerId, w);
      workers.push(workerId);
    }
    item[a] = i;
    worker[a] = w;
    label[a] = c;
  }
  return dropRepeatedAnswers({ items, workers, classes, item, worker, label, duplicates: 0 });
}

/** Keeps the first answer per (item, worker); returns the input untouched when there is no repeat. */
function dropRepeatedAnswers(data: EncodedAnswers): EncodedAnswers {
  const n = data.item.length;
  const W = data.workers.length;
  const seen = new Set<number>();
  const keep = new Uint8Array(n);
  let kept = 0;
  for (let a = 0; a < n; a++) {
    const key = data.item[a] * W + data.worker[a]; // < 2^53 for any realistic item × worker count
    if (!seen.has(key)) {
      seen.add(key);
      keep[a] = 1;
      kept++;
    }
  }
  if (kept === n) return data;
  const item = new Int32Array(kept);
  const worker = new Int32Array(kept);
  const label = new Int32Array(kept);
  for (let a = 0, b = 0; a < n; a++) {
    if (keep[a] === 0) continue;
    item[b] = data.item[a];
    worker[b] = data.worker[a];
    label[b] = data.label[a];
    b++;
  }
  return { ...data, item, worker, label, duplicates: data.duplicates + n - kept };
}

/** Encodes known labels (gold answers or ground truth) against an encoding: class index per item, −1 where unknown. */
export function encodeKnownLabels(
  data: Pick<EncodedAnswers, 'items' | 'classes'>,
  known: ReadonlyArray<{ item: string; label: string }>,
): Int32Array {
  const itemIndex = new Map(data.items.map((id, i) => [id, i]));
  const classIndex = new Map(data.classes.map((c, i) => [c, i]));
  const out = new Int32Array(data.items.length).fill(-1);
  known.forEach(({ item, label }, r) => {
    const i = itemIndex.get(item);
    if (i === undefined) return; // a known item nobody answered has nothing to aggregate
    const c = classIndex.get(label);
    if (c === undefined) {
      throw new CaveatError('unknown_class', `known[${r}].label: '${label}' is not one of ${data.classes.join(', ')}`, {
        field: `known[${r}].label`,
        row: r + 1,
      });
    }
    out[i] = c;
  });
  return out;
}
