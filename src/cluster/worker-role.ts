import cluster from 'node:cluster';

/**
 * Set in the environment of the workers that runPrimary forks. Checked instead of
 * cluster.isWorker: under another cluster manager (PM2's cluster mode) a single Caveat process is a
 * cluster worker too, but has no Caveat primary to migrate for it or to answer its questions.
 */
export const WORKER_ENV = 'CAVEAT_CLUSTER_WORKER';

/** This process is a worker of a Caveat primary (CAVEAT_WORKERS > 1). */
export function isCaveatWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_ENV] === '1';
}
