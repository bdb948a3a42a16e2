import 'reflect-metadata';
import cluster from 'node:cluster';
import { createApp } from './app.factory';
import { runPrimary } from './cluster/service-cluster';
import { loadConfig, type CaveatConfig } from './config/config';

/**
 * Starts the HTTP service with configuration from the environment: in this process, or with
 * CAVEAT_WORKERS > 1 as a cluster whose workers each run this function again (cluster.fork runs
 * the same script). Resolves once the service listens.
 */
export async function startServer(config: CaveatConfig = loadConfig()): Promise<void> {
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded database in ${config.dataDir}`;
  if (config.workers > 1 && cluster.isPrimary) {
    const { stopped } = await runPrimary(config);
    process.stdout.write(`Caveat listening on http://${config.host}:${config.port} (${where}, ${config.workers} worker processes); API docs at /docs\n`);
    void stopped.then((code) => process.exit(code));
    return;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  // A worker's start is announced once, by the primary, when every worker listens.
  if (cluster.isPrimary) process.stdout.write(`Caveat listening on http://${config.host}:${config.port} (${where}); API docs at /docs\n`);
}

if (require.main === module) {
  startServer().catch((e: unknown) => {
    process.stderr.write(`caveat: failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
