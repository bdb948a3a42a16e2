import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CaveatConfig } from '../config/config';
import { EmbeddedPostgres } from './embedded-postgres';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type DatabaseKind = 'embedded' | 'postgres';

/**
 * The one database handle of a process: a TypeORM DataSource on either the embedded
 * PGlite (default) or a PostgreSQL server (DATABASE_URL), with migrations applied.
 */
export class Database {
  private constructor(
    readonly dataSource: DataSource,
    readonly kind: DatabaseKind,
    private readonly embedded?: EmbeddedPostgres,
  ) {}

  static async open(config: Pick<CaveatConfig, 'dataDir' | 'databaseUrl'>, options: { migrate?: boolean } = {}): Promise<Database> {
    let embedded: EmbeddedPostgres | undefined;
    let connection: Partial<DataSourceOptions>;
    if (config.databaseUrl) {
      connection = { url: config.databaseUrl, extra: { max: 10 } };
    } else {
      embedded = await EmbeddedPostgres.start(config.dataDir);
      connection = {
        host: embedded.socketDir,
        port: 5432,
        username: 'postgres',
        database: 'postgres',
        // One connection. PGlite is a single backend session, and its socket server interleaves the
        // protocol messages of different connections outside a transaction: two parameterized
        // queries at once can bind to each other's statement ("bind message supplies 19 parameters,
        // but prepared statement requires 1"). One pooled connection serializes them in the client;
        // PGlite executes one query at a time anyway, so nothing is lost. A consequence: code must
        // not issue a query outside its transaction while holding it (it would wait forever).
        extra: { max: 1 },
      };
    }
    const dataSource = new DataSource({
      type: 'postgres',
      ...connection,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      migrationsTableName: 'caveat_migrations',
      synchronize: false,
      // Expected failures (a taken name → 409) are not log-worthy; unexpected ones reach the error filter, which logs 5xx.
      logging: false,
    } as DataSourceOptions);
    try {
      await dataSource.initialize();
      if (options.migrate !== false) await dataSource.runMigrations({ transaction: 'each' });
    } catch (e) {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
      throw e;
    }
    return new Database(dataSource, config.databaseUrl ? 'postgres' : 'embedded', embedded);
  }

  /** Runs `work` in one transaction on a dedicated connection, exposing the raw `pg` client for COPY. */
  async transaction<T>(work: (runner: QueryRunner, client: PoolClient) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    await runner.startTransaction();
    try {
      const result = await work(runner, client);
      await runner.commitTransaction();
      return result;
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
    }
  }

  /** Runs `work` on a dedicated connection without a transaction: each statement commits by itself. */
  async withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work((await runner.connect()) as PoolClient);
    } finally {
      await runner.release();
    }
  }

  /**
   * Bulk-loads `data` into `target` ("table (col, …)") on the connection `client` (from
   * `transaction` or `withClient`), with no other query of `client` in flight. A string is COPY's
   * text format (tab-separated, \N for NULL, one row per line); a Buffer is its binary format
   * (copy-binary.ts). COPY FROM STDIN on a server; on the embedded database, COPY from PGlite's
   * blob device in-process (~10 µs of CPU per decision-log row against ~30 µs for the multi-row
   * INSERT through the socket it replaced). `in-transaction` (the default) checks there that a
   * transaction is open, as the COPY joins it.
   */
  async copyIn(client: PoolClient, target: string, data: string | Buffer, mode: 'in-transaction' | 'autocommit' = 'in-transaction'): Promise<void> {
    if (this.embedded) return this.embedded.copyFrom(target, data, mode === 'in-transaction');
    const stream = client.query(copyFrom(`COPY ${target} FROM STDIN${typeof data === 'string' ? '' : ' WITH (FORMAT binary)'}`));
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(data);
    });
  }

  /** Round-trip latency of a trivial query, for /health. */
  async ping(): Promise<number> {
    const t0 = performance.now();
    await this.dataSource.query('SELECT 1');
    return performance.now() - t0;
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.stop();
  }
}
