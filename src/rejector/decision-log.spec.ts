import { DecisionLog, sumDecisionLogStats, type DecisionLogStats, type DecisionRecord, type DecisionSink } from './decision-log';

const record = (i: number): DecisionRecord => ({
  id: `d${i}`,
  decidedAt: 0,
  modelId: 1,
  policyVersion: 1,
  ruleSetVersion: null,
  calibratorVersion: null,
  itemId: null,
  confidence: 0.5,
  calibratedConfidence: 0.5,
  predicted: 'yes',
  decision: 'accept',
  reasonCode: 'accepted',
  threshold: 0.5,
  matchedRules: [],
  unresolvedConcepts: [],
  shadowVersion: null,
  shadowDecision: null,
  shadowThreshold: null,
  shadowMatchedRules: null,
});
const records = (from: number, n: number): DecisionRecord[] => Array.from({ length: n }, (_, k) => record(from + k));

/** A sink that records batches; while `gate` is set, writes wait for it to open. */
class FakeSink implements DecisionSink {
  batches: string[][] = [];
  failures = 0;
  writing = 0;
  maxWriting = 0;
  private gate: Promise<void> | null = null;
  private openGate: () => void = () => undefined;
  block(): void {
    this.gate = new Promise((r) => (this.openGate = r));
  }
  open(): void {
    this.gate = null;
    this.openGate();
  }
  async write(rs: readonly DecisionRecord[]): Promise<void> {
    this.maxWriting = Math.max(this.maxWriting, ++this.writing);
    try {
      await this.gated(rs);
    } finally {
      this.writing--;
    }
  }
  private async gated(rs: readonly DecisionRecord[]): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('database is down');
    }
    this.batches.push(rs.map((r) => r.id));
  }
  get ids(): string[] {
    return this.batches.flat();
  }
}

describe('DecisionLog: bounded buffer written in batches', () => {
  it('admits without waiting while there is room, and writes everything in order in batches of batchSize', async () => {
    const sink = new FakeSink();
    const log = new DecisionLog(sink, { batchSize: 4, capacity: 100, flushIntervalMs: 1 });
    expect(log.append(records(0, 3))).toBeUndefined();
    expect(log.append(records(3, 7))).toBeUndefined();
    await log.flush();
    expect(sink.ids).toEqual(records(0, 10).map((r) => r.id));
    expect(sink.batches.every((b) => b.length <= 4)).toBe(true);
    expect(log.stats()).toMatchObject({ written: 10, dropped: 0, buffered: 0, waited: 0 });
  });

  it('applies backpressure when full: the append waits until a write frees room, and nothing is lost', async () => {
    const sink = new FakeSink();
    sink.block();
    const log = new DecisionLog(sink, { batchSize: 5, capacity: 10, maxWaitMs: 60_000 });
    expect(log.append(records(0, 10))).toBeUndefined(); // fills the buffer; a write of 5 starts and blocks
    const waiting = log.append(records(10, 6));
    expect(waiting).toBeInstanceOf(Promise);
    let admitted = false;
    void waiting!.then(() => (admitted = true));
    await new Promise((r) => setImmediate(r));
    expect(admitted).toBe(false);
    expect(log.stats()).toMatchObject({ buffered: 11, waited: 1 }); // 5 left in the buffer + 6 waiting
    sink.open();
    await waiting;
    await log.flush();
    expect(sink.ids).toEqual(records(0, 16).map((r) => r.id));
    expect(log.stats()).toMatchObject({ written: 16, dropped: 0, waited: 1 });
  });

  it('drops and counts what found no room within maxWaitMs', async () => {
    const sink = new FakeSink();
    sink.block();
    const dropped: number[] = [];
    const log = new DecisionLog(sink, { batchSize: 5, capacity: 5, maxWaitMs: 5 }, (n) => dropped.push(n));
    log.append(records(0, 5));
    await log.append(records(5, 3)); // settles when its wait runs out
    expect(dropped).toEqual([3]);
    expect(log.stats()).toMatchObject({ dropped: 3, droppedFull: 3, droppedWriteFailed: 0 });
    expect(log.stats().lastError).toMatch(/stayed full/);
    sink.open();
    await log.flush();
    expect(sink.ids).toEqual(records(0, 5).map((r) => r.id));
  });

  it('retries a failed write and keeps the order', async () => {
    const sink = new FakeSink();
    sink.failures = 2;
    const log = new DecisionLog(sink, { batchSize: 3, maxAttempts: 3, retryDelayMs: 1 });
    log.append(records(0, 7));
    await log.flush();
    expect(sink.ids).toEqual(records(0, 7).map((r) => r.id));
    expect(log.stats()).toMatchObject({ written: 7, dropped: 0, failedWrites: 2 });
  });

  it('drops and counts a batch that fails maxAttempts times, then goes on with the next', async () => {
    const sink = new FakeSink();
    sink.failures = 2;
    const log = new DecisionLog(sink, { batchSize: 3, maxAttempts: 2, retryDelayMs: 1 });
    log.append(records(0, 5));
    await log.flush();
    expect(sink.ids).toEqual(['d3', 'd4']);
    expect(log.stats()).toMatchObject({ written: 2, dropped: 3, droppedWriteFailed: 3, failedWrites: 2 });
    expect(log.stats().lastError).toMatch(/failed 2 times: database is down/);
  });

  it.each([
    [1, 1],
    [2, 2],
  ])('with concurrency %i, writes up to %i full batches at once', async (concurrency, expected) => {
    const sink = new FakeSink();
    sink.block();
    const log = new DecisionLog(sink, { batchSize: 5, capacity: 100, concurrency });
    log.append(records(0, 20));
    await new Promise((r) => setImmediate(r));
    expect(sink.writing).toBe(expected);
    sink.open();
    await log.flush();
    expect(sink.maxWriting).toBe(expected);
    expect([...sink.ids].sort()).toEqual(records(0, 20).map((r) => r.id).sort());
    expect(log.stats()).toMatchObject({ written: 20, writing: 0, buffered: 0 });
  });

  it('writes a trickle with one loop even when concurrency allows more', async () => {
    const sink = new FakeSink();
    sink.block();
    const log = new DecisionLog(sink, { batchSize: 5, flushIntervalMs: 1, concurrency: 3 });
    log.append(records(0, 2));
    await log.append(records(2, 1));
    await new Promise((r) => setTimeout(r, 5));
    expect(sink.writing).toBe(1);
    sink.open();
    await log.flush();
    expect(sink.ids).toEqual(['d0', 'd1', 'd2']);
  });

  it('after close, an append settles only once its records are written', async () => {
    const sink = new FakeSink();
    const log = new DecisionLog(sink, { batchSize: 100, flushIntervalMs: 60_000 });
    log.append(records(0, 2));
    await log.close();
    expect(sink.ids).toEqual(['d0', 'd1']);
    const p = log.append(records(2, 1));
    expect(p).toBeInstanceOf(Promise);
    await p;
    expect(sink.ids).toEqual(['d0', 'd1', 'd2']);
  });
});

describe('sumDecisionLogStats', () => {
  const stats = (over: Partial<DecisionLogStats>): DecisionLogStats => ({
    capacity: 10,
    buffered: 0,
    writing: 0,
    written: 0,
    dropped: 0,
    droppedFull: 0,
    droppedWriteFailed: 0,
    waited: 0,
    batches: 0,
    failedWrites: 0,
    lastError: null,
    ...over,
  });

  it.each([
    ['no process', [], { capacity: 0, written: 0, lastError: null }],
    ['one process: itself', [stats({ written: 5, lastError: 'x' })], { capacity: 10, written: 5, lastError: 'x' }],
    [
      'two processes: counts add up, the first error is kept',
      [stats({ written: 5, dropped: 3, droppedFull: 1, droppedWriteFailed: 2, buffered: 4 }), stats({ written: 7, waited: 2, lastError: 'db down' })],
      { capacity: 20, written: 12, dropped: 3, droppedFull: 1, droppedWriteFailed: 2, buffered: 4, waited: 2, lastError: 'db down' },
    ],
  ])('%s', (_name, all, expected) => {
    expect(sumDecisionLogStats(all)).toMatchObject(expected);
  });
});
