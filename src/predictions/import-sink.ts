import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { IdFingerprintSet } from '../core/predictions/id-fingerprint-set';
import type { PredictionRow } from '../core/predictions/prediction-row';
import type { DatabaseKind } from '../database/database';
import { COLUMNS, jsonRecords, jsonRows, lockPredictionWritesShared, tryLockPredictionWrites, upsertFrom, type WriteCounts } from './prediction-writer';

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

/** How rows reach the database: COPY on a PostgreSQL server; a JSON parameter on the embedded one. */
interface Transport {
  /** Inserts rows whose ids are new to the model; predicted_at defaults to now(), labeled_at is now() for a label. */
  insertNew(rows: readonly PredictionRow[]): Promise<void>;
  /** Appends rows to caveat_import_stage, numbered from `firstSeq`. */
  stage(rows: readonly PredictionRow[], firstSeq: number): Promise<void>;
}

/**
 * A streamed import's writer. A row whose id is new, to the model and to this import, is
 * inserted straight into `predictions` (no conflict to check for: on a server, COPY, the
 * fastest way in, which cannot update); every other row goes to a temporary staging table, and
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
 * once and new ids go directly from there on. Each chunk is its own statement, so nothing is
 * left open when a later row turns out bad and the transaction rolls back.
 */
class ImportSink implements PredictionSink {
  private seq = 0;
  private staged = 0;
  private direct = 0;
  private stagingOpen = false;
  private readonly seen = new IdFingerprintSet(MAX_IDS);
  private constructor(
    private readonly client: PoolClient,
    private readonly modelId: number,
    private readonly transport: Transport,
    /** May a row with a new id go straight into predictions: the lock is held and the model's ids are in `seen`. */
    private directOk: boolean,
    /** Staged rows after which to try reading the model's ids; null once tried. */
    private tryDirectAt: number | null,
  ) {}

  static async open(client: PoolClient, modelId: number, kind: DatabaseKind, options: DirectWriteOptions): Promise<ImportSink> {
    const { rows } = await client.query<{ now: string; empty: boolean; readCommitted: boolean }>(
      `SELECT now()::text AS now, NOT EXISTS (SELECT 1 FROM predictions WHERE model_id = $1) AS empty,
              current_setting('transaction_isolation') = 'read committed' AS "readCommitted"`,
      [modelId],
    );
    const transport = kind === 'postgres' ? copyTransport(client, modelId, rows[0].now) : jsonTransport(client, modelId);
    // Reading the model's ids after taking the lock sees every writer before it only when each
    // statement takes a fresh snapshot; under a stricter isolation level the import stays staged.
    if (!rows[0].readCommitted) {
      await lockPredictionWritesShared(client, modelId);
      return new ImportSink(client, modelId, transport, false, null);
    }
    // Checked again once the lock is held: a writer may have committed in between.
    const directOk = rows[0].empty && (await tryLockPredictionWrites(client, modelId)) && (await modelIds(client, modelId)).n === 0;
    if (!directOk) await lockPredictionWritesShared(client, modelId);
    return new ImportSink(client, modelId, transport, directOk, directOk ? null : (options.stagedRowsBeforeDirect ?? DEFAULT_STAGED_ROWS_BEFORE_DIRECT));
  }

  get mode(): 'direct' | 'staged' {
    return this.directOk ? 'direct' : 'staged';
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
      await this.transport.insertNew(fresh);
      this.direct += fresh.length;
    }
    if (again.length > 0) {
      if (!this.stagingOpen) await this.openStaging();
      await this.transport.stage(again, this.seq);
      this.seq += again.length;
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
      CREATE TEMP TABLE caveat_import_stage (
        seq bigint, external_id text, attributes jsonb, text text, predicted text, confidence float8,
        probabilities jsonb, label text, split text, predicted_at timestamptz
      ) ON COMMIT DROP`);
    this.stagingOpen = true;
  }
}

/** Opens the writer for one streamed import, inside the caller's transaction. */
export function openSink(client: PoolClient, modelId: number, kind: DatabaseKind, options: DirectWriteOptions = {}): Promise<PredictionSink> {
  return ImportSink.open(client, modelId, kind, options);
}

/** How many predictions the model holds, and the characters of their ids (what reading them costs). */
async function modelIds(client: PoolClient, modelId: number): Promise<{ n: number; chars: number }> {
  const { rows } = await client.query<{ n: number; chars: number }>(
    `SELECT count(*)::int AS n, coalesce(sum(length(external_id)), 0)::float8 AS chars FROM predictions WHERE model_id = $1`,
    [modelId],
  );
  return rows[0];
}

/** On a PostgreSQL server: COPY text, with the transaction's now() (as text) where the upsert would use now(). */
function copyTransport(client: PoolClient, modelId: number, now: string): Transport {
  const copy = async (sql: string, text: string) => {
    const stream = client.query(copyFrom(sql));
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(text);
    });
  };
  return {
    insertNew(rows) {
      let text = '';
      for (const r of rows) {
        text += `${modelId}\t${tsv(r.externalId)}\t${tsvJson(r.attributes)}\t${tsv(r.text)}\t${tsv(r.predicted)}\t${r.confidence}\t${tsvJson(r.probabilities)}\t${tsv(r.label)}\t${r.split}\t${r.predictedAt === null ? now : tsv(r.predictedAt)}\t${r.label === null ? '\\N' : now}\n`;
      }
      return copy(`COPY predictions (model_id, ${COLUMNS}, labeled_at) FROM STDIN`, text);
    },
    stage(rows, firstSeq) {
      let text = '';
      let seq = firstSeq;
      for (const r of rows) {
        text += `${seq++}\t${tsv(r.externalId)}\t${tsvJson(r.attributes)}\t${tsv(r.text)}\t${tsv(r.predicted)}\t${r.confidence}\t${tsvJson(r.probabilities)}\t${tsv(r.label)}\t${r.split}\t${tsv(r.predictedAt)}\n`;
      }
      return copy(`COPY caveat_import_stage (seq, ${COLUMNS}) FROM STDIN`, text);
    },
  };
}

/** On the embedded database, where COPY through the socket server hangs (../shared/STACK.md): one JSON parameter per chunk. */
function jsonTransport(client: PoolClient, modelId: number): Transport {
  const insertNew = `
    INSERT INTO predictions (model_id, ${COLUMNS}, labeled_at)
    SELECT $1, x.external_id, x.attributes, x.text, x.predicted, x.confidence, x.probabilities, x.label, x.split,
           COALESCE(x.predicted_at, now()), CASE WHEN x.label IS NOT NULL THEN now() END
    FROM ${jsonRecords('$2')}`;
  const stage = `INSERT INTO caveat_import_stage (seq, ${COLUMNS}) SELECT x.seq, ${COLUMNS} FROM ${jsonRecords('$1')}`;
  return {
    async insertNew(rows) {
      await client.query(insertNew, [modelId, jsonRows(rows)]);
    },
    async stage(rows, firstSeq) {
      await client.query(stage, [jsonRows(rows, firstSeq)]);
    },
  };
}

/** COPY text format: NULL is \N; backslash, tab, newline and carriage return are escaped. */
function tsv(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

function tsvJson(v: unknown): string {
  return v === null || v === undefined ? '\\N' : tsv(JSON.stringify(v));
}
