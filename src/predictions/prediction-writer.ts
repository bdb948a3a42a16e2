import type { PoolClient } from 'pg';
import { CaveatError } from '../core/errors';
import type { PredictionRow } from '../core/predictions/prediction-row';
import { isLockNotAvailable } from '../database/pg-errors';

export interface WriteCounts {
  inserted: number;
  updated: number;
}

export const COLUMNS = 'external_id, attributes, text, predicted, confidence, probabilities, label, split, predicted_at';

// A re-sent external id updates its row; a re-send without a label, attributes or text keeps the
// ones already known (labels usually arrive later than predictions). Within one request the last
// occurrence of an id wins whole: a row this transaction already wrote (an import's row with a
// new id, written straight into predictions; import-sink.ts) is replaced, not merged.
// "Written by this transaction" is its xmin being the current transaction id; not
// `updated_at = now()`, since PGlite's clock has millisecond resolution and back-to-back
// transactions share a now() (a review measured 67 of 200 re-sends losing their label that
// way). `xmax = 0` marks a fresh insert.
const OURS = 'predictions.xmin = pg_current_xact_id()::xid';
const keep = (column: string) => `CASE WHEN ${OURS} THEN EXCLUDED.${column} ELSE COALESCE(EXCLUDED.${column}, predictions.${column}) END`;
export const upsertFrom = (source: string) => `
  WITH up AS (
    INSERT INTO predictions (model_id, ${COLUMNS}, labeled_at)
    SELECT $1, x.external_id, x.attributes, x.text, x.predicted, x.confidence, x.probabilities, x.label, x.split,
           COALESCE(x.predicted_at, now()), CASE WHEN x.label IS NOT NULL THEN now() END
    FROM ${source}
    ON CONFLICT (model_id, external_id) DO UPDATE SET
      attributes    = ${keep('attributes')},
      text          = ${keep('text')},
      predicted     = EXCLUDED.predicted,
      confidence    = EXCLUDED.confidence,
      probabilities = EXCLUDED.probabilities,
      label         = ${keep('label')},
      labeled_at    = CASE WHEN EXCLUDED.label IS NOT NULL THEN now() WHEN ${OURS} THEN NULL ELSE predictions.labeled_at END,
      split         = EXCLUDED.split,
      predicted_at  = EXCLUDED.predicted_at,
      updated_at    = now()
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS total FROM up`;

/** The columns of an incoming row with their types, as a record definition or a staging table takes them. */
export const ROW_TYPES =
  'external_id text, attributes jsonb, text text, predicted text, confidence float8, probabilities jsonb, label text, split text, predicted_at timestamptz';

const JSON_UPSERT = upsertFrom(`jsonb_to_recordset($2::jsonb) AS x(${ROW_TYPES})`);

/** Rows as one JSON array for JSON_UPSERT. */
function jsonRows(rows: Iterable<PredictionRow>): string {
  return JSON.stringify(
    Array.from(rows, (r) => ({
      external_id: r.externalId,
      attributes: r.attributes,
      text: r.text,
      predicted: r.predicted,
      confidence: r.confidence,
      probabilities: r.probabilities,
      label: r.label,
      split: r.split,
      predicted_at: r.predictedAt,
    })),
  );
}

/**
 * Upserts one batch as a single statement: the rows travel as one JSON parameter expanded by
 * jsonb_to_recordset (one round trip, no 65k-parameter limit).
 */
async function upsertBatch(client: PoolClient, modelId: number, rows: readonly PredictionRow[]): Promise<WriteCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  // ON CONFLICT cannot touch one row twice in a statement: within a batch the last occurrence wins.
  const byId = new Map<string, PredictionRow>();
  for (const r of rows) byId.set(r.externalId, r);
  const { rows: out } = await client.query<{ inserted: number; total: number }>(JSON_UPSERT, [modelId, jsonRows(byId.values())]);
  return { inserted: out[0].inserted, updated: out[0].total - out[0].inserted + (rows.length - byId.size) };
}

/**
 * Advisory-lock namespace for inserts into one model's predictions, keyed (namespace, model id).
 * Batches and imports hold it shared for their transaction; an import takes it exclusively
 * before it writes rows with new ids straight into predictions (import-sink.ts), so that nothing
 * else can insert an id it is about to write. (Label updates only update: they take no lock.)
 */
const PREDICTION_WRITES = 0x63766174;

/**
 * How long a batch or an import waits for a direct import into the same model to commit before
 * answering 409. Short, since each waiting request holds one of the pool's connections.
 */
const WAIT_FOR_DIRECT_IMPORT = '2s';

/** Takes the lock shared: at once, or after a direct import commits (409 `conflict` past WAIT_FOR_DIRECT_IMPORT). */
export async function lockPredictionWritesShared(client: PoolClient, modelId: number): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock_shared($1, $2) AS locked`, [PREDICTION_WRITES, modelId]);
  if (rows[0].locked) return;
  await client.query(`SET LOCAL lock_timeout = '${WAIT_FOR_DIRECT_IMPORT}'`);
  try {
    await client.query(`SELECT pg_advisory_xact_lock_shared($1, $2)`, [PREDICTION_WRITES, modelId]);
  } catch (e) {
    if (!isLockNotAvailable(e)) throw e;
    throw new CaveatError('conflict', `an import is writing this model's predictions; retry when it has finished`, { field: 'model' });
  }
  await client.query(`SET LOCAL lock_timeout = DEFAULT`);
}

/** Never waits: false while another open transaction inserts into the model's predictions. */
export async function tryLockPredictionWrites(client: PoolClient, modelId: number): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [PREDICTION_WRITES, modelId]);
  return rows[0].locked;
}

/** Writes one batch atomically inside the caller's transaction (after any direct import into the model commits). */
export async function writeBatch(client: PoolClient, modelId: number, rows: readonly PredictionRow[]): Promise<WriteCounts> {
  await lockPredictionWritesShared(client, modelId);
  return upsertBatch(client, modelId, rows);
}
