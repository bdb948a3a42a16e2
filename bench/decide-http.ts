/**
 * bench/decide-http: issue 6's HTTP targets with 200 rules over 100 concepts and the decision log
 * on: single decisions ≥ 10,000/s and batch decisions ≥ 100,000 items/s, on this 2-core machine
 * with the load generator (autocannon, in this process) beside the service (a child process,
 * `node dist/src/main.js`, on 127.0.0.1).
 *
 *   npm run build:bench && node dist/bench/decide-http.js
 *     BENCH_SECONDS=5 per run, BENCH_RUNS=3 runs per scenario (medians printed), BENCH_DB=embedded|postgres for one database,
 *     BENCH_ONLY=baseline|single|batch for one scenario (with BENCH_SERVICE_NODE_ARGS="--cpu-prof …" to profile it),
 *     BENCH_WORKERS=1,2 the CAVEAT_WORKERS values measured on PostgreSQL (the embedded database runs in one process)
 *
 * For each database (a fresh embedded data directory; a throwaway database on PG_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres, skipped when unreachable) it creates a model, 100
 * caller concepts and a 200-rule set through the API, activates it, then measures, after a 2 s
 * warm-up each (figures: medians over the runs):
 * - baseline: GET /models/:name/rejector (the same stack, answered from memory: no decision, no log);
 * - single: POST /decide, 64 distinct bodies (100 concept flags, attributes, an item id) cycled;
 * - batch: POST /decide/batch with 1,000 items per request.
 * Figures: requests/s (autocannon's mean), items/s, p50/p99 latency, non-2xx answers, the
 * decision-log counters after a flush (written, dropped, appends that waited for room), and the
 * CPU time per item over the measured runs (from /proc): the service with its workers, every
 * PostgreSQL server process on the machine (the embedded database is inside the service), and
 * this process, the load generator. CPU per item is steadier than items/s when the machine's
 * speed drifts, and shows which side a change saved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createThrowawayDatabase } from '../src/database/throwaway-database';
import { seededRng, type Rng } from '../src/core/random/rng';
import { fmt, median, peakRssMiB, rootPidsNamed, startService, stopService, treeCpuSeconds } from './bench-util';
import { CONCEPTS, OCCUPATIONS, concept, randomRule } from './random-rules';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  duration: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no types; only the fields read here are declared.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WARMUP_SECONDS = 2;
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MAIN = resolve(__dirname, '../src/main.js');
const RULES = 200;
const BATCH = 1000;

function randomItem(rng: Rng, i: number) {
  const concepts: Record<string, boolean> = {};
  for (let k = 0; k < CONCEPTS; k++) concepts[concept(k)] = rng.next() < 0.03;
  return {
    confidence: Math.round((0.5 + rng.next() / 2) * 1e4) / 1e4,
    predicted: rng.next() < 0.7 ? 'yes' : 'no',
    concepts,
    attributes: { age: 17 + rng.int(60), occupation: OCCUPATIONS[rng.int(7)] },
    itemId: `item-${i}`,
  };
}

async function api<T = unknown>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(base + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}


/** CPU seconds used so far by the service (with its workers), the PostgreSQL server and this process (the load generator). */
interface CpuSnapshot {
  service: number;
  database: number;
  load: number;
}

function cpuSnapshot(service: number): CpuSnapshot {
  const own = process.cpuUsage();
  const database = rootPidsNamed('postgres').reduce((sum, postmaster) => sum + treeCpuSeconds(postmaster), 0);
  return { service: treeCpuSeconds(service), database, load: (own.user + own.system) / 1e6 };
}

/** A warm-up, then RUNS measured runs; the figures are the medians over the runs, CPU the total over them. */
async function load(opts: Record<string, unknown>, service: number): Promise<{ rps: number; p50: number; p99: number; bad: number; requests: number; cpu: CpuSnapshot }> {
  await autocannon({ ...opts, duration: WARMUP_SECONDS });
  const runs: AutocannonResult[] = [];
  const before = cpuSnapshot(service);
  for (let i = 0; i < RUNS; i++) runs.push(await autocannon({ ...opts, duration: SECONDS }));
  const after = cpuSnapshot(service);
  return {
    rps: median(runs.map((r) => r.requests.average)),
    p50: median(runs.map((r) => r.latency.p50)),
    p99: median(runs.map((r) => r.latency.p99)),
    bad: runs.reduce((s, r) => s + r.non2xx + r.errors, 0),
    requests: runs.reduce((s, r) => s + r.requests.total, 0),
    cpu: { service: after.service - before.service, database: after.database - before.database, load: after.load - before.load },
  };
}

interface LogStats {
  written: number;
  dropped: number;
  droppedFull: number;
  droppedWriteFailed: number;
  waited: number;
  buffered: number;
  lastError: string | null;
}

async function logStats(base: string): Promise<LogStats> {
  return (await api<{ log: LogStats }>(base, 'GET', '/models/bench/decisions/stats')).log;
}

async function scenario(name: string, base: string, service: number, opts: Record<string, unknown>, itemsPerRequest: number): Promise<void> {
  const before = await logStats(base);
  const r = await load({ url: base, ...opts }, service);
  // The summary flushes the log, so the counters below include every decision made.
  await api(base, 'GET', '/models/bench/decisions/summary');
  const after = await logStats(base);
  const line = [
    name.padEnd(34),
    `${fmt(r.rps).padStart(7)} req/s`,
    `${fmt(r.rps * itemsPerRequest).padStart(9)} items/s`,
    `p50 ${fmt(r.p50, 1).padStart(6)} ms`,
    `p99 ${fmt(r.p99, 1).padStart(6)} ms`,
    `non-2xx ${r.bad}`,
  ];
  if (itemsPerRequest > 0) line.push(`log: +${fmt(after.written - before.written)} written, ${after.dropped - before.dropped} dropped, ${after.waited - before.waited} waits`);
  console.log('  ' + line.join('  '));
  // CPU per item (per request for the baseline), in µs: where the machine's two cores go.
  const per = 1e6 / (r.requests * Math.max(1, itemsPerRequest));
  const cpu = r.cpu;
  console.log(
    `    CPU per ${itemsPerRequest > 0 ? 'item' : 'request'}: service ${fmt(cpu.service * per, 1)} µs, PostgreSQL ${fmt(cpu.database * per, 1)} µs, ` +
      `load generator ${fmt(cpu.load * per, 1)} µs; total ${fmt((cpu.service + cpu.database + cpu.load) * per, 1)} µs`,
  );
  if (after.dropped > before.dropped) {
    console.log(`    dropped: ${after.droppedFull - before.droppedFull} found no room in time, ${after.droppedWriteFailed - before.droppedWriteFailed} failed to write; last error: ${after.lastError}`);
  }
}

async function run(kind: 'embedded' | 'postgres', port: number, workers = 1): Promise<void> {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (kind === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'caveat-bench-decide-'));
    env = { CAVEAT_DATA_DIR: dir, DATABASE_URL: '' };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    let db: Awaited<ReturnType<typeof createThrowawayDatabase>>;
    try {
      db = await createThrowawayDatabase(PG_URL, 'caveat_bench_decide');
    } catch (e) {
      console.log(`postgres: skipped (${PG_URL} unreachable: ${(e as Error).message})`);
      return;
    }
    env = { DATABASE_URL: db.url, CAVEAT_WORKERS: String(workers) };
    cleanup = db.drop;
  }
  const child = await startService(MAIN, env, port);
  try {
    const base = `http://127.0.0.1:${port}`;
    const rng = seededRng(6);
    await api(base, 'POST', '/models', { name: 'bench', classes: ['yes', 'no'] });
    for (let k = 0; k < CONCEPTS; k++) await api(base, 'POST', '/models/bench/concepts', { name: concept(k), kind: 'caller' });
    const draft = await api<{ version: number }>(base, 'POST', '/models/bench/rule-sets', { source: 'expert', rules: Array.from({ length: RULES }, (_, i) => randomRule(i, rng, true)) });
    await api(base, 'POST', `/models/bench/rule-sets/${draft.version}/activate`);
    const state = await api<{ rules: number; failure: string | null }>(base, 'GET', '/models/bench/rejector');
    if (state.rules !== RULES || state.failure !== null) throw new Error(`rejector not ready: ${JSON.stringify(state)}`);

    const json = { 'content-type': 'application/json' };
    const singles = Array.from({ length: 64 }, (_, i) => ({ method: 'POST', path: '/models/bench/decide', headers: json, body: JSON.stringify(randomItem(rng, i)) }));
    const batches = Array.from({ length: 4 }, (_, b) => ({
      method: 'POST',
      path: '/models/bench/decide/batch',
      headers: json,
      body: JSON.stringify({ items: Array.from({ length: BATCH }, (_, i) => randomItem(rng, b * BATCH + i)) }),
    }));
    const sample = await api<{ decision: string; matchedRules: unknown[] }>(base, 'POST', '/models/bench/decide', JSON.parse(singles[0].body));
    const processes = workers > 1 ? `, ${workers} worker processes` : '';
    console.log(`${kind}${processes}: rule set v${draft.version} active (${RULES} rules over ${CONCEPTS} concepts); a sample answer: ${sample.decision}, ${sample.matchedRules.length} matched rule(s), ${singles[0].body.length} B request`);
    const only = process.env.BENCH_ONLY;
    if (!only || only === 'baseline') await scenario('baseline GET /rejector (no decision)', base, child.pid!, { connections: 32, requests: [{ method: 'GET', path: '/models/bench/rejector' }] }, 0);
    if (!only || only === 'single') await scenario('single POST /decide', base, child.pid!, { connections: 32, requests: singles }, 1);
    if (!only || only === 'batch') await scenario(`batch POST /decide/batch (${fmt(BATCH)})`, base, child.pid!, { connections: 4, requests: batches }, BATCH);
    console.log(`  service peak RSS ${fmt(peakRssMiB(child.pid!))} MiB`);
  } finally {
    await stopService(child);
    await cleanup();
  }
}

async function main(): Promise<void> {
  console.log(`bench/decide-http: median of ${RUNS} runs of ${SECONDS} s per scenario after a ${WARMUP_SECONDS} s warm-up; ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; decision log on`);
  const only = process.env.BENCH_DB;
  if (only !== 'postgres') await run('embedded', 3960);
  const workers = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
  if (workers.some((w) => !Number.isInteger(w) || w < 1)) throw new Error(`BENCH_WORKERS must list positive integers, got '${process.env.BENCH_WORKERS}'`);
  if (only !== 'embedded') for (const w of workers) await run('postgres', 3961, w);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
