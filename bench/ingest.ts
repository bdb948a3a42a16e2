/**
 * bench/ingest: imports 200k synthetic predictions (NDJSON, with attributes) through the service's
 * own HTTP import path and prints rows/s (median of 3) and the service's peak RSS, for the embedded
 * database and for a PostgreSQL server (PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 *
 *   npm run build:bench && node dist/bench/ingest.js [rows]
 *     BENCH_DB=embedded|postgres for one database; BENCH_SERVICE_NODE_ARGS="--cpu-prof …" to profile the service
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createThrowawayDatabase } from '../src/database/throwaway-database';
import { seededRng } from '../src/core/random/rng';
import { fmt, median, peakRssMiB, startService, stopService } from './bench-util';

const ROWS = Number(process.argv[2] ?? 200_000);
const RUNS = 3;
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MAIN = resolve(__dirname, '../src/main.js');

async function writeData(file: string): Promise<void> {
  const rng = seededRng(42);
  const out = createWriteStream(file);
  const occupations = ['Sales', 'Tech-support', 'Craft-repair', 'Exec-managerial', 'Prof-specialty', 'Other-service'];
  for (let i = 0; i < ROWS; i++) {
    const c = 0.5 + rng.next() / 2;
    const row = {
      externalId: `item-${i}`,
      predicted: rng.next() < 0.7 ? '<=50K' : '>50K',
      confidence: Math.round(c * 1e6) / 1e6,
      label: rng.next() < c ? '<=50K' : '>50K',
      split: rng.next() < 0.5 ? 'validation' : 'test',
      attributes: { age: 17 + rng.int(60), hours: 10 + rng.int(60), occupation: occupations[rng.int(occupations.length)], married: rng.next() < 0.5 },
    };
    if (!out.write(JSON.stringify(row) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}


async function oneRun(kind: 'embedded' | 'postgres', file: string, port: number): Promise<{ rowsPerSec: number; rss: number }> {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (kind === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'caveat-bench-'));
    env = { CAVEAT_DATA_DIR: dir, DATABASE_URL: '' };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const db = await createThrowawayDatabase(PG_URL, 'caveat_bench');
    env = { DATABASE_URL: db.url };
    cleanup = db.drop;
  }
  const child = await startService(MAIN, env, port);
  try {
    const base = `http://127.0.0.1:${port}`;
    const created = await fetch(`${base}/models`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', classes: ['<=50K', '>50K'] }) });
    if (!created.ok) throw new Error(await created.text());
    const t0 = performance.now();
    const res = await fetch(`${base}/models/bench/predictions/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: createReadStream(file) as unknown as ReadableStream,
      duplex: 'half',
    } as Parameters<typeof fetch>[1]);
    const body = (await res.json()) as { rows: number };
    const secs = (performance.now() - t0) / 1000;
    if (!res.ok || body.rows !== ROWS) throw new Error(`import failed: ${JSON.stringify(body)}`);
    return { rowsPerSec: ROWS / secs, rss: peakRssMiB(child.pid!) };
  } finally {
    await stopService(child);
    await cleanup();
  }
}

async function main(): Promise<void> {
  const file = join(tmpdir(), `caveat-ingest-${ROWS}.ndjson`);
  await writeData(file);
  console.log(`bench/ingest: ${fmt(ROWS)} NDJSON predictions with attributes (${fmt(statSync(file).size / 2 ** 20, 1)} MiB), ${RUNS} runs each, through POST /models/:name/predictions/import`);
  const kinds = (['embedded', 'postgres'] as const).filter((k) => !process.env.BENCH_DB || process.env.BENCH_DB === k);
  for (const kind of kinds) {
    const runs: Array<{ rowsPerSec: number; rss: number }> = [];
    for (let i = 0; i < RUNS; i++) runs.push(await oneRun(kind, file, 3900 + i));
    console.log(
      `${kind.padEnd(9)} median ${fmt(median(runs.map((r) => r.rowsPerSec)))} rows/s  (runs: ${runs.map((r) => fmt(r.rowsPerSec)).join(', ')})  ` +
        `service peak RSS median ${fmt(median(runs.map((r) => r.rss)))} MiB`,
    );
  }
  rmSync(file, { force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
