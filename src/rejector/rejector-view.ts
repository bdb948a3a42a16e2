import type { LoadedRejector } from './loaded-rejector';

/** What GET /models/:name/rejector shows of a model's in-memory rejector. */
export function rejectorView(r: LoadedRejector, refreshMs: number) {
  return {
    model: r.modelName,
    /** The service process that answered: each holds its own copy (CAVEAT_WORKERS). */
    process: process.pid,
    loadedAt: r.loadedAt,
    ruleSetVersion: r.active?.version ?? null,
    rules: r.active?.prepared.rules.length ?? 0,
    shadowVersion: r.shadow?.version ?? null,
    calibratorVersion: r.calibrator?.version ?? null,
    policyVersion: r.policyVersion,
    settings: r.settings,
    textDetectors: r.textDetectors,
    attributeConcepts: r.attributeConcepts,
    /** The concepts whose flags the decide routes read from the body's bytes (flag-scan.ts); empty when JSON.parse reads them all. */
    nativeFlags: r.flagVocabulary?.names ?? [],
    /** Why decisions fail (the fail mode applies); null when the rejector is whole. */
    failure: r.failure,
    shadowFailure: r.shadowFailure,
    refreshMs,
  };
}
