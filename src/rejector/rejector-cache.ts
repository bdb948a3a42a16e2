import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CalibrationService } from '../calibration/calibration.service';
import { ConceptsService } from '../concepts/concepts.service';
import { CAVEAT_CONFIG, type CaveatConfig } from '../config/config';
import { CaveatError } from '../core/errors';
import { prepareRejector } from '../core/rejection/rejector';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { RuleSetEvents, notifyLiveSetChange, type LiveSetChange } from '../rule-sets/rule-set-events';
import { RuleSetStore } from '../rule-sets/rule-set-store';
import { LiveSetsListener } from './live-sets-listener';
import { DEFAULT_REJECTOR_SETTINGS, decisionSettings, type LoadedRejector } from './loaded-rejector';
import { loadRejector, readFingerprint, type RejectorSources } from './rejector-loader';

interface Slot {
  entry: LoadedRejector | null;
  loading: Promise<LoadedRejector> | null;
  /** Bumped by every invalidation; an entry built at an older generation is never served. */
  generation: number;
  loadedGeneration: number;
  checkedAt: number;
  checking: boolean;
  /** The entry records a failed load: the next check reloads instead of comparing fingerprints. */
  failedLoad: boolean;
}

/**
 * The per-process cache of prepared rejectors, one per model (DESIGN §5): built on first use,
 * rebuilt when a change event or NOTIFY names the model, and checked every refresh interval while in
 * use. Decisions read only this memory; the database is read when (re)loading.
 */
@Injectable()
export class RejectorCache implements OnModuleInit, OnApplicationShutdown {
  private readonly slots = new Map<string, Slot>();
  private readonly nameOf = new Map<number, string>();
  private readonly sources: RejectorSources;
  private readonly logger = new Logger('Rejector');
  private unsubscribe: (() => void) | null = null;
  private listener: LiveSetsListener | null = null;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(CAVEAT_CONFIG) private readonly config: CaveatConfig,
    @Inject(ModelsService) models: ModelsService,
    @Inject(RuleSetStore) ruleSets: RuleSetStore,
    @Inject(RuleSetEvents) private readonly events: RuleSetEvents,
    @Inject(CalibrationService) calibration: CalibrationService,
    @Inject(ConceptsService) concepts: ConceptsService,
  ) {
    this.sources = { db, models, ruleSets, calibration, attributeConcepts: (name) => concepts.attributeConcepts(name) };
  }

  /**
   * How long a loaded rejector serves before the cache checks (in the background, one small
   * query) whether anything it depends on changed. Every change made through the service
   * (rule sets, calibrators, cost policies, attribute concepts, settings, detectors) reloads at
   * once through events (in process) and NOTIFY (other processes); this interval is the backstop
   * for a new version that announced nothing (inserted by hand): within it
   * (CaveatConfig.rejectorRefreshMs, 1 s by default) plus one load. The fingerprint does not see
   * a row edited in place; POST …/rejector/reload does.
   */
  get refreshMs(): number {
    return this.config.rejectorRefreshMs;
  }

  onModuleInit(): void {
    this.unsubscribe = this.events.onChange((change) => this.invalidate(change.modelId));
    if (this.db.kind === 'postgres' && this.config.databaseUrl) {
      this.listener = new LiveSetsListener(this.config.databaseUrl, RuleSetEvents.CHANNEL, {
        notified: (payload) => this.notified(payload),
        listening: () => this.invalidateAll(),
        error: (e) => this.logger.warn(`LISTEN ${RuleSetEvents.CHANNEL}: ${e.message}; reconnecting`),
      });
      this.listener.start();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.listener?.stop();
  }

  /** The model's rejector if it is loaded and current (no promise on this path); starts a background check when due. */
  peek(modelName: string): LoadedRejector | undefined {
    const s = this.slots.get(modelName);
    if (s === undefined || s.entry === null || s.generation !== s.loadedGeneration) return undefined;
    if (!s.checking && s.loading === null && performance.now() - s.checkedAt > this.config.rejectorRefreshMs) void this.check(modelName, s);
    return s.entry;
  }

  async get(modelName: string): Promise<LoadedRejector> {
    return this.peek(modelName) ?? this.load(modelName);
  }

  /** Drops the model's rejector and loads it again now. */
  async reload(modelName: string): Promise<LoadedRejector> {
    const s = this.slots.get(modelName);
    if (s) s.generation++;
    return this.load(modelName);
  }

  /** Marks the model's rejector stale: the next decision waits for a fresh one. */
  invalidate(modelId: number): void {
    const name = this.nameOf.get(modelId);
    const s = name === undefined ? undefined : this.slots.get(name);
    if (s) s.generation++;
  }

  invalidateAll(): void {
    for (const s of this.slots.values()) s.generation++;
  }

  /** Rebuilds the model's rejector now, here and (by NOTIFY) in the service's other processes. */
  async reloadEverywhere(modelName: string): Promise<LoadedRejector> {
    const r = await this.reload(modelName);
    await notifyLiveSetChange(this.db, this.db.dataSource, { modelId: r.modelId, reason: 'reload' }, this.events);
    return r;
  }

  private notified(payload: string): void {
    let change: { modelId?: unknown; reason?: unknown; origin?: unknown } | null = null;
    try {
      change = JSON.parse(payload);
    } catch {
      // not ours to read: reload everything rather than miss a change
    }
    if (change?.origin === this.events.origin) return; // our own change, already applied by the event
    if (typeof change?.modelId !== 'number') return this.invalidateAll();
    const reason = typeof change.reason === 'string' ? change.reason : 'changed';
    // Re-emitted in process (RuleSetEvents' contract), which invalidates through onModuleInit's subscription.
    this.events.emit({ modelId: change.modelId, reason: reason as LiveSetChange['reason'] });
  }

  private load(modelName: string): Promise<LoadedRejector> {
    let s = this.slots.get(modelName);
    if (s === undefined) {
      s = { entry: null, loading: null, generation: 0, loadedGeneration: -1, checkedAt: 0, checking: false, failedLoad: false };
      this.slots.set(modelName, s);
    }
    const slot = s;
    slot.loading ??= (async () => {
      try {
        for (;;) {
          const generation = slot.generation;
          let entry: LoadedRejector;
          let failed = false;
          try {
            entry = await loadRejector(this.sources, modelName);
          } catch (e) {
            if (e instanceof CaveatError && e.code === 'not_found') {
              if (slot.entry === null) this.slots.delete(modelName);
              throw e;
            }
            entry = failedLoad(slot.entry, modelName, e);
            failed = true;
            this.logger.error(`loading the rejector of '${modelName}' failed: ${entry.failure}`);
          }
          if (generation !== slot.generation) continue; // invalidated while loading: load again
          slot.entry = entry;
          slot.loadedGeneration = generation;
          slot.checkedAt = performance.now();
          slot.failedLoad = failed;
          if (entry.modelId > 0) this.nameOf.set(entry.modelId, modelName);
          return entry;
        }
      } finally {
        slot.loading = null;
      }
    })();
    return slot.loading;
  }

  /** Background check: reload when the fingerprint moved (or the last load failed); keep serving meanwhile. */
  private async check(modelName: string, s: Slot): Promise<void> {
    s.checking = true;
    s.checkedAt = performance.now();
    try {
      if (s.failedLoad || (await readFingerprint(this.db, s.entry!.modelId)) !== s.entry!.fingerprint) await this.load(modelName);
    } catch (e) {
      // The database is unreachable: keep the loaded rejector; the next check tries again.
      this.logger.warn(`checking the rejector of '${modelName}' failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      s.checking = false;
    }
  }
}

/**
 * The rejector when loading failed for another reason than a missing model (the database is
 * down, a bug): every decision follows the fail mode, with the last known settings and classes.
 */
function failedLoad(previous: LoadedRejector | null, modelName: string, e: unknown): LoadedRejector {
  const why = `the rejector could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
  const base: LoadedRejector = previous ?? {
    modelId: 0,
    modelName,
    classes: null,
    policy: undefined,
    policyVersion: null,
    active: null,
    noRules: prepareRejector({ rules: [] }),
    shadow: null,
    calibrator: null,
    settings: { ...DEFAULT_REJECTOR_SETTINGS },
    decisionSettings: decisionSettings({ policy: undefined, calibrator: null, settings: DEFAULT_REJECTOR_SETTINGS }),
    failure: null,
    shadowFailure: null,
    fingerprint: '',
    loadedAt: new Date(),
    textDetectors: [],
    attributeConcepts: [],
    flagVocabulary: null,
  };
  return { ...base, failure: why, shadow: null, fingerprint: '', loadedAt: new Date() };
}
