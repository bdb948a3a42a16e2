import { CaveatError } from '../core/errors';
import type { Split } from '../core/predictions/prediction-row';
import type { Database } from '../database/database';

/** Labelled predictions of one model and split as columns (typed arrays), in a stable order (by row id). */
export interface LabelledColumns {
  n: number;
  classes: string[];
  /** predictions.id of each row (bigint as string), for joining back. */
  ids: string[];
  confidence: Float64Array;
  /** 1 iff the predicted class equals the label. */
  correct: Uint8Array;
  /** Index into `classes` of the predicted class and of the true label. */
  predicted: Uint16Array;
  label: Uint16Array;
  /** Row-major n × classes.length class probabilities, when asked for and present on every row; else null. */
  probabilities: Float64Array | null;
  externalIds?: string[];
  attributes?: Array<Record<string, unknown> | null>;
  texts?: Array<string | null>;
}

export interface ReadColumnsOptions {
  probabilities?: boolean;
  externalIds?: boolean;
  attributes?: boolean;
  texts?: boolean;
  /** Rows fetched per round trip; memory holds one page of row objects at a time. */
  pageSize?: number;
}

/**
 * Reads the labelled predictions of a split page by page (keyset pagination on id) straight into
 * typed arrays, so a million-row split never exists as a million JS objects at once.
 * Throws `unprocessable` when the split has no labelled predictions (metrics would be NaN).
 */
export async function readLabelledColumns(db: Database, model: { id: number; name: string; classes: string[] }, split: Split, options: ReadColumnsOptions = {}): Promise<LabelledColumns> {
  const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM predictions WHERE model_id = $1 AND split = $2 AND label IS NOT NULL`, [model.id, split]);
  if (n === 0) {
    throw new CaveatError('unprocessable', `model '${model.name}' has no labelled predictions in split '${split}'`, { field: 'split', split });
  }
  const K = model.classes.length;
  const out: LabelledColumns = {
    n,
    classes: model.classes,
    ids: new Array<string>(n),
    confidence: new Float64Array(n),
    correct: new Uint8Array(n),
    predicted: new Uint16Array(n),
    label: new Uint16Array(n),
    probabilities: options.probabilities ? new Float64Array(n * K) : null,
  };
  if (options.externalIds) out.externalIds = new Array<string>(n);
  if (options.attributes) out.attributes = new Array(n);
  if (options.texts) out.texts = new Array(n);
  const extra = [options.probabilities ? ', probabilities' : '', options.externalIds ? ', external_id' : '', options.attributes ? ', attributes' : '', options.texts ? ', text' : ''].join('');
  const pageSize = options.pageSize ?? 50_000;
  let i = 0;
  let after = '0';
  let missingProbabilities = false;
  while (i < n) {
    const rows: Array<{ id: string; confidence: number; p: number; l: number; probabilities?: Record<string, number> | null; external_id?: string; attributes?: Record<string, unknown> | null; text?: string | null }> =
      await db.dataSource.query(
        `SELECT id, confidence, array_position($3::text[], predicted) - 1 AS p, array_position($3::text[], label) - 1 AS l${extra}
           FROM predictions WHERE model_id = $1 AND split = $2 AND label IS NOT NULL AND id > $4
          ORDER BY id LIMIT $5`,
        [model.id, split, model.classes, after, pageSize],
      );
    if (rows.length === 0) break; // rows deleted meanwhile: the arrays are trimmed below
    for (const r of rows) {
      out.ids[i] = r.id;
      out.confidence[i] = r.confidence;
      out.predicted[i] = r.p;
      out.label[i] = r.l;
      out.correct[i] = r.p === r.l ? 1 : 0;
      if (out.probabilities) {
        if (!r.probabilities) missingProbabilities = true;
        else for (let k = 0; k < K; k++) out.probabilities[i * K + k] = r.probabilities[model.classes[k]] ?? 0;
      }
      if (out.externalIds) out.externalIds[i] = r.external_id!;
      if (out.attributes) out.attributes[i] = r.attributes ?? null;
      if (out.texts) out.texts[i] = r.text ?? null;
      i++;
    }
    after = rows[rows.length - 1].id;
  }
  if (missingProbabilities) out.probabilities = null;
  return i === n ? out : trim(out, i);
}

function trim(c: LabelledColumns, n: number): LabelledColumns {
  const K = c.classes.length;
  return {
    ...c,
    n,
    ids: c.ids.slice(0, n),
    confidence: c.confidence.slice(0, n),
    correct: c.correct.slice(0, n),
    predicted: c.predicted.slice(0, n),
    label: c.label.slice(0, n),
    probabilities: c.probabilities ? c.probabilities.slice(0, n * K) : null,
    externalIds: c.externalIds?.slice(0, n),
    attributes: c.attributes?.slice(0, n),
    texts: c.texts?.slice(0, n),
  };
}
