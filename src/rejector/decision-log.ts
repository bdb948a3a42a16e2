/**
 * The decision log's in-memory side (issue 6): decisions are appended to a bounded buffer and
 * written asynchronously in batches by one writer loop. When the buffer is full, callers wait
 * (backpressure) up to `maxWaitMs`; what still does not fit is dropped and counted, as is a batch
 * the database refused `maxAttempts` times. Nothing is dropped silently: `stats()` exposes it.
 */

/** One logged decision (a row of `decisions`). */
export interface DecisionRecord {
  id: string;
  /** Epoch milliseconds. */
  decidedAt: number;
  modelId: number;
  policyVersion: number | null;
  ruleSetVersion: number | null;
  calibratorVersion: number | null;
  itemId: string | null;
  confidence: number;
  calibratedConfidence: number | null;
  predicted: string;
  decision: 'accept' | 'reject';
  reasonCode: string;
  threshold: number | null;
  matchedRules: readonly string[];
  unresolvedConcepts: readonly string[];
  shadowVersion: number | null;
  shadowDecision: 'accept' | 'reject' | null;
  shadowThreshold: number | null;
  shadowMatchedRules: readonly string[] | null;
}

/** Where batches go (the database; a fake in tests). A rejected promise means the batch was not written. */
export interface DecisionSink {
  write(records: readonly DecisionRecord[]): Promise<void>;
}

export interface DecisionLogOptions {
  /** Most records held in memory (default 200,000). A single append larger than this is admitted into an empty buffer. */
  capacity: number;
  /** Records per write (default 5,000). */
  batchSize: number;
  /**
   * A partial batch is written at most this long after its first record arrived (default 100 ms):
   * rows are cheaper in bigger batches (one COPY each, plus a transaction's round trips).
   */
  flushIntervalMs: number;
  /** How long an append waits for room before its records are dropped (default 5,000 ms). */
  maxWaitMs: number;
  /**
   * Batches written at the same time (default 1). On a PostgreSQL server 2 overlap one batch's
   * commit (fsync) with the next one's COPY: measured 238k rows/s against 119k with 1.
   */
  concurrency: number;
  /** Attempts per batch before it is dropped (default 3), `retryDelayMs` apart (default 200 ms). */
  maxAttempts: number;
  retryDelayMs: number;
}

export const DEFAULT_DECISION_LOG_OPTIONS: DecisionLogOptions = {
  capacity: 200_000,
  batchSize: 5_000,
  flushIntervalMs: 100,
  maxWaitMs: 5_000,
  concurrency: 1,
  maxAttempts: 3,
  retryDelayMs: 200,
};

export interface DecisionLogStats {
  capacity: number;
  /** Records waiting in memory (buffered or waiting for room), not counting the batch being written. */
  buffered: number;
  /** Records of the batch being written now. */
  writing: number;
  written: number;
  /** All records lost: `droppedFull` (no room within maxWaitMs) + `droppedWriteFailed`. */
  dropped: number;
  droppedFull: number;
  droppedWriteFailed: number;
  /** Appends that had to wait for room (backpressure applied). */
  waited: number;
  batches: number;
  failedWrites: number;
  lastError: string | null;
}

/**
 * The counters of several logs (one per service process) as one: counts add up; `lastError` is
 * the first process's that has one (each process logs its own drops as they happen).
 */
export function sumDecisionLogStats(all: readonly DecisionLogStats[]): DecisionLogStats {
  const sum: DecisionLogStats = { capacity: 0, buffered: 0, writing: 0, written: 0, dropped: 0, droppedFull: 0, droppedWriteFailed: 0, waited: 0, batches: 0, failedWrites: 0, lastError: null };
  for (const s of all) {
    for (const k of COUNTERS) sum[k] += s[k];
    sum.lastError ??= s.lastError;
  }
  return sum;
}

const COUNTERS = ['capacity', 'buffered', 'writing', 'written', 'dropped', 'droppedFull', 'droppedWriteFailed', 'waited', 'batches', 'failedWrites'] as const;

interface Waiter {
  records: readonly DecisionRecord[];
  resolve: () => void;
  timer: NodeJS.Timeout;
}

export class DecisionLog {
  private buffer: DecisionRecord[] = [];
  /** Records of the batches being written: they still hold memory, so they count against the capacity. */
  private inFlight = 0;
  /** Writer loops running (at most options.concurrency). */
  private readonly loops = new Set<Promise<void>>();
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** After close(): every append is written before its promise resolves (nothing may wait for a timer). */
  private writeThrough = false;
  private readonly counts = { written: 0, droppedFull: 0, droppedWriteFailed: 0, waited: 0, batches: 0, failedWrites: 0 };
  private lastError: string | null = null;
  readonly options: DecisionLogOptions;

  constructor(
    private readonly sink: DecisionSink,
    options: Partial<DecisionLogOptions> = {},
    private readonly onDrop: (count: number, why: string) => void = () => undefined,
  ) {
    this.options = { ...DEFAULT_DECISION_LOG_OPTIONS, ...options };
  }

  /**
   * Buffers the records. Returns undefined when they fit (the common case: no promise is
   * allocated), or a promise that settles once they are admitted or dropped after `maxWaitMs`.
   * In write-through mode (after close) the promise settles once they are written.
   */
  append(records: readonly DecisionRecord[]): Promise<void> | undefined {
    if (records.length === 0) return undefined;
    if (this.waiters.length === 0 && this.fits(records.length)) {
      this.admit(records);
      return this.writeThrough ? this.flush() : undefined;
    }
    this.counts.waited++;
    return new Promise<void>((resolve) => {
      const waiter: Waiter = {
        records,
        resolve,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i < 0) return;
          this.waiters.splice(i, 1);
          this.drop('full', records.length, `the decision log buffer stayed full for ${this.options.maxWaitMs} ms`);
          resolve();
        }, this.options.maxWaitMs),
      };
      this.waiters.push(waiter);
      this.kick();
    });
  }

  /** Writes everything buffered now (and admitted waiters); resolves when the buffer is empty and no write is running. */
  async flush(): Promise<void> {
    while (this.buffer.length > 0 || this.loops.size > 0 || this.waiters.length > 0) {
      this.kick();
      if (this.loops.size > 0) await Promise.all(this.loops);
      else if (this.waiters.length > 0) await new Promise((r) => setImmediate(r));
    }
  }

  /** Flushes, then writes every later append through at once (used while the service shuts down). */
  async close(): Promise<void> {
    this.writeThrough = true;
    await this.flush();
  }

  stats(): DecisionLogStats {
    const c = this.counts;
    return {
      capacity: this.options.capacity,
      buffered: this.buffer.length + this.waiters.reduce((s, w) => s + w.records.length, 0),
      writing: this.inFlight,
      written: c.written,
      dropped: c.droppedFull + c.droppedWriteFailed,
      droppedFull: c.droppedFull,
      droppedWriteFailed: c.droppedWriteFailed,
      waited: c.waited,
      batches: c.batches,
      failedWrites: c.failedWrites,
      lastError: this.lastError,
    };
  }

  private fits(k: number): boolean {
    const held = this.buffer.length + this.inFlight;
    return held === 0 || held + k <= this.options.capacity;
  }

  private admit(records: readonly DecisionRecord[]): void {
    for (let i = 0; i < records.length; i++) this.buffer.push(records[i]);
    if (this.buffer.length >= this.options.batchSize || this.writeThrough) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.options.flushIntervalMs).unref();
  }

  private admitWaiters(): void {
    while (this.waiters.length > 0 && this.fits(this.waiters[0].records.length)) {
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      this.admit(w.records);
      w.resolve();
    }
  }

  /**
   * Starts a writer loop when none runs, and another (up to `concurrency`) while a full batch is
   * waiting: a trickle of decisions is written by one loop, in batches as big as it can make.
   */
  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.loops.size < this.options.concurrency && (this.loops.size === 0 ? this.buffer.length > 0 || this.waiters.length > 0 : this.buffer.length >= this.options.batchSize)) {
      const loop: Promise<void> = this.run().finally(() => {
        this.loops.delete(loop);
        // Records that arrived during the last write and did not make a full batch wait for the timer.
        if (this.buffer.length > 0 && this.loops.size === 0) this.admit([]);
      });
      this.loops.add(loop);
    }
  }

  private async run(): Promise<void> {
    // Yield once, so that the loop is registered before it admits waiters (admitting kicks).
    await Promise.resolve();
    let attempts = 0;
    for (;;) {
      this.admitWaiters();
      if (this.buffer.length === 0) return;
      const batch = this.buffer.length <= this.options.batchSize ? this.buffer : this.buffer.slice(0, this.options.batchSize);
      this.buffer = batch === this.buffer ? [] : this.buffer.slice(batch.length);
      this.inFlight += batch.length;
      try {
        await this.sink.write(batch);
        this.counts.written += batch.length;
        this.counts.batches++;
        attempts = 0;
      } catch (e) {
        this.counts.failedWrites++;
        this.lastError = e instanceof Error ? e.message : String(e);
        if (++attempts >= this.options.maxAttempts) {
          this.drop('write', batch.length, `writing ${batch.length} decisions failed ${attempts} times: ${this.lastError}`);
          attempts = 0;
        } else {
          // Put the batch back in front and retry after a pause (the database may be restarting).
          this.buffer = batch.concat(this.buffer);
          this.inFlight -= batch.length;
          await new Promise((r) => setTimeout(r, this.options.retryDelayMs));
          continue;
        }
      }
      this.inFlight -= batch.length;
    }
  }

  private drop(kind: 'full' | 'write', count: number, why: string): void {
    if (kind === 'full') this.counts.droppedFull += count;
    else this.counts.droppedWriteFailed += count;
    this.lastError = why;
    this.onDrop(count, why);
  }
}
