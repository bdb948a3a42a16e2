import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DatabaseKind } from '../database/database';

/** What changed: a model's active or shadow rule set, or another input of its rejector. */
export interface LiveSetChange {
  modelId: number;
  reason: 'activated' | 'shadowed' | 'retired' | 'calibrator' | 'policy' | 'attribute-concepts' | 'settings' | 'detectors' | 'reload';
}

/** What runs the NOTIFY: a transaction's QueryRunner, or the DataSource outside one. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Tells the service's other processes (replicas, or CAVEAT_WORKERS) about the change: NOTIFY on a
 * PostgreSQL server, delivered at commit when `runner` is the change's transaction (so nobody
 * reloads before the change is visible, and a failed NOTIFY fails the change). The embedded
 * database has one process, which the in-process event reaches. The NOTIFY names `events`'
 * application as its origin, whose listener skips it (its own event applies the change); a sender
 * without events (the CLI's local commands) leaves it out, and every service reloads.
 */
export async function notifyLiveSetChange(db: { kind: DatabaseKind }, runner: Queryable, change: LiveSetChange, events?: RuleSetEvents): Promise<void> {
  if (db.kind !== 'postgres') return;
  await runner.query(`SELECT pg_notify($1, $2)`, [RuleSetEvents.CHANNEL, JSON.stringify(events === undefined ? change : { ...change, origin: events.origin })]);
}

/**
 * In-process notifications that something a model's rejector depends on changed (its live rule
 * sets, calibrator, cost policy, attribute concepts, settings, detectors), so that the process
 * reloads its in-memory rejector. Emitted after the change commits. On PostgreSQL the same change
 * is also broadcast to the other processes with NOTIFY (channel `caveat_live_sets`, `notify`) and
 * re-emitted there by their listener; on the embedded database there is one process, so the
 * in-process event is all there is.
 */
export class RuleSetEvents {
  static readonly CHANNEL = 'caveat_live_sets';
  /** Names this application's NOTIFYs, which its listener skips: the event already applied them here. */
  readonly origin = randomUUID();
  private readonly emitter = new EventEmitter();

  emit(change: LiveSetChange): void {
    this.emitter.emit('change', change);
  }

  onChange(listener: (change: LiveSetChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
