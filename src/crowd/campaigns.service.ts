import { Inject, Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { cleanName } from '../concepts/id-param';
import { CaveatError } from '../core/errors';
import { Database } from '../database/database';
import { isUniqueViolation } from '../database/pg-errors';
import { ModelsService } from '../models/models.service';
import { resolveDesign, type CampaignDesign } from './campaign-design';
import { planExplore, planStratified, type PlannedItem, type SamplingFrame } from './campaign-sampling';
import type { CreateCampaignDto } from './dto/create-campaign.dto';

export interface CampaignView {
  id: number;
  model: string;
  name: string;
  design: CampaignDesign;
  split: string | null;
  status: 'open' | 'closed';
  budget: number;
  labelsPerItem: number;
  showModelAnswer: boolean;
  taskTimeoutSeconds: number;
  concepts: Array<{ id: number; name: string; status: string }>;
  /** Stratified designs: per stratum its population N_h, sample size n_h and π = n_h/N_h. */
  strata: Array<{ key: string; population: number; sampled: number; pi: number }>;
  /** Explore designs: per partition the pulls, hits (confident failures) and items left. */
  arms: Array<{ key: string; pulls: number; hits: number; remaining: number }> | null;
  items: { total: number; stratified: number; discovery: number; report: number };
  progress: { used: number; open: number; submitted: number; remaining: number };
  createdAt: Date;
  closedAt: Date | null;
}

const CAMPAIGN_SELECT = `
  SELECT c.id, m.name AS model, c.name, c.design, c.split, c.status, c.budget, c.labels_per_item AS "labelsPerItem",
         c.show_model_answer AS "showModelAnswer", c.task_timeout_seconds AS "taskTimeoutSeconds", c.strata,
         c.created_at AS "createdAt", c.closed_at AS "closedAt",
         (SELECT coalesce(json_agg(json_build_object('id', k.id, 'name', k.name, 'status', k.status) ORDER BY cc.position), '[]')
            FROM campaign_concepts cc JOIN concepts k ON k.id = cc.concept_id WHERE cc.campaign_id = c.id) AS concepts,
         (SELECT json_build_object('total', count(*), 'stratified', count(*) FILTER (WHERE i.design = 'stratified'),
                                   'discovery', count(*) FILTER (WHERE i.design = 'discovery'), 'report', count(*) FILTER (WHERE i.design = 'report'))
            FROM campaign_items i WHERE i.campaign_id = c.id) AS items,
         (SELECT json_build_object('open', count(*) FILTER (WHERE t.status = 'open'), 'submitted', count(*) FILTER (WHERE t.status = 'submitted'))
            FROM tasks t WHERE t.campaign_id = c.id) AS tasks,
         CASE WHEN c.discovery_state IS NULL THEN NULL ELSE
           (SELECT json_agg(json_build_object('key', a->>'key', 'pulls', (a->>'pulls')::int, 'hits', (a->>'hits')::int, 'remaining', jsonb_array_length(a->'pool')))
              FROM jsonb_array_elements(c.discovery_state->'arms') a)
         END AS arms
    FROM campaigns c JOIN models m ON m.id = c.model_id`;

type CampaignRow = Omit<CampaignView, 'progress'> & { tasks: { open: number; submitted: number } };

function toView(r: CampaignRow): CampaignView {
  const { tasks, ...rest } = r;
  const used = tasks.open + tasks.submitted;
  return { ...rest, progress: { used, open: tasks.open, submitted: tasks.submitted, remaining: Math.max(0, r.budget - used) } };
}

/**
 * Annotation campaigns: which concepts to ask about, which items (a sampling design recorded per
 * item with its inclusion probability), and how many labels (budget, labels per item).
 */
@Injectable()
export class CampaignsService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
  ) {}

  async create(modelName: string, dto: CreateCampaignDto): Promise<CampaignView> {
    const model = await this.models.load(modelName);
    const design = resolveDesign(dto.design, () => randomInt(0, 0xffffffff));
    const labelsPerItem = dto.labelsPerItem ?? 1;
    const itemBudget = Math.floor(dto.budget / labelsPerItem);
    if (itemBudget < 1) throw new CaveatError('invalid_input', `budget: ${dto.budget} labels cannot give one item ${labelsPerItem} labels`, { field: 'budget' });
    const name = cleanName(dto.name);
    try {
      const id = await this.db.transaction(async (runner) => {
        await this.checkConcepts(runner, model.entity.id, dto.conceptIds, modelName);
        const frame = await readFrame(runner, model.entity.id, dto.split, design.type === 'explore' ? design.partitionAttributes : []);
        if (frame.ids.length === 0) {
          throw new CaveatError('unprocessable', `model '${modelName}' has no predictions${dto.split ? ` in split '${dto.split}'` : ''} to sample from`, { field: dto.split ? 'split' : 'design' });
        }
        const reports: Array<{ id: string; prediction_id: string }> = await runner.query(
          `SELECT DISTINCT ON (prediction_id) id, prediction_id FROM failure_reports WHERE model_id = $1 AND status = 'open' ORDER BY prediction_id, id DESC`,
          [model.entity.id],
        );
        const reportCap = Math.min(dto.maxReportedItems ?? Math.floor(itemBudget / 4), itemBudget);
        const reported = reports.slice(0, reportCap);
        const reportedIds = new Set(reported.map((r) => r.prediction_id));

        let planned: PlannedItem[];
        let strata: unknown[] = [];
        let state = null;
        if (design.type === 'stratified') {
          const sampled = planStratified(frame, design, itemBudget - reported.length, `${dto.budget} labels at ${labelsPerItem} per item, after ${reported.length} reported item(s),`);
          const inSample = new Set(sampled.items.map((p) => p.predictionId));
          // A reported item that the sample also drew keeps its π: it counts as a stratified item.
          planned = [...reported.filter((r) => !inSample.has(r.prediction_id)).map(reportItem), ...sampled.items];
          strata = sampled.strata;
        } else {
          planned = reported.map(reportItem);
          state = planExplore(frame, design, reportedIds);
        }
        const [row] = await runner.query(
          `INSERT INTO campaigns (model_id, name, design, split, strata, budget, labels_per_item, show_model_answer, task_timeout_seconds, discovery_state)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [model.entity.id, name, JSON.stringify(design), dto.split ?? null, JSON.stringify(strata), dto.budget, labelsPerItem, dto.showModelAnswer ?? false, dto.taskTimeoutSeconds ?? 3600, state && JSON.stringify(state)],
        );
        const campaignId: number = row.id;
        await runner.query(
          `INSERT INTO campaign_concepts (campaign_id, concept_id, position) SELECT $1, x.id, x.ord - 1 FROM unnest($2::int[]) WITH ORDINALITY AS x(id, ord)`,
          [campaignId, dto.conceptIds],
        );
        await insertItems(runner, campaignId, planned, 0);
        if (reported.length > 0) {
          await runner.query(`UPDATE failure_reports SET status = 'queued', campaign_id = $1 WHERE id = ANY($2::bigint[])`, [campaignId, reported.map((r) => r.id)]);
        }
        return campaignId;
      });
      return this.get(id);
    } catch (e) {
      if (isUniqueViolation(e)) throw new CaveatError('conflict', `model '${modelName}' already has a campaign named '${name}'`, { field: 'name' });
      throw e;
    }
  }

  async list(filter: { model?: string; status?: string }): Promise<CampaignView[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.model !== undefined) {
      const model = await this.models.load(filter.model);
      where.push(`c.model_id = $${params.push(model.entity.id)}`);
    }
    if (filter.status !== undefined) where.push(`c.status = $${params.push(filter.status)}`);
    const rows: CampaignRow[] = await this.db.dataSource.query(`${CAMPAIGN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id`, params);
    return rows.map(toView);
  }

  async get(id: number): Promise<CampaignView> {
    const rows: CampaignRow[] = await this.db.dataSource.query(`${CAMPAIGN_SELECT} WHERE c.id = $1`, [id]);
    if (rows.length === 0) throw new CaveatError('not_found', `no campaign ${id}`, { field: 'id' });
    return toView(rows[0]);
  }

  /** Stops handing out tasks; open tasks may still be submitted. */
  async close(id: number): Promise<CampaignView> {
    const rows = await this.db.dataSource.query(`UPDATE campaigns SET status = 'closed', closed_at = coalesce(closed_at, now()) WHERE id = $1 RETURNING id`, [id]);
    if (rows[0].length === 0) throw new CaveatError('not_found', `no campaign ${id}`, { field: 'id' });
    return this.get(id);
  }

  /** Every concept must belong to the model, be accepted, and be one people can answer (not an attribute concept). */
  private async checkConcepts(runner: QueryRunner, modelId: number, ids: number[], modelName: string): Promise<void> {
    const rows: Array<{ id: number; name: string; kind: string; status: string }> = await runner.query(
      `SELECT id, name, kind, status FROM concepts WHERE model_id = $1 AND id = ANY($2::int[])`,
      [modelId, ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    ids.forEach((id, i) => {
      const c = byId.get(id);
      const field = `conceptIds[${i}]`;
      if (!c) throw new CaveatError('not_found', `${field}: no concept ${id} in model '${modelName}'`, { field });
      if (c.status !== 'accepted') throw new CaveatError('unprocessable', `${field}: concept '${c.name}' is ${c.status}; only accepted concepts are asked about`, { field });
      if (c.kind === 'attribute') throw new CaveatError('unprocessable', `${field}: '${c.name}' is an attribute concept, computed from attributes; nobody needs to label it`, { field });
    });
  }
}

const reportItem = (r: { prediction_id: string }): PlannedItem => ({ predictionId: r.prediction_id, design: 'report', stratum: 'failure report', pi: null, discoveryOnly: true });

/** Inserts campaign items in hand-out order, positions from `firstPosition`, as one statement. */
export async function insertItems(runner: QueryRunner, campaignId: number, items: readonly PlannedItem[], firstPosition: number, arm?: number): Promise<Array<{ id: string }>> {
  if (items.length === 0) return [];
  return runner.query(
    `INSERT INTO campaign_items (campaign_id, prediction_id, position, design, stratum, pi, discovery_only, arm)
     SELECT $1, x.pid, $2 + x.ord - 1, x.design, x.stratum, x.pi, x.dis, $8
       FROM unnest($3::bigint[], $4::text[], $5::text[], $6::float8[], $7::boolean[]) WITH ORDINALITY AS x(pid, design, stratum, pi, dis, ord)
     RETURNING id`,
    [
      campaignId,
      firstPosition,
      items.map((p) => p.predictionId),
      items.map((p) => p.design),
      items.map((p) => p.stratum),
      items.map((p) => p.pi),
      items.map((p) => p.discoveryOnly),
      arm ?? null,
    ],
  );
}

/** The sampling frame: the model's items (optionally one split), as columns, in id order. */
async function readFrame(runner: QueryRunner, modelId: number, split: string | undefined, attributes: readonly string[]): Promise<SamplingFrame> {
  const params: unknown[] = [modelId];
  const splitFilter = split ? ` AND split = $${params.push(split)}` : '';
  const attrExpr = attributes.length
    ? `, coalesce(array_agg(concat_ws('|', ${attributes.map((a) => `coalesce(attributes->>$${params.push(a)}, '∅')`).join(', ')}) ORDER BY id), '{}') AS attributes`
    : '';
  const [row] = await runner.query(
    `SELECT coalesce(array_agg(id ORDER BY id), '{}') AS ids,
            coalesce(array_agg(confidence ORDER BY id), '{}') AS confidence,
            coalesce(array_agg(predicted ORDER BY id), '{}') AS predicted,
            coalesce(array_agg(CASE WHEN label IS NULL THEN 'unlabeled' WHEN label = predicted THEN 'correct' ELSE 'failed' END ORDER BY id), '{}') AS outcome
            ${attrExpr}
       FROM predictions WHERE model_id = $1${splitFilter}`,
    params,
  );
  return { ids: row.ids, confidence: row.confidence.map(Number), predicted: row.predicted, outcome: row.outcome, ...(attributes.length ? { attributes: row.attributes } : {}) };
}
