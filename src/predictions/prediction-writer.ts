import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PredictionRow } from '../core/predictions/prediction-row';
import type { DatabaseKind } from '../database/database';

export interface WriteCounts {
  inserted: number;
  updated: number;
}

/** Receives validated rows chunk by chunk inside the caller's transaction; `finish` makes them visible. */
export interface PredictionSink {
  add(rows: readonly PredictionRow[]): Promise<void>;
  finish(): Promise<WriteCounts>;
}

const COLUMNS = 'external_id, attributes, text, predicted, confidence, probabilities, label, split, predicted_at';

// A re-sent external id updates its row; a re-send without a label, attributes or text keeps the
// ones already known (labels usually arrive later than predictions). Within one request the last
// occurrence of an id wins whole: a row this transaction already wrote (an earlier chunk of the
// same import) is replaced, not merged. "Written by this transaction" is its xmin being the
// current transaction id; not `updated_at = now()`, since PGlite's clock has millisecond
// resolution and back-to-back transactions share a now() (a review measured 67 of 200
// re-sends losing their label that way). `xmax = 0` marks a fresh insert.
const OURS = 'predictions.xmin = pg_current_xact_id()::xid';
const keep = (column: string) => `CASE WHEN ${OURS} THEN EXCLUDED.${column} ELSE COALESCE(EXCLUDED.${column}, predictions.${column}) END`;
const upsertFrom = (source: string) => `
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

const JSON_UPSERT = upsertFrom(
  `jsonb_to_recordset($2::jsonb) AS x(external_id text, attributes jsonb, text text, predicted text, confidence float8,
                                      probabilities jsonb, label text, split text, predicted_at timestamptz)`,
);

/**
 * Upserts one chunk as a single statement: the rows travel as one JSON parameter expanded by
 * jsonb_to_recordset (one round trip, no 65k-parameter limit). Used for JSON batches and for
 * streamed imports on the embedded database, where COPY through the socket server hangs
 * (../shared/STACK.md).
 */
export async function upsertChunk(client: PoolClient, modelId: number, rows: readonly PredictionRow[]): Promise<WriteCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  // ON CONFLICT cannot touch one row twice in a statement: within a chunk the last occurrence wins.
  const byId = new Map<string, PredictionRow>();
  for (const r of rows) byId.set(r.externalId, r);
  const payload = JSON.stringify(
    Array.from(byId.values(), (r) => ({
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
  const { rows: out } = await client.query<{ inserted: number; total: number }>(JSON_UPSERT, [modelId, payload]);
  return { inserted: out[0].inserted, updated: out[0].total - out[0].inserted + (rows.length - byId.size) };
}

class ChunkUpsertSink implements PredictionSink {
  private readonly counts = { inserted: 0, updated: 0 };
  constructor(
    private readonly client: PoolClient,
    private readonly modelId: number,
  ) {}
  async add(rows: readonly PredictionRow[]): Promise<void> {
    const c = await upsertChunk(this.client, this.modelId, rows);
    this.counts.inserted += c.inserted;
    this.counts.updated += c.updated;
  }
  async finish(): Promise<WriteCounts> {
    return this.counts;
  }
}

/**
 * On a PostgreSQL server: COPY each chunk into a temporary staging table (the fastest way in),
 * then one set-based upsert into `predictions` at the end. Each chunk is its own COPY, so no COPY
 * is ever open when a later row turns out bad and the transaction rolls back.
 */
class CopyStagingSink implements PredictionSink {
  private seq = 0;
  private received = 0;
  private constructor(
    private readonly client: PoolClient,
    private readonly modelId: number,
  ) {}

  static async open(client: PoolClient, modelId: number): Promise<CopyStagingSink> {
    await client.query(`
      CREATE TEMP TABLE caveat_import_stage (
        seq bigint, external_id text, attributes jsonb, text text, predicted text, confidence float8,
        probabilities jsonb, label text, split text, predicted_at timestamptz
      ) ON COMMIT DROP`);
    return new CopyStagingSink(client, modelId);
  }

  async add(rows: readonly PredictionRow[]): Promise<void> {
    if (rows.length === 0) return;
    let text = '';
    for (const r of rows) {
      text += `${this.seq++}\t${tsv(r.externalId)}\t${tsvJson(r.attributes)}\t${tsv(r.text)}\t${tsv(r.predicted)}\t${r.confidence}\t${tsvJson(r.probabilities)}\t${tsv(r.label)}\t${r.split}\t${tsv(r.predictedAt)}\n`;
    }
    this.received += rows.length;
    const stream = this.client.query(copyFrom(`COPY caveat_import_stage (seq, ${COLUMNS}) FROM STDIN`));
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(text);
    });
  }

  async finish(): Promise<WriteCounts> {
    if (this.received === 0) return { inserted: 0, updated: 0 };
    // The last occurrence of an external id wins, as in a batch.
    const { rows } = await this.client.query<{ inserted: number; total: number }>(
      upsertFrom(`(SELECT DISTINCT ON (external_id) * FROM caveat_import_stage ORDER BY external_id, seq DESC) AS x`),
      [this.modelId],
    );
    return { inserted: rows[0].inserted, updated: rows[0].total - rows[0].inserted + (this.received - rows[0].total) };
  }
}

export async function openSink(client: PoolClient, modelId: number, kind: DatabaseKind): Promise<PredictionSink> {
  return kind === 'postgres' ? CopyStagingSink.open(client, modelId) : new ChunkUpsertSink(client, modelId);
}

/** COPY text format: NULL is \N; backslash, tab, newline and carriage return are escaped. */
function tsv(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

function tsvJson(v: unknown): string {
  return v === null || v === undefined ? '\\N' : tsv(JSON.stringify(v));
}
