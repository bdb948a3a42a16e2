import 'reflect-metadata';
import cluster from 'node:cluster';
import { createApp } from './app.factory';
import { runPrimary } from './cluster/service-cluster';
import { isCaveatWorker } from './cluster/worker-role';
import { loadConfig, type CaveatConfig } from './config/config';
import { nativeScanner } from './rejector/flag-scan';

/**
 * Starts the HTTP service with configuration from the environment: in this process, or with
 * CAVEAT_WORKERS > 1 as a cluster whose workers each run this function again (cluster.fork runs
 * the same script). Resolves once the service listens.
 */
export async function startServer(config: CaveatConfig = loadConfig()): Promise<void> {
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded database in ${config.dataDir}`;
  if (nativeScanner.scanner === null && process.env.CAVEAT_NATIVE !== '0' && !isCaveatWorker()) {
    process.stderr.write(`caveat: decide bodies are parsed by JSON.parse alone, slower: the native concept-flag scanner is not available (${nativeScanner.why})\n`);
  }
  if (config.workers > 1 && cluster.isPrimary) {
    const { stopped, listening } = await runPrimary(config);
    void stopped.then((code) => process.exit(code));
    if (listening) process.stdout.write(`Caveat listening on http://${config.host}:${config.port} (${where}, ${config.workers} worker processes); API docs at /docs\n`);
    return;
  }
  if (isCaveatWorker()) return startWorker(config);
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  process.stdout.write(`Caveat listening on http://${config.host}:${config.port} (${where}); API docs at /docs\n`);
}

/**
 * A worker of runPrimary. Its start is announced once, by the primary, when every worker listens.
 * A worker that cannot start exits (its pool, listener and IPC channel would keep it alive, and
 * the primary waiting). If the primary goes away, Node would exit the worker at once; it closes
 * the application instead, which writes the buffered decisions.
 */
async function startWorker(config: CaveatConfig): Promise<void> {
  const app = await createApp(config).catch((e: unknown) => exitWorker(e));
  try {
    await app.listen(config.port, config.host);
  } catch (e) {
    await app.close().catch(() => undefined);
    exitWorker(e);
  }
  cluster.worker!.on('disconnect', () => {
    if (cluster.worker!.exitedAfterDisconnect) return;
    cluster.worker!.exitedAfterDisconnect = true; // tells Node's cluster code not to exit before the close
    void app.close().finally(() => process.exit(0));
  });
}

function exitWorker(e: unknown): never {
  process.stderr.write(`caveat: worker ${process.pid} failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

if (require.main === module) {
  startServer().catch((e: unknown) => {
    process.stderr.write(`caveat: failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
