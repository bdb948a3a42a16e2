import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { isCaveatWorker } from './worker-role';

/** What every service process answers when asked (DecisionLogService registers both). */
export type PeerTopic = 'decision-log.flush' | 'decision-log.stats';

/** The answers of every service process, this one included, and how many did not answer in time. */
export interface PeerAnswers<T> {
  answers: { pid: number; value: T }[];
  /** Processes that failed or did not answer within the timeout: `errors.length`. */
  missing: number;
  /** Why each missing process is missing. */
  errors: string[];
}

type Gathered = Omit<PeerAnswers<unknown>, 'missing'>;

/** Messages between a worker and the primary (src/cluster/service-cluster.ts); `caveat` tells them from others. */
export type PeerMessage =
  | { caveat: 'ask'; id: number; topic: PeerTopic }
  | { caveat: 'asked'; id: number; topic: PeerTopic }
  | { caveat: 'answer'; id: number; value?: unknown; error?: string }
  | ({ caveat: 'answers'; id: number } & Gathered);

export function isPeerMessage(m: unknown): m is PeerMessage {
  return typeof m === 'object' && m !== null && typeof (m as { caveat?: unknown }).caveat === 'string' && typeof (m as { id?: unknown }).id === 'number';
}

type Handler = () => unknown;

const PRIMARY_GONE = 'the primary process is gone: the other workers could not be asked';

/** How long the primary waits for every worker's answer (a flush of a full log takes a few seconds). */
export const PEER_TIMEOUT_MS = 15_000;

/**
 * The other processes of this service. With CAVEAT_WORKERS > 1 the service runs as cluster
 * workers behind one port, each with its own in-memory state; `all` runs a topic's handler in
 * every worker (through the primary, over the cluster's IPC channel) and gathers the answers, so
 * that reading the decision log sees what any worker buffered, and its counters cover them all.
 * In a single process `all` just runs the local handler.
 */
@Injectable()
export class ServicePeers implements OnApplicationShutdown {
  private readonly handlers = new Map<PeerTopic, Handler>();
  private readonly pending = new Map<number, (a: Gathered) => void>();
  private nextId = 1;
  private readonly inCluster = isCaveatWorker();
  private readonly onMessage = (m: unknown) => this.received(m);

  private readonly onDisconnect = () => {
    for (const id of [...this.pending.keys()]) this.settle(id, { answers: [], errors: [PRIMARY_GONE] });
  };

  constructor() {
    if (this.inCluster) {
      process.on('message', this.onMessage);
      process.on('disconnect', this.onDisconnect);
    }
  }

  handle(topic: PeerTopic, handler: Handler): void {
    this.handlers.set(topic, handler);
  }

  async all<T>(topic: PeerTopic): Promise<PeerAnswers<T>> {
    const { answers, errors } = await this.gather(topic);
    return { answers: answers as PeerAnswers<T>['answers'], missing: errors.length, errors };
  }

  private async gather(topic: PeerTopic): Promise<Gathered> {
    if (!this.inCluster) return { answers: [await this.local(topic)], errors: [] };
    // The primary died and this worker is closing: it can still answer for itself, not for the others.
    if (!process.connected) return { answers: [await this.local(topic)], errors: [PRIMARY_GONE] };
    const id = this.nextId++;
    const answered = new Promise<Gathered>((resolve) => {
      // The primary answers within its own timeout; this one only guards against a lost channel.
      const timer = setTimeout(() => this.settle(id, { answers: [], errors: ['the primary process did not answer'] }), 2 * PEER_TIMEOUT_MS);
      this.pending.set(id, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
    });
    process.send!({ caveat: 'ask', id, topic } satisfies PeerMessage);
    return answered;
  }

  /** Stops listening: the application is closing (after the decision log's last flush). */
  onApplicationShutdown(): void {
    if (this.inCluster) {
      process.off('message', this.onMessage);
      process.off('disconnect', this.onDisconnect);
    }
  }

  private async local<T>(topic: PeerTopic): Promise<{ pid: number; value: T }> {
    const handler = this.handlers.get(topic);
    if (handler === undefined) throw new Error(`no handler for ${topic}`);
    return { pid: process.pid, value: (await handler()) as T };
  }

  private received(m: unknown): void {
    if (!isPeerMessage(m)) return;
    if (m.caveat === 'answers') this.settle(m.id, { answers: m.answers, errors: m.errors });
    else if (m.caveat === 'asked') {
      void this.answer(m.id, m.topic);
    }
  }

  private settle(id: number, answers: Gathered): void {
    const resolve = this.pending.get(id);
    this.pending.delete(id);
    resolve?.(answers);
  }

  private async answer(id: number, topic: PeerTopic): Promise<void> {
    const handler = this.handlers.get(topic);
    let reply: PeerMessage;
    try {
      if (handler === undefined) throw new Error(`process ${process.pid} cannot answer ${topic} yet`);
      reply = { caveat: 'answer', id, value: await handler() };
    } catch (e) {
      reply = { caveat: 'answer', id, error: e instanceof Error ? e.message : String(e) };
    }
    // The channel may have closed while the service shuts down: nobody is waiting then.
    if (process.connected) process.send!(reply);
  }
}
