import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ServicePeers } from '../cluster/service-peers';
import { CAVEAT_CONFIG, type CaveatConfig } from '../config/config';
import { Database } from '../database/database';
import { DecisionLog, sumDecisionLogStats, type DecisionLogStats } from './decision-log';
import { DatabaseDecisionSink } from './decision-log-sink';

// Drops are also logged, at most once per this interval (the counters hold the exact figures).
const DROP_LOG_INTERVAL_MS = 10_000;

/** The decision log's counters over every process of the service. */
export interface ServiceDecisionLogStats {
  /** Processes whose counters are summed in `log` (CAVEAT_WORKERS; 1 in a single process). */
  processes: number;
  /** Processes that did not answer in time (their buffered decisions are not counted), and why. */
  missingProcesses: number;
  errors: string[];
  log: DecisionLogStats;
}

/**
 * The process's decision log (issue 6): a bounded in-memory buffer written to `decisions` in
 * batches. On shutdown it is flushed before the database closes (beforeApplicationShutdown runs
 * before any module's onApplicationShutdown), and requests still in flight while the HTTP server
 * drains write their decisions through at once, so a clean stop loses nothing. With several
 * service processes (CAVEAT_WORKERS) each has its own log; `flush` and `stats` cover them all.
 */
@Injectable()
export class DecisionLogService implements BeforeApplicationShutdown {
  readonly log: DecisionLog;
  private readonly logger = new Logger('DecisionLog');
  private lastDropLog = 0;

  constructor(
    @Inject(Database) db: Database,
    @Inject(CAVEAT_CONFIG) config: CaveatConfig,
    @Inject(ServicePeers) private readonly peers: ServicePeers,
  ) {
    // Two batches at once on a server (overlapping commits); the embedded database runs one session, so one.
    const options = { ...config.decisionLog, concurrency: db.kind === 'postgres' ? 2 : 1 };
    this.log = new DecisionLog(new DatabaseDecisionSink(db), options, (count, why) => {
      const now = Date.now();
      if (now - this.lastDropLog < DROP_LOG_INTERVAL_MS) return;
      this.lastDropLog = now;
      this.logger.error(`dropped ${count} decisions: ${why} (${this.log.stats().dropped} in all since start)`);
    });
    peers.handle('decision-log.flush', () => this.log.flush());
    peers.handle('decision-log.stats', () => this.log.stats());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.log.close();
  }

  /**
   * Writes what every process of the service holds, so that a read of the log sees every decision
   * made before it. Returns why a process could not flush in time (empty when all did): a read
   * that then misses a decision cannot tell it apart from one never made.
   */
  async flush(): Promise<string[]> {
    const { missing, errors } = await this.peers.all('decision-log.flush');
    if (missing > 0) this.logger.warn(`flushing the decision log: ${errors.join('; ')}`);
    return errors;
  }

  async stats(): Promise<ServiceDecisionLogStats> {
    const { answers, missing, errors } = await this.peers.all<DecisionLogStats>('decision-log.stats');
    return { processes: answers.length, missingProcesses: missing, errors, log: sumDecisionLogStats(answers.map((a) => a.value)) };
  }
}
