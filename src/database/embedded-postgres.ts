import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The embedded database: PGlite (real Postgres compiled to WASM) on a data directory, served
 * on a Unix socket inside this process so that TypeORM and `pg` use the ordinary postgres
 * driver with real connections. `typeorm-pglite` is not used: it shares one session across
 * connections and lost committed rows under concurrent transactions (../shared/STACK.md).
 */
export class EmbeddedPostgres {
  private constructor(
    readonly dataDir: string,
    readonly socketDir: string,
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly ownsSocketDir: boolean,
  ) {}

  /** Connections the socket server accepts (the process pool uses one; the rest are spare for tools). */
  static readonly MAX_CONNECTIONS = 8;

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    mkdirSync(dataDir, { recursive: true }); // PGlite does not create missing parents
    acquireLock(dataDir);
    try {
      const pgdata = join(dataDir, 'pgdata');
      const db = await PGlite.create({ dataDir: pgdata });
      // A Unix socket path must fit in sun_path (108 bytes); fall back to a private temp dir.
      let socketDir = dataDir;
      let ownsSocketDir = false;
      if (join(socketDir, '.s.PGSQL.5432').length > 100) {
        socketDir = mkdtempSync(join(tmpdir(), 'caveat-sock-'));
        ownsSocketDir = true;
      }
      const socketPath = join(socketDir, '.s.PGSQL.5432');
      if (existsSync(socketPath)) unlinkSync(socketPath); // stale socket from a crash; the lock says nobody owns it
      const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: EmbeddedPostgres.MAX_CONNECTIONS });
      await server.start();
      return new EmbeddedPostgres(dataDir, socketDir, db, server, ownsSocketDir);
    } catch (e) {
      releaseLock(dataDir);
      throw e;
    }
  }

  /**
   * `COPY <target> FROM '/dev/blob'` straight into PGlite with `data` (a string in COPY's text
   * format, a Buffer in its binary format), as COPY … FROM STDIN through the socket server hangs
   * (../shared/STACK.md). PGlite has one session: the caller must hold the process's one pooled
   * connection (Database.copyIn), so that no other connection's statements run between, and the
   * rows join its transaction if it has one.
   */
  async copyFrom(target: string, data: string | Buffer, inTransaction: boolean): Promise<void> {
    // Outside a transaction the COPY would commit on its own: after the socket server rolled
    // back a connection it lost, say, part of an import would survive.
    if (inTransaction && !this.db.isInTransaction()) throw new Error('copyFrom: the transaction of the pooled connection is gone');
    const format = typeof data === 'string' ? '' : ' WITH (FORMAT binary)';
    await this.db.query(`COPY ${target} FROM '/dev/blob'${format}`, [], { blob: new Blob([data]) });
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    if (this.ownsSocketDir) rmSync(this.socketDir, { recursive: true, force: true });
    else rmSync(join(this.socketDir, '.s.PGSQL.5432'), { force: true });
    releaseLock(this.dataDir);
  }
}

/** Thrown when another live process holds the embedded data directory. */
export class DataDirInUseError extends Error {}

function lockPath(dataDir: string): string {
  return join(dataDir, 'caveat.lock');
}

/** Data directories this process has open: two PGlite instances on one directory corrupt it. */
const openHere = new Set<string>();

function acquireLock(dataDir: string): void {
  if (openHere.has(dataDir)) throw new DataDirInUseError(`the embedded database in ${dataDir} is already open in this process`);
  const path = lockPath(dataDir);
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new DataDirInUseError(
        `the embedded database in ${dataDir} is in use by process ${pid} (a running 'caveat serve'?); ` +
          `stop it, or talk to it with --url http://localhost:3000`,
      );
    }
  }
  writeFileSync(path, String(process.pid));
  openHere.add(dataDir);
}

function releaseLock(dataDir: string): void {
  openHere.delete(dataDir);
  const path = lockPath(dataDir);
  try {
    if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
