import { Inject, Injectable } from '@nestjs/common';
import type { TopLevelCondition } from 'json-rules-engine';
import type { QueryRunner } from 'typeorm';
import { suggestConcepts } from '../core/concepts/concept-suggest';
import { groupProposals } from '../core/concepts/proposal-grouping';
import { normalizePhrase } from '../core/concepts/text-normalizer';
import { buildVocabularyIndex, matchPhrase } from '../core/concepts/vocabulary-matcher';
import { CaveatError, invalid } from '../core/errors';
import { Database } from '../database/database';
import { isUniqueViolation } from '../database/pg-errors';
import { ModelsService } from '../models/models.service';
import { RuleSetEvents, notifyLiveSetChange, type LiveSetChange } from '../rule-sets/rule-set-events';
import { checkCondition, computeAttributeValues, type AttributeEvaluation } from './attribute-values';
import { CONCEPT_SELECT, historyEvent, toConceptView, type ConceptKind, type ConceptRow, type ConceptStatus, type ConceptView } from './concept-view';
import type { CreateConceptDto } from './dto/create-concept.dto';
import type { UpdateConceptDto } from './dto/update-concept.dto';
import { cleanName } from './id-param';

export interface ProposalGroupView {
  /** Phrasings of the group, most mentioned first: "dim lighting / low light / too dark". */
  label: string;
  mentions: number;
  concepts: Array<{ id: number; name: string; mentions: number }>;
  /** An accepted concept the group's phrasings resemble (a merge target to consider), if any. */
  suggestedTarget: { id: number; name: string } | null;
}

export interface MergeResult {
  concept: ConceptView;
  merged: ConceptView;
  /** Rows re-pointed from the merged concept to the target. */
  moved: { answers: number; mentions: number; gold: number; campaigns: number };
  /** Gold answers dropped because the target already had one for the same item. */
  goldConflicts: number;
}

interface LockedConcept {
  id: number;
  name: string;
  aliases: string[];
  kind: ConceptKind;
  status: ConceptStatus;
  history: unknown[];
}

/** The per-model concept vocabulary (DESIGN §3): curation (accept, rename, merge, retire), proposals, typeahead, attribute concepts. */
@Injectable()
export class ConceptsService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
    @Inject(RuleSetEvents) private readonly events: RuleSetEvents,
  ) {}

  /**
   * The rejector resolves accepted attribute concepts by their conditions: a write that changes
   * one tells every process, by NOTIFY inside the transaction (delivered at commit) here, and by
   * the in-process event once committed (`emitted`).
   */
  private async attributesChanged(runner: QueryRunner, modelId: number): Promise<LiveSetChange> {
    const change: LiveSetChange = { modelId, reason: 'attribute-concepts' };
    await notifyLiveSetChange(this.db, runner, change, this.events);
    return change;
  }

  private emitted(change: LiveSetChange | null): void {
    if (change !== null) this.events.emit(change);
  }

  async create(modelName: string, dto: CreateConceptDto): Promise<ConceptView & { evaluation?: AttributeEvaluation }> {
    const model = await this.models.load(modelName);
    const name = requireName(dto.name, 'name');
    const kind = dto.kind ?? 'crowd';
    if (kind === 'attribute' && dto.condition === undefined) throw invalid('condition', 'is required for an attribute concept');
    if (kind !== 'attribute' && dto.condition !== undefined) throw invalid('condition', `only attribute concepts have a condition (kind is '${kind}')`);
    const status = dto.status ?? 'accepted';
    const aliases = cleanAliases(dto.aliases ?? [], name);
    try {
      const { id, evaluation, change } = await this.db.transaction(async (runner) => {
        const condition = kind === 'attribute' ? await checkCondition(runner, model.entity.id, dto.condition) : null;
        const [row] = await runner.query(
          `INSERT INTO concepts (model_id, name, description, aliases, kind, status, condition, history)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [model.entity.id, name, dto.description ?? '', aliases, kind, status, condition === null ? null : JSON.stringify(condition), JSON.stringify([historyEvent({ event: 'created' })])],
        );
        const evaluation = condition ? await computeAttributeValues(runner, model.entity.id, row.id, condition) : undefined;
        const change = kind === 'attribute' && status === 'accepted' ? await this.attributesChanged(runner, model.entity.id) : null;
        return { id: row.id as number, evaluation, change };
      });
      this.emitted(change);
      const view = await this.get(modelName, id);
      return evaluation ? { ...view, evaluation } : view;
    } catch (e) {
      if (isUniqueViolation(e)) throw new CaveatError('conflict', `model '${modelName}' already has a concept named '${name}'`, { field: 'name' });
      throw e;
    }
  }

  async list(modelName: string, filter: { status?: string; kind?: string }): Promise<ConceptView[]> {
    const model = await this.models.load(modelName);
    const params: unknown[] = [model.entity.id];
    let where = 'WHERE c.model_id = $1';
    if (filter.status !== undefined) where += ` AND c.status = $${params.push(filter.status)}`;
    if (filter.kind !== undefined) where += ` AND c.kind = $${params.push(filter.kind)}`;
    const rows: ConceptRow[] = await this.db.dataSource.query(`${CONCEPT_SELECT} ${where} ORDER BY c.name`, params);
    return rows.map(toConceptView);
  }

  async get(modelName: string, id: number): Promise<ConceptView> {
    const model = await this.models.load(modelName);
    const rows: ConceptRow[] = await this.db.dataSource.query(`${CONCEPT_SELECT} WHERE c.id = $1 AND c.model_id = $2`, [id, model.entity.id]);
    if (rows.length === 0) throw new CaveatError('not_found', `no concept ${id} in model '${modelName}'`, { field: 'id' });
    return toConceptView(rows[0]);
  }

  async update(modelName: string, id: number, dto: UpdateConceptDto): Promise<ConceptView & { evaluation?: AttributeEvaluation }> {
    const model = await this.models.load(modelName);
    const { evaluation, change } = await this.db.transaction(async (runner) => {
      const c = await this.lock(runner, model.entity.id, id, modelName);
      if (dto.condition !== undefined && c.kind !== 'attribute') throw invalid('condition', `only attribute concepts have a condition (kind is '${c.kind}')`);
      const condition = dto.condition !== undefined ? await checkCondition(runner, model.entity.id, dto.condition) : null;
      await runner.query(
        `UPDATE concepts SET description = COALESCE($2, description), aliases = COALESCE($3, aliases), condition = COALESCE($4, condition),
                history = history || $5::jsonb, updated_at = now() WHERE id = $1`,
        [id, dto.description ?? null, dto.aliases ? cleanAliases(dto.aliases, c.name) : null, condition ? JSON.stringify(condition) : null, JSON.stringify([historyEvent({ event: 'updated' })])],
      );
      return {
        evaluation: condition ? await computeAttributeValues(runner, model.entity.id, id, condition) : undefined,
        change: condition && c.status === 'accepted' ? await this.attributesChanged(runner, model.entity.id) : null,
      };
    });
    this.emitted(change);
    const view = await this.get(modelName, id);
    return evaluation ? { ...view, evaluation } : view;
  }

  /** proposed or retired → accepted; accepting an accepted concept changes nothing. */
  async accept(modelName: string, id: number): Promise<ConceptView> {
    return this.transition(modelName, id, 'accepted', (c) => {
      if (c.status === 'merged') throw new CaveatError('conflict', `concept '${c.name}' was merged into another; accept that one instead`, { field: 'id' });
    });
  }

  /** proposed or accepted → retired: no longer offered in tasks or suggestions; its labels stay. */
  async retire(modelName: string, id: number): Promise<ConceptView> {
    return this.transition(modelName, id, 'retired', (c) => {
      if (c.status === 'merged') throw new CaveatError('conflict', `concept '${c.name}' was merged into another and cannot be retired`, { field: 'id' });
    });
  }

  /** Renames a concept; the old name stays in its history (and free text written with it keeps matching through an alias). */
  async rename(modelName: string, id: number, newName: string): Promise<ConceptView> {
    const model = await this.models.load(modelName);
    const name = requireName(newName, 'name');
    try {
      const change = await this.db.transaction(async (runner) => {
        const c = await this.lock(runner, model.entity.id, id, modelName);
        if (c.status === 'merged') throw new CaveatError('conflict', `concept '${c.name}' was merged into another and cannot be renamed`, { field: 'id' });
        if (c.name === name) return null;
        const aliases = cleanAliases([...c.aliases, c.name], name);
        await runner.query(`UPDATE concepts SET name = $2, aliases = $3, history = history || $4::jsonb, updated_at = now() WHERE id = $1`, [
          id,
          name,
          aliases,
          JSON.stringify([historyEvent({ event: 'renamed', from: c.name, to: name })]),
        ]);
        return c.kind === 'attribute' && c.status === 'accepted' ? this.attributesChanged(runner, model.entity.id) : null;
      });
      this.emitted(change);
    } catch (e) {
      if (isUniqueViolation(e)) throw new CaveatError('conflict', `model '${modelName}' already has a concept named '${name}'`, { field: 'name' });
      throw e;
    }
    return this.get(modelName, id);
  }

  /**
   * Merges concept `id` into `into` in one transaction: its answers, mentions, gold answers and
   * campaign slots are re-pointed to the target (labels follow the merge), its name and aliases
   * become aliases of the target, and concepts merged into it earlier now point at the target.
   * Stored aggregation runs keep their posteriors; the next run aggregates the merged labels.
   */
  async merge(modelName: string, id: number, into: number): Promise<MergeResult> {
    const model = await this.models.load(modelName);
    if (id === into) throw invalid('into', 'a concept cannot be merged into itself');
    const result = await this.db.transaction(async (runner) => {
      // Lock both rows in id order so two opposite merges cannot deadlock.
      const [first, second] = id < into ? [id, into] : [into, id];
      const a = await this.lock(runner, model.entity.id, first, modelName, first === into ? 'into' : 'id');
      const b = await this.lock(runner, model.entity.id, second, modelName, second === into ? 'into' : 'id');
      const source = a.id === id ? a : b;
      const target = a.id === into ? a : b;
      if (source.status === 'merged') throw new CaveatError('conflict', `concept '${source.name}' is already merged`, { field: 'id' });
      if (target.status === 'merged' || target.status === 'retired') {
        throw new CaveatError('conflict', `concept '${target.name}' is ${target.status}: merge into a proposed or accepted concept`, { field: 'into' });
      }
      if (source.kind === 'attribute' || target.kind === 'attribute') {
        throw new CaveatError('unprocessable', 'attribute concepts are computed from a condition and cannot be merged; edit the condition instead', { field: source.kind === 'attribute' ? 'id' : 'into' });
      }
      const count = async (sql: string): Promise<number> => (await runner.query(sql, [source.id, target.id], true)).affected ?? 0;
      const answers = await count(`UPDATE concept_answers SET concept_id = $2 WHERE concept_id = $1`);
      const mentions = await count(`UPDATE concept_mentions SET concept_id = $2 WHERE concept_id = $1`);
      const gold = await count(
        `INSERT INTO concept_gold (prediction_id, concept_id, answer, set_at)
         SELECT prediction_id, $2, answer, set_at FROM concept_gold WHERE concept_id = $1 ON CONFLICT DO NOTHING`,
      );
      const goldTotal = (await runner.query(`DELETE FROM concept_gold WHERE concept_id = $1`, [source.id], true)).affected ?? 0;
      const campaigns = await count(
        `INSERT INTO campaign_concepts (campaign_id, concept_id, position)
         SELECT campaign_id, $2, position FROM campaign_concepts WHERE concept_id = $1 ON CONFLICT DO NOTHING`,
      );
      await runner.query(`DELETE FROM campaign_concepts WHERE concept_id = $1`, [source.id]);
      await count(`UPDATE concepts SET merged_into = $2, updated_at = now() WHERE merged_into = $1`);
      await runner.query(`UPDATE concepts SET status = 'merged', merged_into = $2, history = history || $3::jsonb, updated_at = now() WHERE id = $1`, [
        source.id,
        target.id,
        JSON.stringify([historyEvent({ event: 'merged', concept: { id: target.id, name: target.name } })]),
      ]);
      await runner.query(`UPDATE concepts SET aliases = $2, history = history || $3::jsonb, updated_at = now() WHERE id = $1`, [
        target.id,
        cleanAliases([...target.aliases, source.name, ...source.aliases], target.name),
        JSON.stringify([historyEvent({ event: 'absorbed', concept: { id: source.id, name: source.name } })]),
      ]);
      return { moved: { answers, mentions, gold, campaigns }, goldConflicts: goldTotal - gold };
    });
    return { concept: await this.get(modelName, into), merged: await this.get(modelName, id), ...result };
  }

  /** Proposed concepts grouped by TF-IDF cosine of their stems (src/core/concepts/proposal-grouping.ts), most mentioned first. */
  async proposals(modelName: string, threshold?: number): Promise<ProposalGroupView[]> {
    const model = await this.models.load(modelName);
    const rows: Array<{ id: number; name: string; aliases: string[]; status: ConceptStatus; mentions: number }> = await this.db.dataSource.query(
      `SELECT c.id, c.name, c.aliases, c.status, (SELECT count(*)::int FROM concept_mentions x WHERE x.concept_id = c.id) AS mentions
         FROM concepts c WHERE c.model_id = $1 AND c.status IN ('proposed', 'accepted') ORDER BY c.id`,
      [model.entity.id],
    );
    const proposed = rows.filter((r) => r.status === 'proposed');
    const accepted = buildVocabularyIndex(rows.filter((r) => r.status === 'accepted').map((r) => ({ id: String(r.id), name: r.name, aliases: r.aliases })));
    const byKey = new Map<string, typeof proposed>();
    for (const p of proposed) {
      const key = normalizePhrase(p.name).key;
      byKey.set(key, [...(byKey.get(key) ?? []), p]);
    }
    const groups = groupProposals(
      proposed.map((p) => ({ text: p.name, count: Math.max(1, p.mentions) })),
      threshold === undefined ? {} : { threshold },
    );
    return groups.map((g) => {
      const concepts = g.members.flatMap((m) => (byKey.get([...new Set(m.stems)].sort().join(' ')) ?? []).map((c) => ({ id: c.id, name: c.name, mentions: c.mentions })));
      let suggestedTarget: ProposalGroupView['suggestedTarget'] = null;
      for (const m of g.members) {
        const hit = matchPhrase(accepted, m.text);
        if (hit) {
          suggestedTarget = { id: Number(hit.conceptId), name: hit.conceptName };
          break;
        }
      }
      return { label: g.label, mentions: g.mentions, concepts, suggestedTarget };
    });
  }

  /** Typeahead over accepted and proposed concepts' names and aliases (src/core/concepts/concept-suggest.ts). */
  async suggest(modelName: string, query: string, limit: number) {
    const model = await this.models.load(modelName);
    const rows: Array<{ id: number; name: string; aliases: string[]; status: ConceptStatus; description: string }> = await this.db.dataSource.query(
      `SELECT id, name, aliases, status, description FROM concepts WHERE model_id = $1 AND status IN ('accepted', 'proposed') ORDER BY id`,
      [model.entity.id],
    );
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    // Accepted concepts rank before proposals at the same match quality.
    const accepted = suggestConcepts(rows.filter((r) => r.status === 'accepted').map(vocab), query, limit);
    const proposed = suggestConcepts(rows.filter((r) => r.status === 'proposed').map(vocab), query, limit);
    const merged = [...accepted, ...proposed].sort((a, b) => a.tier - b.tier || b.score - a.score).slice(0, limit);
    return merged.map((s) => {
      const r = byId.get(s.conceptId)!;
      return { id: r.id, name: r.name, matched: s.matched, via: s.via, status: r.status, description: r.description };
    });
  }

  /** Recomputes an attribute concept for every item of the model (after new predictions arrive). */
  async evaluate(modelName: string, id: number): Promise<AttributeEvaluation> {
    const model = await this.models.load(modelName);
    return this.db.transaction(async (runner) => {
      const c = await this.lock(runner, model.entity.id, id, modelName);
      if (c.kind !== 'attribute') throw new CaveatError('unprocessable', `concept '${c.name}' is a ${c.kind} concept; only attribute concepts are computed`, { field: 'id' });
      const [{ condition }] = await runner.query(`SELECT condition FROM concepts WHERE id = $1`, [id]);
      return computeAttributeValues(runner, model.entity.id, id, condition as TopLevelCondition);
    });
  }

  /** Accepted attribute concepts of a model as the rejector takes them ({name, conditions}). */
  async attributeConcepts(modelName: string): Promise<Array<{ name: string; conditions: TopLevelCondition }>> {
    const model = await this.models.load(modelName);
    const rows: Array<{ name: string; condition: TopLevelCondition }> = await this.db.dataSource.query(
      `SELECT name, condition FROM concepts WHERE model_id = $1 AND kind = 'attribute' AND status = 'accepted' ORDER BY name`,
      [model.entity.id],
    );
    return rows.map((r) => ({ name: r.name, conditions: r.condition }));
  }

  private async transition(modelName: string, id: number, to: 'accepted' | 'retired', check: (c: LockedConcept) => void): Promise<ConceptView> {
    const model = await this.models.load(modelName);
    const change = await this.db.transaction(async (runner) => {
      const c = await this.lock(runner, model.entity.id, id, modelName);
      check(c);
      if (c.status === to) return null;
      await runner.query(`UPDATE concepts SET status = $2, history = history || $3::jsonb, updated_at = now() WHERE id = $1`, [
        id,
        to,
        JSON.stringify([historyEvent({ event: to, from: c.status })]),
      ]);
      return c.kind === 'attribute' ? this.attributesChanged(runner, model.entity.id) : null;
    });
    this.emitted(change);
    return this.get(modelName, id);
  }

  private async lock(runner: QueryRunner, modelId: number, id: number, modelName: string, field = 'id'): Promise<LockedConcept> {
    const rows: LockedConcept[] = await runner.query(`SELECT id, name, aliases, kind, status, history FROM concepts WHERE id = $1 AND model_id = $2 FOR UPDATE`, [id, modelId]);
    if (rows.length === 0) throw new CaveatError('not_found', `no concept ${id} in model '${modelName}'`, { field });
    return rows[0];
  }
}

const vocab = (r: { id: number; name: string; aliases: string[] }) => ({ id: String(r.id), name: r.name, aliases: r.aliases });

function requireName(raw: string, field: string): string {
  const name = cleanName(raw);
  if (name === '') throw invalid(field, 'must not be blank');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw invalid(field, 'must not contain control characters');
  return name;
}

/** Distinct (case-insensitive) cleaned aliases, without the concept's own name. */
function cleanAliases(aliases: readonly string[], name: string): string[] {
  const seen = new Set([name.toLowerCase()]);
  const out: string[] = [];
  aliases.forEach((a) => {
    const alias = cleanName(a);
    if (alias === '' || seen.has(alias.toLowerCase())) return;
    seen.add(alias.toLowerCase());
    out.push(alias);
  });
  return out;
}
