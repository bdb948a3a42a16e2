import type { PoolClient } from 'pg';
import { IdFingerprintSet } from '../core/predictions/id-fingerprint-set';
import type { PredictionRow } from '../core/predictions/prediction-row';
import { COPY_NULL, copyJson, copyString } from '../database/copy-text';
import type { Database } from '../database/database';
import { COLUMNS, ROW_TYPES, lockPredictionWritesShared, tryLockPredictionWrites, upsertFrom, type WriteCounts } from './prediction-writer';

/** Receives validated rows chunk by chunk inside the caller's transaction; `finish` makes them visible. */
export interface PredictionSink {
  /** `direct` once rows with new ids go straight into predictions; `staged` until then. */
  readonly mode: 'direct' | 'staged';
  add(rows: readonly PredictionRow[]): Promise<void>;
  finish(): Promise<WriteCounts>;
}

/** When to consider writing directly into a model that holds predictions. */
export interface DirectWriteOptions {
  /** Rows staged before the model's ids are read (default 20,000): small imports never read them. */
  stagedRowsBeforeDirect?: number;
}

/** Ids remembered per import, the model's own included (16 bytes each at most: 32 MiB). */
const MAX_IDS = 2_000_000;
/** The most id text read at once from a model (one string of up to 32 MiB of UTF-16). */
const MAX_ID_CHARS = 16_000_000;
const DEFAULT_STAGED_ROWS_BEFORE_DIRECT = 20_000;
/**
 * Reading a model's ids costs about a tenth of what a staged row costs over a direct one, so
 * they are read once the rows staged so far reach a tenth of them: by then, if the import goes
 * on at least as long again, the read has paid for itself.
 */
const IDS_PER_STAGED_ROW = 10;

/**
 * A streamed import's writer. A row whose id is new, to the model and to this import, is
 * COPYed straight into `predictions` (COPY is the fastest way in, but cannot update: there is
 * no conflict to handle for a new id); every other row is COPYed into a temporary staging table, and
 * one set-based upsert applies those at the end, the last occurrence of an id winning. A set of
 * 64-bit id fingerprints tells "new" (certain) from "may have come before".
 *
 * Why the two never disagree: a row written directly carries only what this import sent, so a
 * later staged occurrence of its id may replace it whole, which the upsert does because this
 * transaction wrote it (OURS in prediction-writer.ts): the same outcome as a batch. Staged rows
 * merge with what an earlier transaction stored, as a batch does. (Upserting chunk by chunk
 * would not do: a repeat would replace whole a row the import had already merged.)
 *
 * Into an empty model (the first, bulk load) rows go directly from the start. Into a model with
 * predictions, rows are staged until enough have come for reading the model's ids to pay off
 * (DirectWriteOptions); then, holding the model's write lock exclusively, the sink reads them
 * once and new ids go directly from there on. Each chunk is its own COPY (Database.copyIn: on
 * the embedded database, from PGlite's blob device), so nothing is left open when a later row
 * turns out bad and the transaction rolls back.
 */
class ImportSink implements PredictionSink {
  private seq = 0;
  private staged = 0;
  private direct = 0;
  private readonly seen = new IdFingerprintSet(MAX_IDS);
  private constructor(
    private readonly db: Database,
    private readonly client: PoolClient,
    private readonly modelId: number,
    /** The transaction's now(), as text, where the upsert would use now(). */
    private readonly now: string,
    /** May a row with a new id go straight into predictions: the lock is held and the model's ids are in `seen`. */
    private directOk: boolean,
    /** Staged rows after which to try reading the model's ids; null once tried. */
    private tryDirectAt: number | null,
  ) {}

  static async open(db: Database, client: PoolClient, modelId: number, options: DirectWriteOptions): Promise<ImportSink> {
    const { rows } = await client.query<{ now: string; empty: boolean; readCommitted: boolean }>(
      `SELECT now()::text AS now, NOT EXISTS (SELECT 1 FROM predictions WHERE model_id = $1) AS empty,
              current_setting('transaction_isolation') = 'read committed' AS "readCommitted"`,
      [modelId],
    );
    // Reading the model's ids after taking the lock sees every writer before it only when each
    // statement takes a fresh snapshot; under a stricter isolation level the import stays staged.
    if (!rows[0].readCommitted) {
      await lockPredictionWritesShared(client, modelId);
      return new ImportSink(db, client, modelId, rows[0].now, false, null);
    }
    // Checked again once the lock is held: a writer may have committed in between.
    const directOk = rows[0].empty && (await tryLockPredictionWrites(client, modelId)) && (await isEmpty(client, modelId));
    if (!directOk) await lockPredictionWritesShared(client, modelId);
    return new ImportSink(db, client, modelId, rows[0].now, directOk, directOk ? null : (options.stagedRowsBeforeDirect ?? DEFAULT_STAGED_ROWS_BEFORE_DIRECT));
  }

  get mode(): 'direct' | 'staged' {
    // Once the set is full no id can be told new any more: everything is staged.
    return this.directOk && this.seen.size < this.seen.maxIds ? 'direct' : 'staged';
  }

  async add(rows: readonly PredictionRow[]): Promise<void> {
    const fresh: PredictionRow[] = [];
    let again: readonly PredictionRow[] = rows;
    if (this.directOk || this.tryDirectAt !== null) {
      // Every id is remembered, staged ones too, for the day the sink goes direct.
      const repeated: PredictionRow[] = [];
      for (const r of rows) (this.seen.add(r.externalId) === 'new' && this.directOk ? fresh : repeated).push(r);
      again = repeated;
    }
    if (fresh.length > 0) {
      await this.db.copyIn(this.client, `predictions (model_id, ${COLUMNS}, labeled_at)`, this.predictionsText(fresh));
      this.direct += fresh.length;
    }
    if (again.length > 0) {
      if (this.staged === 0) await this.openStaging();
      await this.db.copyIn(this.client, `caveat_import_stage (seq, ${COLUMNS})`, this.stagingText(again));
      this.staged += again.length;
    }
    if (this.tryDirectAt !== null && this.staged >= this.tryDirectAt) await this.tryGoingDirect();
  }

  async finish(): Promise<WriteCounts> {
    if (this.staged === 0) return { inserted: this.direct, updated: 0 };
    // The last occurrence of an external id wins, as in a batch.
    const { rows } = await this.client.query<{ inserted: number; total: number }>(
      upsertFrom(`(SELECT DISTINCT ON (external_id) * FROM caveat_import_stage ORDER BY external_id, seq DESC) AS x`),
      [this.modelId],
    );
    return { inserted: this.direct + rows[0].inserted, updated: rows[0].total - rows[0].inserted + (this.staged - rows[0].total) };
  }

  /** Reads the model's ids into `seen` under the exclusive lock, when they are few enough to pay off. */
  private async tryGoingDirect(): Promise<void> {
    const { n, chars } = await modelIds(this.client, this.modelId);
    if (n + this.seen.size > MAX_IDS / 2 || chars > MAX_ID_CHARS) {
      this.tryDirectAt = null;
      return;
    }
    if (n > this.staged * IDS_PER_STAGED_ROW) {
      this.tryDirectAt = Math.ceil(n / IDS_PER_STAGED_ROW);
      return;
    }
    this.tryDirectAt = null;
    // Another writer of the model is still open (it holds the lock shared): stay staged.
    if (!(await tryLockPredictionWrites(this.client, this.modelId))) return;
    const { rows } = await this.client.query<{ n: number; ids: string | null }>(
      `SELECT count(*)::int AS n, string_agg(external_id, E'\\n') AS ids FROM predictions WHERE model_id = $1`,
      [this.modelId],
    );
    // An id holding a line break would read as two: then ids cannot be told apart, stay staged
    // (holding the lock until commit: rare enough not to spend a scan checking first).
    this.directOk = this.seen.addLines(rows[0].ids ?? '') === rows[0].n;
  }

  private async openStaging(): Promise<void> {
    await this.client.query(`
      CREATE TEMP TABLE caveat_import_stage (seq bigint, ${ROW_TYPES}) ON COMMIT DROP`);
  }

  /** Rows as the upsert would insert them: predicted_at defaults to now(), labeled_at is now() for a label. */
  private predictionsText(rows: readonly PredictionRow[]): string {
    const { modelId, now } = this;
    let text = '';
    for (const r of rows) {
      text += `${modelId}\t${rowFields(r)}\t${r.predictedAt === null ? now : copyString(r.predictedAt)}\t${r.label === null ? COPY_NULL : now}\n`;
    }
    return text;
  }

  /** Rows numbered in arrival order, for the upsert's "last occurrence wins". */
  private stagingText(rows: readonly PredictionRow[]): string {
    let text = '';
    for (const r of rows) text += `${this.seq++}\t${rowFields(r)}\t${copyString(r.predictedAt)}\n`;
    return text;
  }
}

/** The COPY fields both tables share, in COLUMNS order up to predicted_at. */
function rowFields(r: PredictionRow): string {
  return `${copyString(r.externalId)}\t${copyJson(r.attributes)}\t${copyString(r.text)}\t${copyString(r.predicted)}\t${r.confidence}\t${copyJson(r.probabilities)}\t${copyString(r.label)}\t${r.split}`;
}

/** Opens the writer for one streamed import, inside the caller's transaction (`client`). */
export function openSink(db: Database, client: PoolClient, modelId: number, options: DirectWriteOptions = {}): Promise<PredictionSink> {
  return ImportSink.open(db, client, modelId, options);
}

/** How many predictions the model holds, and the characters of their ids (what reading them costs). */
async function isEmpty(client: PoolClient, modelId: number): Promise<boolean> {
  const { rows } = await client.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM predictions WHERE model_id = $1) AS empty`, [modelId]);
  return rows[0].empty;
}

async function modelIds(client: PoolClient, modelId: number): Promise<{ n: number; chars: number }> {
  const { rows } = await client.query<{ n: number; chars: number }>(
    `SELECT count(*)::int AS n, coalesce(sum(length(external_id)), 0)::float8 AS chars FROM predictions WHERE model_id = $1`,
    [modelId],
  );
  return rows[0];
}
