import type { CalibrationService } from '../calibration/calibration.service';
import { applyCalibrator, parseCalibrator } from '../core/calibration/calibrator';
import { textDetectors } from '../core/detectors/text-detectors';
import { prepareRejector, type AttributeConcept, type TextDetectors } from '../core/rejection/rejector';
import { referencedConcepts, type CaveatRule } from '../core/rejection/rule-model';
import { formatIssue, validateRules } from '../core/rejection/rule-validation';
import type { Database } from '../database/database';
import type { ModelsService } from '../models/models.service';
import type { RuleSetEntity } from '../rule-sets/rule-set.entity';
import type { RuleSetStore } from '../rule-sets/rule-set-store';
import { FlagVocabulary } from './flag-scan';
import { DEFAULT_REJECTOR_SETTINGS, decisionSettings, type LoadedRejector, type LoadedSet } from './loaded-rejector';
import { loadTextDetectors, readSettingsRow } from './rejector-reads';

/** What loading a rejector reads from. */
export interface RejectorSources {
  db: Database;
  models: ModelsService;
  ruleSets: RuleSetStore;
  calibration: CalibrationService;
  /** Accepted attribute concepts of a model ({name, conditions}), from issue 5's concept vocabulary. */
  attributeConcepts: (modelName: string) => Promise<AttributeConcept[]>;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * One query whose answer changes whenever anything a decision depends on changes: the newest
 * policy version, the live rule-set versions, the active calibrator, the settings, the text
 * detectors and the accepted attribute concepts. The cache compares it on a short interval.
 */
export async function readFingerprint(db: Database, modelId: number): Promise<string> {
  // In a transaction, so that on the embedded database (one session behind the socket server)
  // the decision-log writer's messages cannot run between this query's Parse and Bind.
  const [row] = await db.transaction((runner) => runner.query(
    `SELECT concat_ws('|',
       COALESCE((SELECT max(version)::text FROM cost_policies WHERE model_id = $1), '-'),
       COALESCE((SELECT string_agg(state || version, ',' ORDER BY state) FROM rule_sets WHERE model_id = $1 AND state IN ('active', 'shadow')), '-'),
       COALESCE((SELECT version::text FROM calibrators WHERE model_id = $1 AND active), '-'),
       COALESCE((SELECT updated_at::text FROM rejector_settings WHERE model_id = $1), '-'),
       (SELECT count(*) || ':' || COALESCE(max(id), 0) FROM text_detectors WHERE model_id = $1),
       (SELECT count(*) || ':' || COALESCE(max(updated_at)::text, '-') FROM concepts WHERE model_id = $1 AND kind = 'attribute' AND status = 'accepted')
     ) AS fp`,
      [modelId],
    ),
  );
  return row.fp as string;
}

/**
 * Builds a model's in-memory rejector (DESIGN §5). A model that does not exist throws
 * (not_found); any other failure is kept in `failure` (every decision then follows the fail
 * mode) or, for the shadow set, in `shadowFailure` (the shadow is then not evaluated).
 */
export async function loadRejector(src: RejectorSources, modelName: string): Promise<LoadedRejector> {
  const model = await src.models.load(modelName);
  const modelId = model.entity.id;
  const fingerprint = await readFingerprint(src.db, modelId);
  const [settingsRow, sets, calibrator, detectors, attributeConcepts] = await Promise.all([
    readSettingsRow(src.db, modelId),
    src.ruleSets.liveSets(modelId),
    src.calibration.active(modelId),
    settle(() => loadTextDetectors(src.db, modelId)),
    settle(() => src.attributeConcepts(modelName)),
  ]);
  const failures: string[] = [];
  let text: TextDetectors | undefined;
  if ('error' in detectors) failures.push(detectors.error);
  else if (detectors.value.length > 0) text = textDetectors(detectors.value);
  if ('error' in attributeConcepts) failures.push(`the attribute concepts cannot be read: ${attributeConcepts.error}`);
  const concepts = 'value' in attributeConcepts ? attributeConcepts.value : [];

  let calibration: LoadedRejector['calibrator'] = null;
  if (calibrator) {
    try {
      const parsed = parseCalibrator(calibrator.calibrator);
      calibration = { version: calibrator.version, apply: (c) => applyCalibrator(parsed, c) };
    } catch (e) {
      failures.push(`the active calibrator (version ${calibrator.version}) is invalid: ${message(e)}`);
    }
  }
  let active: LoadedSet | null = null;
  if (sets.active) {
    try {
      active = prepareSet(sets.active, concepts, text);
    } catch (e) {
      failures.push(message(e));
    }
  }
  let shadow: LoadedSet | null = null;
  let shadowFailure: string | null = null;
  if (sets.shadow) {
    try {
      shadow = prepareSet(sets.shadow, concepts, text);
    } catch (e) {
      shadowFailure = message(e);
    }
  }
  const settings = settingsRow ? { failMode: settingsRow.failMode, unresolvedConcepts: settingsRow.unresolvedConcepts } : { ...DEFAULT_REJECTOR_SETTINGS };
  return {
    modelId,
    modelName,
    classes: new Set(model.entity.classes),
    policy: model.policy,
    policyVersion: model.policyVersion,
    active,
    noRules: prepareRejector({ rules: [] }),
    shadow,
    calibrator: calibration,
    settings,
    decisionSettings: decisionSettings({ policy: model.policy, calibrator: calibration, settings }),
    failure: failures.length > 0 ? failures.join('; ') : null,
    shadowFailure,
    fingerprint,
    loadedAt: new Date(),
    textDetectors: text ? text.detectors.map((d) => d.concept) : [],
    attributeConcepts: concepts.map((c) => c.name),
    flagVocabulary: FlagVocabulary.of([active?.prepared, shadow?.prepared]),
  };
}

/**
 * Checks a stored rule set (it was validated when stored, but a bad row must fail here, not
 * inside a decision) and compiles it with the attribute concepts its rules read.
 */
export function prepareSet(row: Pick<RuleSetEntity, 'version' | 'rules'>, attributeConcepts: readonly AttributeConcept[], text: TextDetectors | undefined): LoadedSet {
  const values = Array.isArray(row.rules) ? row.rules.map(withoutSource) : null;
  if (values === null) throw new Error(`rule set version ${row.version} cannot be compiled: its rules are not a list`);
  const { rules, issues } = validateRules(values, 'induced');
  if (issues.length > 0) {
    const shown = issues.slice(0, 3).map(formatIssue).join('; ');
    throw new Error(`rule set version ${row.version} cannot be compiled: ${shown}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`);
  }
  const used = new Set(referencedConcepts(rules));
  try {
    const prepared = prepareRejector({ rules, attributeConcepts: attributeConcepts.filter((c) => used.has(c.name)), text });
    return { version: row.version, prepared };
  } catch (e) {
    throw new Error(`rule set version ${row.version} cannot be compiled: ${message(e)}`, { cause: e });
  }
}

/** Stored rules carry their `source`, which is not part of the rule-file shape the validator checks. */
function withoutSource(rule: unknown): unknown {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return rule;
  const { source: _source, ...rest } = rule as CaveatRule & Record<string, unknown>;
  return rest;
}

async function settle<T>(work: () => Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await work() };
  } catch (e) {
    return { error: message(e) };
  }
}
