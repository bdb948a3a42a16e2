import cluster, { type Worker } from 'node:cluster';
import type { CaveatConfig } from '../config/config';
import { Database } from '../database/database';
import { isPeerMessage, PEER_TIMEOUT_MS, type PeerMessage, type PeerTopic } from './service-peers';
import { WORKER_ENV } from './worker-role';

/**
 * The workers' young generation, unless the service was started with one
 * (`node --max-semi-space-size=N`, or NODE_OPTIONS): a batch of decisions allocates ~1 KB per
 * item that lives until its answer is sent, which with the default (16 MiB) survived into the old
 * generation (measured with bench/decide-http.ts, 2 workers: 64 MiB gave 79k against 73k batch
 * items/s). Measured again once batch answers and log batches reused their buffers (which
 * removed most collections started by external memory): over 9 alternating runs, 32 MiB took
 * 14.7 µs of service CPU per batch item against 15.0 µs with 64 MiB (a small gain, within the
 * machine's noise on single runs); 16 and 128 MiB were no better. 32 MiB also costs half the memory.
 */
const WORKER_SEMI_SPACE_MIB = 32;

/** A worker that exits on its own is started again after this pause… */
const RESTART_DELAY_MS = 1_000;
/** …unless this many exited within the window: then the service stops rather than loop. */
const MAX_EXITS = 5;
/** A second signal this long after the first kills the workers still stopping. */
const FORCE_AFTER_MS = 2_000;
const EXIT_WINDOW_MS = 60_000;

interface Query {
  from: Worker;
  id: number;
  waiting: Map<number, number>; // worker id → pid
  answers: { pid: number; value: unknown }[];
  errors: string[];
  timer: NodeJS.Timeout;
}

/**
 * The primary process of a service run with CAVEAT_WORKERS > 1 (PostgreSQL only, checked by
 * loadConfig). It migrates the database once, then forks the workers, which each run the whole
 * application and share the port (Node's cluster hands connections out in turn). It serves no
 * request itself: it restarts a worker that dies, relays the workers' questions to each other
 * (ServicePeers: the decision log's flush and counters), and on SIGTERM, SIGINT, SIGHUP, SIGQUIT
 * or SIGUSR2 stops every worker cleanly (each flushes its decision log) before exiting; a second
 * signal, FORCE_AFTER_MS or more after the first, kills the workers still stopping. Should the primary die anyway, each worker closes
 * cleanly when its channel to the primary closes (main.ts).
 *
 * Resolves once every worker listens (`stopped` null when a signal stopped the service first);
 * `stopped` settles with the exit code when the service has stopped: 1 when a worker could not
 * start, exited too often, or failed to stop cleanly.
 */
export async function runPrimary(config: CaveatConfig): Promise<{ stopped: Promise<number>; listening: boolean }> {
  // Migrations run here, once: the workers would race each other on a new database.
  const db = await Database.open(config);
  await db.close();

  const listening = new Map<number, number>(); // worker id → pid, once it listens
  const queries = new Map<number, Query>();
  const exits: number[] = [];
  let nextQuery = 1;
  let stopping = false;
  let started = false;
  let exitCode = 0;
  let resolveStopped!: (code: number) => void;
  const stopped = new Promise<number>((r) => (resolveStopped = r));

  const finish = (q: Query, qid: number) => {
    clearTimeout(q.timer);
    queries.delete(qid);
    const errors = [...q.errors, ...[...q.waiting.values()].map((pid) => `process ${pid} did not answer within ${PEER_TIMEOUT_MS} ms`)];
    const reply: PeerMessage = { caveat: 'answers', id: q.id, answers: q.answers.sort((a, b) => a.pid - b.pid), errors };
    send(q.from, reply);
  };

  /** Sends unless the worker's channel has closed (it is dying: its exit will settle what it was asked). */
  const send = (worker: Worker | undefined, m: PeerMessage) => {
    if (worker !== undefined && worker.isConnected()) worker.send(m);
  };

  const ask = (from: Worker, id: number, topic: PeerTopic) => {
    const qid = nextQuery++;
    const asked = [...listening].filter(([workerId]) => cluster.workers?.[workerId]?.isConnected());
    const q: Query = { from, id, waiting: new Map(asked), answers: [], errors: [], timer: setTimeout(() => finish(q, qid), PEER_TIMEOUT_MS) };
    queries.set(qid, q);
    for (const [workerId] of asked) send(cluster.workers?.[workerId], { caveat: 'asked', id: qid, topic });
    if (q.waiting.size === 0) finish(q, qid);
  };

  const answered = (worker: Worker, m: Extract<PeerMessage, { caveat: 'answer' }>) => {
    const q = queries.get(m.id);
    const pid = q?.waiting.get(worker.id);
    if (q === undefined || pid === undefined) return;
    q.waiting.delete(worker.id);
    if (m.error !== undefined) q.errors.push(`process ${pid}: ${m.error}`);
    else q.answers.push({ pid, value: m.value });
    if (q.waiting.size === 0) finish(q, m.id);
  };

  const gone = (worker: Worker, why: string) => {
    listening.delete(worker.id);
    for (const [qid, q] of queries) {
      const pid = q.waiting.get(worker.id);
      if (pid === undefined) continue;
      q.waiting.delete(worker.id);
      q.errors.push(`process ${pid} ${why}`);
      if (q.waiting.size === 0) finish(q, qid);
    }
  };

  let forwarded: NodeJS.Signals = 'SIGTERM';
  let stoppingSince = 0;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // Asked again while stopping: whatever still runs is stuck; kill it. Not a signal that
      // arrives with the first (Ctrl-C under npm reaches the primary twice, from the terminal and from npm).
      if (Date.now() - stoppingSince < FORCE_AFTER_MS) return;
      for (const w of alive()) w.process.kill('SIGKILL');
      return;
    }
    stopping = true;
    stoppingSince = Date.now();
    forwarded = signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
    const workers = alive();
    if (workers.length === 0) return resolveStopped(exitCode);
    for (const w of workers) w.process.kill(forwarded);
  };

  cluster.on('message', (worker, m: unknown) => {
    if (!isPeerMessage(m)) return;
    if (m.caveat === 'ask') ask(worker, m.id, m.topic);
    else if (m.caveat === 'answer') answered(worker, m);
  });
  cluster.on('listening', (worker) => listening.set(worker.id, worker.process.pid!));
  // A send to a worker whose channel just closed fails with an 'error' event: without a listener it would kill the primary.
  cluster.on('fork', (worker) => worker.on('error', (e: Error) => warn(`caveat: worker ${worker.process.pid}: ${e.message}`)));
  cluster.on('disconnect', (worker) => gone(worker, 'disconnected'));
  cluster.on('exit', (worker, code, signal) => {
    gone(worker, 'exited');
    if (stopping) {
      // A clean stop ends with code 0, or by the signal forwarded (Nest raises it again once closed).
      if ((code !== 0 && code !== null) || (signal !== null && signal !== forwarded)) {
        warn(`caveat: worker ${worker.process.pid} did not stop cleanly (${signal ? `signal ${signal}` : `code ${code}`})`);
        exitCode = 1;
      }
      if (alive().length === 0) resolveStopped(exitCode);
      return;
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const now = Date.now();
    exits.push(now);
    while (now - exits[0] > EXIT_WINDOW_MS) exits.shift();
    if (!started || exits.length >= MAX_EXITS) {
      warn(`caveat: worker ${worker.process.pid} exited (${how}); ${started ? `${exits.length} exits within a minute, stopping the service` : 'the service could not start'}`);
      exitCode = 1;
      return stop('SIGTERM');
    }
    warn(`caveat: worker ${worker.process.pid} exited (${how}); starting another`);
    setTimeout(() => {
      if (!stopping) fork();
    }, RESTART_DELAY_MS).unref();
  });
  // SIGINT reaches the workers too when it comes from a terminal (the process group): each stops once.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'] as const) process.on(signal, () => stop(signal));

  // V8 reads - and _ alike in flag names.
  const setsSemiSpace = (args: readonly string[]) => args.some((a) => a.replace(/_/g, '-').startsWith('--max-semi-space-size'));
  const execArgv = setsSemiSpace(process.execArgv) || setsSemiSpace((process.env.NODE_OPTIONS ?? '').split(/\s+/))
    ? process.execArgv
    : [...process.execArgv, `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`];
  cluster.setupPrimary({ execArgv });
  const fork = () => cluster.fork({ [WORKER_ENV]: '1' });
  for (let i = 0; i < config.workers; i++) fork();
  const listened = await new Promise<boolean>((resolve, reject) => {
    const check = () => {
      if (listening.size === config.workers) {
        cluster.off('listening', check);
        resolve(true);
      }
    };
    cluster.on('listening', check);
    void stopped.then((code) => (code === 0 ? resolve(false) : reject(new Error('a worker exited before the service listened (its error is above)'))));
  });
  started = true;
  return { stopped, listening: listened };
}

const warn = (line: string) => process.stderr.write(line + '\n');

/** The workers not yet dead (an exited worker may still be listed while its 'exit' is emitted). */
function alive(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
}
