import type { PoolClient } from 'pg';
import type { PredictionRow } from '../core/predictions/prediction-row';

export interface WriteCounts {
  inserted: number;
  updated: number;
}

// Set-based upsert of a whole chunk: the rows travel as one JSON parameter and are expanded by
// jsonb_to_recordset, so a 5,000-row chunk is one round trip and one statement. A re-sent external
// id updates its row; a re-send without a label, attributes or text keeps the ones already known
// (labels usually arrive later than predictions).
const UPSERT = `
  WITH up AS (
    INSERT INTO predictions (model_id, external_id, attributes, text, predicted, confidence, probabilities, label, split, predicted_at, labeled_at)
    SELECT $1, x.external_id, x.attributes, x.text, x.predicted, x.confidence, x.probabilities, x.label, x.split,
           COALESCE(x.predicted_at, now()), CASE WHEN x.label IS NOT NULL THEN now() END
    FROM jsonb_to_recordset($2::jsonb) AS x(external_id text, attributes jsonb, text text, predicted text, confidence float8,
                                           probabilities jsonb, label text, split text, predicted_at timestamptz)
    ON CONFLICT (model_id, external_id) DO UPDATE SET
      attributes    = COALESCE(EXCLUDED.attributes, predictions.attributes),
      text          = COALESCE(EXCLUDED.text, predictions.text),
      predicted     = EXCLUDED.predicted,
      confidence    = EXCLUDED.confidence,
      probabilities = EXCLUDED.probabilities,
      label         = COALESCE(EXCLUDED.label, predictions.label),
      labeled_at    = CASE WHEN EXCLUDED.label IS NOT NULL THEN now() ELSE predictions.labeled_at END,
      split         = EXCLUDED.split,
      predicted_at  = EXCLUDED.predicted_at,
      updated_at    = now()
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS total FROM up`;

/** Writes validated prediction rows of one model inside the caller's transaction. */
export class PredictionWriter {
  constructor(
    private readonly client: PoolClient,
    private readonly modelId: number,
  ) {}

  async write(rows: readonly PredictionRow[]): Promise<WriteCounts> {
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
    const { rows: out } = await this.client.query<{ inserted: number; total: number }>(UPSERT, [this.modelId, payload]);
    const duplicates = rows.length - byId.size;
    return { inserted: out[0].inserted, updated: out[0].total - out[0].inserted + duplicates };
  }
}
