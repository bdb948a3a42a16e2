import type { QueryRunner } from 'typeorm';
import { buildVocabularyIndex, normalizeFreeText } from '../core/concepts/vocabulary-matcher';
import { historyEvent } from './concept-view';

/** Where a piece of free text came from: an annotation task or a failure report on an item. */
export interface FreeTextSource {
  modelId: number;
  predictionId: string;
  annotatorId: number;
  taskId?: number;
  reportId?: number;
}

export interface FreeTextOutcome {
  /** Vocabulary concepts the text mentions (recorded as mentions). */
  matched: Array<{ conceptId: number; name: string; phrase: string; kind: 'stem' | 'jaro-winkler' | 'contains'; score: number }>;
  /** Phrases that matched nothing: each is now a proposed concept (new, or an existing proposal with the same name). */
  proposed: Array<{ conceptId: number; name: string; phrase: string; created: boolean }>;
}

// A proposal's name is its phrase, lower-cased and cut to the longest name a concept may have.
const MAX_NAME = 200;

/**
 * DESIGN §3's free-text path inside the caller's transaction: the text is normalized against the
 * model's live vocabulary (accepted and proposed concepts, names and aliases) with
 * src/core/concepts; every match is recorded as a mention, and every unmatched phrase becomes a
 * proposed concept (or a mention of the proposal already holding that name; a name taken by a
 * merged concept counts for its target).
 */
export async function recordFreeText(runner: QueryRunner, text: string, source: FreeTextSource): Promise<FreeTextOutcome> {
  const vocabulary: Array<{ id: number; name: string; aliases: string[] }> = await runner.query(
    `SELECT id, name, aliases FROM concepts WHERE model_id = $1 AND status IN ('accepted', 'proposed') ORDER BY id`,
    [source.modelId],
  );
  const index = buildVocabularyIndex(vocabulary.map((c) => ({ id: String(c.id), name: c.name, aliases: c.aliases })));
  const { matches, proposals } = normalizeFreeText(index, text);
  const outcome: FreeTextOutcome = { matched: [], proposed: [] };
  const mention = (conceptId: number, phrase: string, kind: string, score: number | null) =>
    runner.query(
      `INSERT INTO concept_mentions (concept_id, prediction_id, annotator_id, task_id, report_id, phrase, match_kind, score)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [conceptId, source.predictionId, source.annotatorId, source.taskId ?? null, source.reportId ?? null, phrase.slice(0, 2000), kind, score],
    );
  for (const m of matches) {
    const conceptId = Number(m.conceptId);
    await mention(conceptId, m.phrase, m.kind, m.score);
    outcome.matched.push({ conceptId, name: m.conceptName, phrase: m.phrase, kind: m.kind, score: m.score });
  }
  const seen = new Set<number>();
  for (const p of proposals) {
    const name = p.text.toLowerCase().replace(/\s+/g, ' ').trim().slice(0, MAX_NAME).trim();
    if (name === '') continue;
    const inserted: Array<{ id: number }> = await runner.query(
      `INSERT INTO concepts (model_id, name, kind, status, history) VALUES ($1, $2, 'crowd', 'proposed', $3)
       ON CONFLICT (model_id, lower(name)) DO NOTHING RETURNING id`,
      [source.modelId, name, JSON.stringify([historyEvent({ event: 'proposed', phrase: p.text })])],
    );
    let conceptId: number;
    let created = inserted.length > 0;
    if (created) conceptId = inserted[0].id;
    else {
      // Taken: a retired concept, or one merged into another (then the mention goes to the target).
      const [existing] = await runner.query(`SELECT id, merged_into FROM concepts WHERE model_id = $1 AND lower(name) = lower($2)`, [source.modelId, name]);
      conceptId = existing.merged_into ?? existing.id;
      created = false;
    }
    if (seen.has(conceptId)) continue;
    seen.add(conceptId);
    await mention(conceptId, p.text, 'proposal', null);
    outcome.proposed.push({ conceptId, name, phrase: p.text, created });
  }
  return outcome;
}
