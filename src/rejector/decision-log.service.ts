import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { CAVEAT_CONFIG, type CaveatConfig } from '../config/config';
import { Database } from '../database/database';
import { DecisionLog, type DecisionLogStats } from './decision-log';
import { DatabaseDecisionSink } from './decision-log-sink';

// Drops are also logged, at most once per this interval (the counters hold the exact figures).
const DROP_LOG_INTERVAL_MS = 10_000;

/**
 * The process's decision log (issue 6): a bounded in-memory buffer written to `decisions` in
 * batches. On shutdown it is flushed before the database closes (beforeApplicationShutdown runs
 * before any module's onApplicationShutdown), and requests still in flight while the HTTP server
 * drains write their decisions through at once, so a clean stop loses nothing.
 */
@Injectable()
export class DecisionLogService implements BeforeApplicationShutdown {
  readonly log: DecisionLog;
  private readonly logger = new Logger('DecisionLog');
  private lastDropLog = 0;

  constructor(@Inject(Database) db: Database, @Inject(CAVEAT_CONFIG) config: CaveatConfig) {
    // Two batches at once on a server (overlapping commits); the embedded database runs one session, so one.
    const options = { ...config.decisionLog, concurrency: db.kind === 'postgres' ? 2 : 1 };
    this.log = new DecisionLog(new DatabaseDecisionSink(db), options, (count, why) => {
      const now = Date.now();
      if (now - this.lastDropLog < DROP_LOG_INTERVAL_MS) return;
      this.lastDropLog = now;
      this.logger.error(`dropped ${count} decisions: ${why} (${this.log.stats().dropped} in all since start)`);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.log.close();
  }

  flush(): Promise<void> {
    return this.log.flush();
  }

  stats(): DecisionLogStats {
    return this.log.stats();
  }
}
