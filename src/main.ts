import 'reflect-metadata';
import { createApp } from './app.factory';
import { loadConfig } from './config/config';

/** Starts the HTTP service with configuration from the environment. */
export async function startServer(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded database in ${config.dataDir}`;
  process.stdout.write(`Caveat listening on http://${config.host}:${config.port} (${where}); API docs at /docs\n`);
}

if (require.main === module) {
  startServer().catch((e: unknown) => {
    process.stderr.write(`caveat: failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
