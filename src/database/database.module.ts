import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { isCaveatWorker } from '../cluster/worker-role';
import { CAVEAT_CONFIG, type CaveatConfig } from '../config/config';
import { Database } from './database';

class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}
  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

/**
 * Opens the database once per process (embedded or PostgreSQL), migrates it, closes it on shutdown.
 * A cluster worker does not migrate: its primary did, once, before starting the workers.
 */
@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [CAVEAT_CONFIG],
      useFactory: (config: CaveatConfig) => Database.open(config, { migrate: !isCaveatWorker() }),
    },
    DatabaseLifecycle,
  ],
  exports: [Database],
})
export class DatabaseModule {}
