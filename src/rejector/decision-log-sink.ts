import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../database/database';
import type { DecisionRecord, DecisionSink } from './decision-log';

const COLUMNS = [
  'id',
  'decided_at',
  'model_id',
  'policy_version',
  'rule_set_version',
  'calibrator_version',
  'item_id',
  'confidence',
  'calibrated_confidence',
  'predicted',
  'decision',
  'reason_code',
  'threshold',
  'matched_rules',
  'unresolved_concepts',
  'shadow_version',
  'shadow_decision',
  'shadow_threshold',
  'shadow_matched_rules',
].join(', ');

// One multi-row INSERT from one array parameter per column (unnest): measured on the embedded
// database at ~18 µs of CPU per row in batches of 1,000, against ~30 µs for jsonb_to_recordset.
// Text-array columns travel as array literals ('{"r1","r2"}'), cast per row. The statement is
// unnamed: the embedded socket server runs every connection on one session, so a named prepared
// statement collides ("already exists") on the second connection.
const UNNEST_INSERT = `
  INSERT INTO decisions (${COLUMNS})
  SELECT id, to_timestamp(t / 1000.0), m, pv, rv, cv, item, c, cc, p, d, rc, th, mr::text[], uc::text[], sv, sd, st, smr::text[]
    FROM unnest($1::uuid[], $2::float8[], $3::int[], $4::int[], $5::int[], $6::int[], $7::text[], $8::float8[], $9::float8[], $10::text[],
                $11::text[], $12::text[], $13::float8[], $14::text[], $15::text[], $16::int[], $17::text[], $18::float8[], $19::text[])
      AS x(id, t, m, pv, rv, cv, item, c, cc, p, d, rc, th, mr, uc, sv, sd, st, smr)`;

/**
 * Writes a batch of decisions: COPY on a PostgreSQL server (the fastest way in), one multi-row
 * INSERT from column arrays on the embedded database, where COPY through the socket server hangs
 * every later connection (../shared/STACK.md).
 */
export class DatabaseDecisionSink implements DecisionSink {
  constructor(private readonly db: Database) {}

  async write(records: readonly DecisionRecord[]): Promise<void> {
    if (this.db.kind === 'postgres') {
      const runner = this.db.dataSource.createQueryRunner();
      try {
        await copyRecords((await runner.connect()) as PoolClient, records);
      } finally {
        await runner.release();
      }
      return;
    }
    // In a transaction: the embedded socket server queues protocol messages, not queries, and
    // only a transaction keeps another connection's messages from running between this insert's
    // Parse and Bind (measured: "bind message supplies 19 parameters, but prepared statement ""
    // requires 1" under load without it).
    await this.db.transaction((_runner, client) => client.query(UNNEST_INSERT, columnsOf(records)));
  }
}

/** The records as one array per column, in COLUMNS order. */
function columnsOf(records: readonly DecisionRecord[]): unknown[][] {
  const n = records.length;
  const cols = Array.from({ length: 19 }, () => new Array<unknown>(n));
  for (let i = 0; i < n; i++) {
    const r = records[i];
    cols[0][i] = r.id;
    cols[1][i] = r.decidedAt;
    cols[2][i] = r.modelId;
    cols[3][i] = r.policyVersion;
    cols[4][i] = r.ruleSetVersion;
    cols[5][i] = r.calibratorVersion;
    cols[6][i] = r.itemId;
    cols[7][i] = r.confidence;
    cols[8][i] = r.calibratedConfidence;
    cols[9][i] = r.predicted;
    cols[10][i] = r.decision;
    cols[11][i] = r.reasonCode;
    cols[12][i] = r.threshold;
    cols[13][i] = arrayLiteral(r.matchedRules);
    cols[14][i] = arrayLiteral(r.unresolvedConcepts);
    cols[15][i] = r.shadowVersion;
    cols[16][i] = r.shadowDecision;
    cols[17][i] = r.shadowThreshold;
    cols[18][i] = arrayLiteral(r.shadowMatchedRules);
  }
  return cols;
}

async function copyRecords(client: PoolClient, records: readonly DecisionRecord[]): Promise<void> {
  let text = '';
  let lastMs = Number.NaN;
  let lastIso = '';
  for (const r of records) {
    // Decisions of one batch share few distinct milliseconds: format each once.
    if (r.decidedAt !== lastMs) {
      lastMs = r.decidedAt;
      lastIso = new Date(lastMs).toISOString();
    }
    text +=
      `${r.id}\t${lastIso}\t${r.modelId}\t${num(r.policyVersion)}\t${num(r.ruleSetVersion)}\t${num(r.calibratorVersion)}\t${str(r.itemId)}\t` +
      `${r.confidence}\t${num(r.calibratedConfidence)}\t${str(r.predicted)}\t${r.decision}\t${r.reasonCode}\t${num(r.threshold)}\t` +
      `${arr(r.matchedRules)}\t${arr(r.unresolvedConcepts)}\t${num(r.shadowVersion)}\t${r.shadowDecision ?? '\\N'}\t${num(r.shadowThreshold)}\t${arr(r.shadowMatchedRules)}\n`;
  }
  const stream = client.query(copyFrom(`COPY decisions (${COLUMNS}) FROM STDIN`));
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(text);
  });
}

const num = (v: number | null): string => (v === null ? '\\N' : String(v));

/** COPY text format: NULL is \N; backslash, tab, newline and carriage return are escaped. */
function str(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

/** A text[] literal for COPY. */
const arr = (v: readonly string[] | null): string => (v === null ? '\\N' : str(arrayLiteral(v)));

/** A text[] literal: {"a","b"}, each element quoted with \ and " escaped. */
function arrayLiteral(v: readonly string[]): string;
function arrayLiteral(v: readonly string[] | null): string | null;
function arrayLiteral(v: readonly string[] | null): string | null {
  if (v === null) return null;
  if (v.length === 0) return '{}';
  let s = '{';
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    s += (i ? ',"' : '"') + (/[\\"]/.test(e) ? e.replace(/[\\"]/g, '\\$&') : e) + '"';
  }
  return s + '}';
}
