import { Inject, Injectable } from '@nestjs/common';
import { CAVEAT_CONFIG, type CaveatConfig } from '../config/config';
import { CaveatError, invalid } from '../core/errors';
import { unstorableReason } from '../core/storable-text';
import { validatePredictionRow, type PredictionRow, type Split } from '../core/predictions/prediction-row';
import { readRecords, type RecordFormat } from '../core/predictions/record-reader';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { openSink } from './import-sink';
import { writeBatch } from './prediction-writer';

export interface ImportOptions {
  defaultSplit: Split;
  /** `abort` (default): the first bad row rejects the whole import. `skip`: bad rows are counted and reported. */
  onInvalid: 'abort' | 'skip';
  onProgress?: (p: { bytes: number; rows: number }) => void;
}

export interface RejectedRow {
  row: number;
  line?: number;
  code: string;
  field?: string;
  message: string;
}

export interface ImportSummary {
  rows: number;
  inserted: number;
  updated: number;
  rejected: number;
  /** The first 100 rejected rows (only with onInvalid = skip). */
  rejects: RejectedRow[];
  seconds: number;
  rowsPerSecond: number;
}

export interface LabelUpdate {
  externalId: string;
  label: string | null;
}

const MAX_REPORTED_REJECTS = 100;

@Injectable()
export class PredictionsService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
    @Inject(CAVEAT_CONFIG) private readonly config: CaveatConfig,
  ) {}

  /** Creates or updates a batch atomically: one bad row rejects the batch and nothing is written. */
  async upsertBatch(modelName: string, items: unknown, defaultSplit: Split, field = 'predictions'): Promise<ImportSummary> {
    if (!Array.isArray(items)) throw invalid(field, 'must be an array of predictions');
    if (items.length === 0) throw invalid(field, 'must hold at least one prediction');
    const model = await this.models.load(modelName);
    const classes = new Set(model.entity.classes);
    const rows = items.map((raw, i) => validatePredictionRow(raw, { classes, defaultSplit, path: `${field}[${i}]`, row: i + 1 }));
    const t0 = performance.now();
    const counts = await this.db.transaction((_runner, client) => writeBatch(client, model.entity.id, rows));
    return summary(rows.length, counts.inserted, counts.updated, [], 0, t0);
  }

  /**
   * Streams NDJSON or CSV records into one transaction in chunks (import-sink.ts), so a body
   * of any size is never held in memory and a failed import leaves nothing behind.
   */
  async importStream(modelName: string, body: AsyncIterable<Uint8Array | string>, format: RecordFormat, options: ImportOptions): Promise<ImportSummary> {
    const model = await this.models.load(modelName);
    const classes = new Set(model.entity.classes);
    const t0 = performance.now();
    const rejects: RejectedRow[] = [];
    let rejected = 0;
    let rows = 0;
    let bytes = 0;
    const counts = await this.db.transaction(async (_runner, client) => {
      const sink = await openSink(this.db, client, model.entity.id);
      // One chunk is written while the next is parsed; at most one write is in flight.
      let inFlight: Promise<void> = Promise.resolve();
      const flush = async (chunk: PredictionRow[]) => {
        await inFlight;
        inFlight = sink.add(chunk);
        inFlight.catch(() => undefined); // observed by the next await; avoids an unhandled rejection meanwhile
      };
      let chunk: PredictionRow[] = [];
      const records = readRecords(body, format, {
        maxBytes: this.config.importBodyLimit,
        onBytes: (b) => {
          bytes = b;
        },
      });
      try {
        for await (const rec of records) {
          try {
            chunk.push(validatePredictionRow(rec.value, { classes, defaultSplit: options.defaultSplit, path: `rows[${rec.row}]`, row: rec.row }));
            rows++;
          } catch (e) {
            if (options.onInvalid !== 'skip' || !(e instanceof CaveatError)) throw withLine(e, rec.line);
            rejected++;
            if (rejects.length < MAX_REPORTED_REJECTS) {
              rejects.push({ row: rec.row, line: rec.line, code: e.code, field: e.details.field, message: e.message });
            }
          }
          if (chunk.length >= this.config.importChunkRows) {
            await flush(chunk);
            chunk = [];
            options.onProgress?.({ bytes, rows });
          }
        }
      } catch (e) {
        // A write may still be in flight, its statements queued one by one on this connection
        // (on the embedded database a COPY runs in-process, Database.copyIn): the rollback must
        // come after it, or a statement behind the rollback would run outside the transaction.
        // If that write failed too, its database error is the one reported: the import failed
        // on the server's side whatever the rows held.
        const writeError = await inFlight.then(
          () => undefined,
          (w: unknown) => w,
        );
        throw writeError ?? e;
      }
      await flush(chunk);
      await inFlight;
      options.onProgress?.({ bytes, rows });
      return sink.finish();
    });
    return summary(rows, counts.inserted, counts.updated, rejects, rejected, t0);
  }

  /** Sets labels by external id, atomically: an unknown id or class rejects the whole update. */
  async updateLabels(modelName: string, labels: unknown): Promise<{ updated: number }> {
    if (!Array.isArray(labels) || labels.length === 0) throw invalid('labels', 'must be a non-empty array of {externalId, label}');
    const model = await this.models.load(modelName);
    const classes = new Set(model.entity.classes);
    const updates = new Map<string, LabelUpdate>();
    labels.forEach((raw, i) => {
      const path = `labels[${i}]`;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(path, 'must be an object {externalId, label}', { row: i + 1 });
      const { externalId, label, ...rest } = raw as Record<string, unknown>;
      const extra = Object.keys(rest)[0];
      if (extra !== undefined) throw invalid(`${path}.${extra}`, 'is not a known field', { row: i + 1 });
      const id = typeof externalId === 'number' ? String(externalId) : externalId;
      if (typeof id !== 'string' || id === '') throw invalid(`${path}.externalId`, 'must be a non-empty string', { row: i + 1 });
      const idProblem = unstorableReason(id);
      if (idProblem !== null) throw invalid(`${path}.externalId`, idProblem, { row: i + 1 });
      if (label !== null && typeof label !== 'string') throw invalid(`${path}.label`, 'must be a string (or null to clear it)', { row: i + 1 });
      if (typeof label === 'string' && !classes.has(label)) {
        throw new CaveatError('unknown_class', `${path}.label: '${label}' is not one of the model's classes`, { field: `${path}.label`, row: i + 1, value: label });
      }
      updates.set(id, { externalId: id, label: label as string | null });
    });
    const payload = JSON.stringify(Array.from(updates.values(), (u) => ({ external_id: u.externalId, label: u.label })));
    return this.db.transaction(async (_runner, client) => {
      const { rows } = await client.query<{ external_id: string }>(
        `UPDATE predictions p
            SET label = x.label, labeled_at = CASE WHEN x.label IS NULL THEN NULL ELSE now() END, updated_at = now()
           FROM jsonb_to_recordset($2::jsonb) AS x(external_id text, label text)
          WHERE p.model_id = $1 AND p.external_id = x.external_id
      RETURNING p.external_id`,
        [model.entity.id, payload],
      );
      if (rows.length !== updates.size) {
        const found = new Set(rows.map((r) => r.external_id));
        const missing = [...updates.keys()].filter((id) => !found.has(id));
        throw new CaveatError('unprocessable', `${missing.length} external id(s) have no prediction in model '${modelName}', e.g. '${missing[0]}'; nothing was updated`, {
          field: 'labels',
          unknownExternalIds: missing.slice(0, 20),
        });
      }
      return { updated: rows.length };
    });
  }

  async get(modelName: string, externalId: string) {
    const model = await this.models.load(modelName);
    const rows = await this.db.dataSource.query(`${SELECT_VIEW} WHERE model_id = $1 AND external_id = $2`, [model.entity.id, externalId]);
    if (rows.length === 0) throw new CaveatError('not_found', `no prediction '${externalId}' in model '${modelName}'`, { field: 'externalId' });
    return rows[0];
  }

  /** A page of predictions in external-id order (keyset pagination: pass the last id as `after`). */
  async list(modelName: string, split: Split | undefined, limit: number, after: string | undefined) {
    const model = await this.models.load(modelName);
    const params: unknown[] = [model.entity.id, limit];
    let where = 'WHERE model_id = $1';
    if (split) where += ` AND split = $${params.push(split)}`;
    if (after !== undefined) where += ` AND external_id > $${params.push(after)}`;
    const items = await this.db.dataSource.query(`${SELECT_VIEW} ${where} ORDER BY external_id LIMIT $2`, params);
    return { items, next: items.length === limit ? items[items.length - 1].externalId : null };
  }

  /** Counts, labelled counts and accuracy per split. */
  async summary(modelName: string) {
    const model = await this.models.load(modelName);
    const rows = await this.db.dataSource.query(
      `SELECT split, count(*)::int AS count, count(label)::int AS labeled,
              count(*) FILTER (WHERE label = predicted)::int AS correct, avg(confidence) AS "meanConfidence"
         FROM predictions WHERE model_id = $1 GROUP BY split ORDER BY split`,
      [model.entity.id],
    );
    return {
      model: modelName,
      splits: rows.map((r: { split: string; count: number; labeled: number; correct: number; meanConfidence: number }) => ({
        ...r,
        accuracy: r.labeled > 0 ? r.correct / r.labeled : null,
      })),
    };
  }
}

const SELECT_VIEW = `SELECT external_id AS "externalId", predicted, confidence, probabilities, label, split,
  predicted_at AS "predictedAt", labeled_at AS "labeledAt", attributes, text FROM predictions`;

function withLine(e: unknown, line: number): unknown {
  if (e instanceof CaveatError && e.details.line === undefined) e.details.line = line;
  return e;
}

function summary(rows: number, inserted: number, updated: number, rejects: RejectedRow[], rejected: number, t0: number): ImportSummary {
  const seconds = (performance.now() - t0) / 1000;
  return { rows, inserted, updated, rejected, rejects, seconds, rowsPerSecond: seconds > 0 ? rows / seconds : rows };
}
