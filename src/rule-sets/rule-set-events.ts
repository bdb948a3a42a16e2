import { EventEmitter } from 'node:events';
import type { DatabaseKind } from '../database/database';

/** What changed: a model's active or shadow rule set, or another input of its rejector. */
export interface LiveSetChange {
  modelId: number;
  reason: 'activated' | 'shadowed' | 'retired' | 'calibrator' | 'policy' | 'attribute-concepts';
}

/**
 * Tells the service's other processes (replicas, or CAVEAT_WORKERS) about the change: NOTIFY on a
 * PostgreSQL server, delivered at commit when `query` runs inside a transaction. The embedded
 * database has one process, which the in-process event reaches.
 */
export async function notifyLiveSetChange(kind: DatabaseKind, query: (sql: string, params: unknown[]) => Promise<unknown>, change: object): Promise<void> {
  if (kind === 'postgres') await query(`SELECT pg_notify($1, $2)`, [RuleSetEvents.CHANNEL, JSON.stringify(change)]);
}

/**
 * In-process notifications that a model's live rule sets changed, so each process reloads its
 * in-memory rejectors. On PostgreSQL the same change is also broadcast to other replicas with
 * NOTIFY (channel `caveat_live_sets`) and re-emitted here by the listener; on the embedded
 * database there is one process, so the in-process event is all there is.
 */
export class RuleSetEvents {
  static readonly CHANNEL = 'caveat_live_sets';
  private readonly emitter = new EventEmitter();

  emit(change: LiveSetChange): void {
    this.emitter.emit('change', change);
  }

  onChange(listener: (change: LiveSetChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
