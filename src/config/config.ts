import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_DECISION_LOG_OPTIONS as LOG } from '../rejector/decision-log';

/** Typed configuration, read once from the environment and validated at start-up. */
export interface CaveatConfig {
  /** HTTP port (PORT, default 3000). */
  port: number;
  /** Interface to bind (HOST, default 127.0.0.1). */
  host: string;
  /** Embedded database directory (CAVEAT_DATA_DIR, default ./.caveat), absolute. */
  dataDir: string;
  /** PostgreSQL server URL (DATABASE_URL); when set, the embedded database is not used. */
  databaseUrl?: string;
  /** Largest JSON body in bytes (CAVEAT_JSON_LIMIT, default 16 MiB). */
  jsonBodyLimit: number;
  /** Largest streamed NDJSON/CSV import body in bytes (CAVEAT_IMPORT_LIMIT, default 2 GiB). */
  importBodyLimit: number;
  /** Rows per COPY during streamed imports (CAVEAT_IMPORT_CHUNK, default 5000). */
  importChunkRows: number;
  /**
   * Service processes sharing the port (CAVEAT_WORKERS, default 1; `auto` = one per core). More
   * than one needs DATABASE_URL: the embedded database lives inside one process.
   */
  workers: number;
  /** Log HTTP requests (CAVEAT_LOG_REQUESTS=1). */
  logRequests: boolean;
  /** How often an in-use model's rejector checks for changes, in ms (CAVEAT_REJECTOR_REFRESH_MS, default 1000). */
  rejectorRefreshMs: number;
  /** The decision log (issue 6): see src/rejector/decision-log.ts for what each does. */
  decisionLog: {
    /** Most decisions held in memory (CAVEAT_DECISION_LOG_CAPACITY, default 200,000). */
    capacity: number;
    /** Decisions per database write (CAVEAT_DECISION_LOG_BATCH, default 5,000). */
    batchSize: number;
    /** Longest wait before a partial batch is written, in ms (CAVEAT_DECISION_LOG_FLUSH_MS, default 100). */
    flushIntervalMs: number;
    /** How long a request waits for room in a full log before its decisions are dropped and counted, in ms (CAVEAT_DECISION_LOG_WAIT_MS, default 5,000). */
    maxWaitMs: number;
  };
}

export const CAVEAT_CONFIG = Symbol('CAVEAT_CONFIG');

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got '${raw}'`);
  }
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CaveatConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got '${databaseUrl.replace(/:[^:@/]*@/, ':***@')}'`);
  }
  const dataDirRaw = env.CAVEAT_DATA_DIR?.trim() || './.caveat';
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: isAbsolute(dataDirRaw) ? dataDirRaw : resolve(process.cwd(), dataDirRaw),
    databaseUrl,
    jsonBodyLimit: int(env, 'CAVEAT_JSON_LIMIT', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    importBodyLimit: int(env, 'CAVEAT_IMPORT_LIMIT', 2 * 1024 * 1024 * 1024, 1024, Number.MAX_SAFE_INTEGER),
    importChunkRows: int(env, 'CAVEAT_IMPORT_CHUNK', 5000, 1, 100000),
    workers: workersOf(env, databaseUrl),
    logRequests: env.CAVEAT_LOG_REQUESTS === '1',
    rejectorRefreshMs: int(env, 'CAVEAT_REJECTOR_REFRESH_MS', 1000, 50, 3_600_000),
    decisionLog: {
      capacity: int(env, 'CAVEAT_DECISION_LOG_CAPACITY', LOG.capacity, 1, 100_000_000),
      batchSize: int(env, 'CAVEAT_DECISION_LOG_BATCH', LOG.batchSize, 1, 100_000),
      flushIntervalMs: int(env, 'CAVEAT_DECISION_LOG_FLUSH_MS', LOG.flushIntervalMs, 1, 60_000),
      maxWaitMs: int(env, 'CAVEAT_DECISION_LOG_WAIT_MS', LOG.maxWaitMs, 0, 600_000),
    },
  };
}

/** Most service processes: beyond the cores they only add connections and memory. */
export const MAX_WORKERS = 64;

function workersOf(env: NodeJS.ProcessEnv, databaseUrl: string | undefined): number {
  const auto = env.CAVEAT_WORKERS?.trim() === 'auto';
  const workers = auto ? Math.min(availableParallelism(), MAX_WORKERS) : int(env, 'CAVEAT_WORKERS', 1, 1, MAX_WORKERS);
  if (workers > 1 && databaseUrl === undefined) {
    if (auto) return 1; // `auto` on the embedded database: the one process it can be
    throw new ConfigError(`CAVEAT_WORKERS=${workers} needs DATABASE_URL: the embedded database lives inside one process`);
  }
  return workers;
}
