import type { CostPolicy } from '../core/cost/cost-policy';
import { failedDecision, type Decision, type DecisionSettings } from '../core/rejection/decide';
import type { PreparedRejector } from '../core/rejection/rejector';
import type { FlagVocabulary } from './flag-scan';

/** Per-model rejector settings (table rejector_settings). */
export interface RejectorSettings {
  /** What an internal failure does: 'closed' rejects (default), 'open' accepts. */
  failMode: 'closed' | 'open';
  /** What a concept the rules read but the request cannot resolve does: 'ignore' (default) or 'reject'. */
  unresolvedConcepts: 'ignore' | 'reject';
}

export const DEFAULT_REJECTOR_SETTINGS: Readonly<RejectorSettings> = Object.freeze({ failMode: 'closed', unresolvedConcepts: 'ignore' });

/** A rule set compiled for deciding. */
export interface LoadedSet {
  version: number;
  prepared: PreparedRejector;
}

/**
 * Everything a decision needs for one model, built once and held in memory (DESIGN §5): the
 * compiled active and shadow sets, the calibrator, the cost policy and the settings, so that a
 * decision reads nothing from the database.
 */
export interface LoadedRejector {
  modelId: number;
  modelName: string;
  /** The model's classes; null only when the load failed before the model was read. */
  classes: ReadonlySet<string> | null;
  policy: CostPolicy | undefined;
  policyVersion: number | null;
  /** The active set; null when the model has none (the cost threshold alone decides, with `noRules`). */
  active: LoadedSet | null;
  /** An empty rule set: the threshold-only rejector used when there is no active set. */
  noRules: PreparedRejector;
  shadow: LoadedSet | null;
  calibrator: { version: number; apply: (c: number) => number } | null;
  settings: RejectorSettings;
  /** The policy, calibrator and settings as decideChecked takes them (decisionSettings), made once per load. */
  decisionSettings: DecisionSettings;
  /** Why every decision must fail (the fail mode applies), or null when the rejector is whole. */
  failure: string | null;
  /** Why the shadow set cannot be evaluated, or null. */
  shadowFailure: string | null;
  /** Versions of the live rule sets, active calibrator, policy, settings, detectors and attribute concepts when loaded. */
  fingerprint: string;
  loadedAt: Date;
  textDetectors: string[];
  attributeConcepts: string[];
  /** The concepts the active and shadow sets read, whose flags the decide routes read natively; null when none or no scanner. */
  flagVocabulary: FlagVocabulary | null;
}

/** What decideChecked needs of a loaded rejector. */
export function decisionSettings(r: Pick<LoadedRejector, 'policy' | 'calibrator' | 'settings'>): DecisionSettings {
  return { policy: r.policy, calibrate: r.calibrator?.apply, unresolvedConcepts: r.settings.unresolvedConcepts, failMode: r.settings.failMode };
}

/** The decision given when the rejector cannot decide: reject (fail closed) or accept (fail open), reason stated. */
export function failureDecision(mode: RejectorSettings['failMode'], why: string): Decision {
  return failedDecision(mode === 'open', 'internal_failure', why);
}
