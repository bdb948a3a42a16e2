/**
 * bench/ingest: imports 200k synthetic predictions (NDJSON, with attributes) through the service's
 * own HTTP import path and prints rows/s (median of 3) and the service's peak RSS, for the embedded
 * database and for a PostgreSQL server (PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Each run imports twice into one model: first into the empty model (the bulk load: every row
 * goes straight into predictions), then 200k new ids into the model now holding rows (the first
 * 20,000 rows staged, then the model's ids read once and the rest straight in; import-sink.ts).
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

async function writeData(file: string, firstId: number): Promise<void> {
  const rng = seededRng(42 + firstId);
  const out = createWriteStream(file);
  const occupations = ['Sales', 'Tech-support', 'Craft-repair', 'Exec-managerial', 'Prof-specialty', 'Other-service'];
  for (let i = 0; i < ROWS; i++) {
    const c = 0.5 + rng.next() / 2;
    const row = {
      externalId: `item-${firstId + i}`,
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


interface Run {
  first: number;
  append: number;
  rss: number;
}

async function importFile(base: string, file: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}/models/bench/predictions/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: createReadStream(file) as unknown as ReadableStream,
    duplex: 'half',
  } as Parameters<typeof fetch>[1]);
  const body = (await res.json()) as { rows: number; inserted: number };
  const secs = (performance.now() - t0) / 1000;
  if (!res.ok || body.rows !== ROWS || body.inserted !== ROWS) throw new Error(`import failed: ${JSON.stringify(body)}`);
  return ROWS / secs;
}

async function oneRun(kind: 'embedded' | 'postgres', files: [string, string], port: number): Promise<Run> {
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
    const first = await importFile(base, files[0]);
    const append = await importFile(base, files[1]);
    return { first, append, rss: peakRssMiB(child.pid!) };
  } finally {
    await stopService(child);
    await cleanup();
  }
}

async function main(): Promise<void> {
  const files: [string, string] = [join(tmpdir(), `caveat-ingest-${ROWS}-a.ndjson`), join(tmpdir(), `caveat-ingest-${ROWS}-b.ndjson`)];
  await writeData(files[0], 0);
  await writeData(files[1], ROWS);
  console.log(
    `bench/ingest: ${fmt(ROWS)} NDJSON predictions with attributes (${fmt(statSync(files[0]).size / 2 ** 20, 1)} MiB), ${RUNS} runs each, ` +
      `through POST /models/:name/predictions/import: into an empty model, then ${fmt(ROWS)} new ids into the same model`,
  );
  const kinds = (['embedded', 'postgres'] as const).filter((k) => !process.env.BENCH_DB || process.env.BENCH_DB === k);
  for (const kind of kinds) {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await oneRun(kind, files, 3900 + i));
    const show = (key: 'first' | 'append') => `${fmt(median(runs.map((r) => r[key])))} rows/s (runs: ${runs.map((r) => fmt(r[key])).join(', ')})`;
    console.log(`${kind.padEnd(9)} empty model: median ${show('first')}`);
    console.log(`${''.padEnd(9)} model with rows: median ${show('append')}`);
    console.log(`${''.padEnd(9)} service peak RSS median ${fmt(median(runs.map((r) => r.rss)))} MiB`);
  }
  for (const f of files) rmSync(f, { force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
