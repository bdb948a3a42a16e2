import { restoreTextDetector, type TextConceptDetector, type TextDetectorJson } from '../core/detectors/text-detectors';
import type { Database } from '../database/database';
import type { RejectorSettings } from './loaded-rejector';

/** Reads of the rejector's own tables that loading a rejector needs (kept apart from the services, which depend on the cache). */

/** The stored settings of a model, or null when it uses the defaults. */
export async function readSettingsRow(db: Database, modelId: number): Promise<(RejectorSettings & { updatedAt: Date }) | null> {
  const [row] = await db.dataSource.query(`SELECT fail_mode, unresolved_concepts, updated_at FROM rejector_settings WHERE model_id = $1`, [modelId]);
  return row ? { failMode: row.fail_mode, unresolvedConcepts: row.unresolved_concepts, updatedAt: row.updated_at } : null;
}

/** The serving detector of each concept (the newest version), restored for deciding. */
export async function loadTextDetectors(db: Database, modelId: number): Promise<TextConceptDetector[]> {
  const rows: Array<{ concept: string; version: number; definition: TextDetectorJson }> = await db.dataSource.query(
    `SELECT DISTINCT ON (concept) concept, version, definition FROM text_detectors WHERE model_id = $1 ORDER BY concept, version DESC`,
    [modelId],
  );
  return rows.map((r) => {
    try {
      return restoreTextDetector(r.definition);
    } catch (e) {
      throw new Error(`text detector '${r.concept}' v${r.version} cannot be restored: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  });
}
