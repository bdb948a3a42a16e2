import { Inject, Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import { recordFreeText, type FreeTextOutcome } from '../concepts/free-text-recorder';
import { policyThreshold, type CostPolicy } from '../core/cost/cost-policy';
import { CaveatError, invalid } from '../core/errors';
import { nextDiscoveryItem, recordDiscoveryOutcome, type DiscoveryState } from '../core/sampling/discovery-search';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { requireAnnotator } from './annotators.service';
import { insertItems } from './campaigns.service';
import type { SubmitTaskDto } from './dto/submit-task.dto';

export const FREE_TEXT_PROMPT = 'What makes this item hard?';

export interface TaskView {
  id: number;
  campaignId: number;
  campaign: string;
  model: string;
  annotatorId: number;
  status: 'open' | 'submitted' | 'expired';
  showModelAnswer: boolean;
  item: { externalId: string; text: string | null; attributes: Record<string, unknown> | null; predicted?: string; confidence?: number };
  concepts: Array<{ id: number; name: string; description: string }>;
  prompt: string;
  createdAt: Date;
  submittedAt: Date | null;
}

export interface NextTaskResult {
  task: TaskView | null;
  /** Why there is no task: the campaign is closed, its budget is spent, or no item is left for this annotator. */
  reason?: 'closed' | 'budget spent' | 'no item left for this annotator';
  /** Labels handed out (open + submitted tasks) and left within the budget. */
  progress: { budget: number; used: number; remaining: number };
}

export interface SubmitResult {
  task: { id: number; status: 'submitted'; submittedAt: Date };
  answers: number;
  freeText: FreeTextOutcome | null;
  /** Explore designs: whether the item turned out a confident failure (the bandit's reward), when recorded now. */
  discoveryOutcome?: boolean;
}

interface CampaignLock {
  id: number;
  model_id: number;
  model: string;
  status: string;
  budget: number;
  labels_per_item: number;
  show_model_answer: boolean;
  task_timeout_seconds: number;
  design: { type: string };
  discovery_state: DiscoveryState | null;
}

const TASK_SELECT = `
  SELECT t.id::int AS id, t.campaign_id AS "campaignId", c.name AS campaign, m.name AS model, t.annotator_id AS "annotatorId", t.status,
         t.show_model_answer AS "showModelAnswer", t.created_at AS "createdAt", t.submitted_at AS "submittedAt",
         p.external_id AS "externalId", p.text, p.attributes, p.predicted, p.confidence,
         (SELECT coalesce(json_agg(json_build_object('id', k.id, 'name', k.name, 'description', k.description) ORDER BY cc.position), '[]')
            FROM campaign_concepts cc JOIN concepts k ON k.id = cc.concept_id WHERE cc.campaign_id = c.id AND k.status = 'accepted') AS concepts
    FROM tasks t JOIN campaigns c ON c.id = t.campaign_id JOIN models m ON m.id = c.model_id
    JOIN campaign_items ci ON ci.id = t.campaign_item_id JOIN predictions p ON p.id = ci.prediction_id`;

interface TaskRow extends Omit<TaskView, 'item' | 'prompt'> {
  externalId: string;
  text: string | null;
  attributes: Record<string, unknown> | null;
  predicted: string;
  confidence: number;
}

function toTaskView(r: TaskRow): TaskView {
  const item: TaskView['item'] = { externalId: r.externalId, text: r.text, attributes: r.attributes };
  // The model's answer is part of the item only when the task was set up to show it.
  if (r.showModelAnswer) Object.assign(item, { predicted: r.predicted, confidence: r.confidence });
  return {
    id: r.id,
    campaignId: r.campaignId,
    campaign: r.campaign,
    model: r.model,
    annotatorId: r.annotatorId,
    status: r.status,
    showModelAnswer: r.showModelAnswer,
    item,
    concepts: r.concepts,
    prompt: FREE_TEXT_PROMPT,
    createdAt: r.createdAt,
    submittedAt: r.submittedAt,
  };
}

/**
 * Tasks: one annotator, one item, the campaign's concepts. Handing out and submitting lock the
 * campaign row, so labels per item and the budget hold under concurrent annotators, and an
 * annotator never gets the same item of a campaign twice (a unique key backs this).
 */
@Injectable()
export class TasksService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
  ) {}

  async next(campaignId: number, annotatorId: number): Promise<NextTaskResult> {
    const taskId = await this.db.transaction(async (runner) => {
      const c = await lockCampaign(runner, campaignId, 'UPDATE');
      await requireAnnotator(runner, annotatorId, 'annotatorId');
      // Open tasks past their timeout free their slot (the annotator keeps the item: never twice).
      await runner.query(`UPDATE tasks SET status = 'expired' WHERE campaign_id = $1 AND status = 'open' AND created_at < now() - make_interval(secs => $2)`, [
        c.id,
        c.task_timeout_seconds,
      ]);
      const [open] = await runner.query(`SELECT id::int AS id FROM tasks WHERE campaign_id = $1 AND annotator_id = $2 AND status = 'open' ORDER BY id LIMIT 1`, [c.id, annotatorId]);
      if (open) return { id: open.id as number, c };
      if (c.status !== 'open') return { reason: 'closed' as const, c };
      const used = await usedLabels(runner, c.id);
      if (used >= c.budget) return { reason: 'budget spent' as const, c };
      const itemId = (await this.pickItem(runner, c, annotatorId)) ?? (c.design.type === 'explore' ? await this.drawDiscoveryItem(runner, c) : null);
      if (itemId === null) return { reason: 'no item left for this annotator' as const, c };
      const [task] = await runner.query(
        `INSERT INTO tasks (campaign_id, campaign_item_id, annotator_id, show_model_answer) VALUES ($1, $2, $3, $4) RETURNING id::int AS id`,
        [c.id, itemId, annotatorId, c.show_model_answer],
      );
      return { id: task.id as number, c };
    });
    const used = await usedLabels(this.db.dataSource, campaignId);
    const progress = { budget: taskId.c.budget, used, remaining: Math.max(0, taskId.c.budget - used) };
    if ('reason' in taskId) return { task: null, reason: taskId.reason, progress };
    return { task: await this.get(taskId.id as number), progress };
  }

  async get(id: number): Promise<TaskView> {
    const rows: TaskRow[] = await this.db.dataSource.query(`${TASK_SELECT} WHERE t.id = $1`, [id]);
    if (rows.length === 0) throw new CaveatError('not_found', `no task ${id}`, { field: 'id' });
    return toTaskView(rows[0]);
  }

  /**
   * Records a task's answers and free text in one transaction. Free text is normalized against
   * the vocabulary (matches become mentions, unmatched phrases proposed concepts). On an explore
   * campaign the first submission for an item also feeds the bandit its reward.
   */
  async submit(taskId: number, dto: SubmitTaskDto): Promise<SubmitResult> {
    const [ref] = await this.db.dataSource.query(
      `SELECT t.campaign_id AS "campaignId", ci.design, m.name AS model
         FROM tasks t JOIN campaign_items ci ON ci.id = t.campaign_item_id JOIN campaigns c ON c.id = t.campaign_id JOIN models m ON m.id = c.model_id
        WHERE t.id = $1`,
      [taskId],
    );
    if (!ref) throw new CaveatError('not_found', `no task ${taskId}`, { field: 'id' });
    // Read before the transaction: on the embedded database a second connection waits for an open transaction to end.
    const policy = ref.design === 'discovery' ? (await this.models.load(ref.model)).policy : null;
    const freeText = dto.freeText?.trim() ? dto.freeText.trim() : null;
    if (dto.answers.length === 0 && freeText === null) throw invalid('answers', 'give at least one concept answer or some free text');
    return this.db.transaction(async (runner) => {
      // Campaign before task, as in next(): one lock order, no deadlock. Only the bandit's state needs the exclusive lock.
      const c = await lockCampaign(runner, ref.campaignId, ref.design === 'discovery' ? 'UPDATE' : 'SHARE');
      const [t] = await runner.query(
        `SELECT t.id, t.annotator_id, t.status, ci.id AS item_id, ci.prediction_id, ci.design, ci.arm, ci.outcome
           FROM tasks t JOIN campaign_items ci ON ci.id = t.campaign_item_id WHERE t.id = $1 FOR UPDATE OF t, ci`,
        [taskId],
      );
      if (t.annotator_id !== dto.annotatorId) throw invalid('annotatorId', `task ${taskId} was given to annotator ${t.annotator_id}, not ${dto.annotatorId}`);
      if (t.status === 'submitted') throw new CaveatError('conflict', `task ${taskId} was already submitted`, { field: 'id' });
      if (t.status === 'expired') throw new CaveatError('conflict', `task ${taskId} expired (not submitted within ${c.task_timeout_seconds} s); ask for the next task`, { field: 'id' });
      if (dto.modelCorrect !== undefined && !c.show_model_answer) throw invalid('modelCorrect', "this task did not show the model's answer");
      const asked: Array<{ id: number }> = await runner.query(
        `SELECT cc.concept_id AS id FROM campaign_concepts cc JOIN concepts k ON k.id = cc.concept_id WHERE cc.campaign_id = $1 AND k.status = 'accepted'`,
        [c.id],
      );
      const askedIds = new Set(asked.map((a) => a.id));
      const seen = new Set<number>();
      dto.answers.forEach((a, i) => {
        if (!askedIds.has(a.conceptId)) throw invalid(`answers[${i}].conceptId`, `concept ${a.conceptId} is not on this task's checklist`);
        if (seen.has(a.conceptId)) throw invalid(`answers[${i}].conceptId`, `concept ${a.conceptId} is answered twice`);
        seen.add(a.conceptId);
      });
      if (dto.answers.length > 0) {
        await runner.query(
          `INSERT INTO concept_answers (task_id, prediction_id, concept_id, annotator_id, answer)
           SELECT $1, $2, x.concept_id, $3, x.answer FROM unnest($4::int[], $5::text[]) AS x(concept_id, answer)`,
          [taskId, t.prediction_id, dto.annotatorId, dto.answers.map((a) => a.conceptId), dto.answers.map((a) => a.answer)],
        );
      }
      const outcome = freeText === null ? null : await recordFreeText(runner, freeText, { modelId: c.model_id, predictionId: t.prediction_id, annotatorId: dto.annotatorId, taskId });
      const [done] = await runner.query(
        `UPDATE tasks SET status = 'submitted', free_text = $2, model_correct = $3, submitted_at = now() WHERE id = $1 RETURNING submitted_at AS "submittedAt"`,
        [taskId, freeText, dto.modelCorrect ?? null],
      );
      const result: SubmitResult = { task: { id: taskId, status: 'submitted', submittedAt: done[0].submittedAt }, answers: dto.answers.length, freeText: outcome };
      if (t.design === 'discovery' && t.outcome === null && c.discovery_state && policy) {
        result.discoveryOutcome = await recordReward(runner, c, t, policy, dto.modelCorrect);
      }
      return result;
    });
  }

  /** The first item (in hand-out order) that still needs labels and that this annotator has not had. */
  private async pickItem(runner: QueryRunner, c: CampaignLock, annotatorId: number): Promise<string | null> {
    const [row] = await runner.query(
      `SELECT ci.id FROM campaign_items ci
        WHERE ci.campaign_id = $1
          AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.campaign_item_id = ci.id AND t.annotator_id = $2)
          AND (SELECT count(*) FROM tasks t WHERE t.campaign_item_id = ci.id AND t.status IN ('open', 'submitted')) < $3
        ORDER BY ci.position LIMIT 1`,
      [c.id, annotatorId, c.labels_per_item],
    );
    return row ? row.id : null;
  }

  /** Explore designs: the bandit picks a partition and draws a new item from it (src/core/sampling/discovery-search.ts). */
  private async drawDiscoveryItem(runner: QueryRunner, c: CampaignLock): Promise<string | null> {
    const state = c.discovery_state;
    if (!state) return null;
    const [{ items, last }] = await runner.query(`SELECT count(*)::int AS items, coalesce(max(position), -1) AS last FROM campaign_items WHERE campaign_id = $1`, [c.id]);
    // No more items than the budget can label fully.
    if (items >= Math.floor(c.budget / c.labels_per_item)) return null;
    const pick = nextDiscoveryItem(state);
    if (!pick) return null;
    await runner.query(`UPDATE campaigns SET discovery_state = $2 WHERE id = $1`, [c.id, JSON.stringify(state)]);
    const [row] = await insertItems(
      runner,
      c.id,
      [{ predictionId: String(pick.index), design: 'discovery', stratum: pick.key, pi: null, discoveryOnly: true }],
      Number(last) + 1,
      pick.arm,
    );
    return row.id;
  }
}

/**
 * The bandit's reward for a discovery item: a confident failure, i.e. confidence ≥ T* of its
 * predicted class (DESIGN §1) and wrong by its true label, by the annotator (modelCorrect = false),
 * or by a failure report.
 */
async function recordReward(
  runner: QueryRunner,
  c: CampaignLock,
  t: { item_id: string; prediction_id: string; arm: number | null },
  policy: CostPolicy,
  modelCorrect: boolean | undefined,
): Promise<boolean> {
  const [p] = await runner.query(
    `SELECT predicted, confidence, label, EXISTS (SELECT 1 FROM failure_reports r WHERE r.prediction_id = p.id) AS reported FROM predictions p WHERE p.id = $1`,
    [t.prediction_id],
  );
  const confident = p.confidence >= policyThreshold(policy, p.predicted);
  const wrong = (p.label !== null && p.label !== p.predicted) || modelCorrect === false || p.reported === true;
  const hit = confident && wrong;
  const state = c.discovery_state as DiscoveryState;
  if (t.arm !== null && state.arms[t.arm]) {
    recordDiscoveryOutcome(state, t.arm, hit);
    await runner.query(`UPDATE campaigns SET discovery_state = $2 WHERE id = $1`, [c.id, JSON.stringify(state)]);
  }
  await runner.query(`UPDATE campaign_items SET outcome = $2 WHERE id = $1`, [t.item_id, hit]);
  return hit;
}

async function lockCampaign(runner: QueryRunner, id: number, mode: 'UPDATE' | 'SHARE'): Promise<CampaignLock> {
  const rows: CampaignLock[] = await runner.query(
    `SELECT c.id, c.model_id, m.name AS model, c.status, c.budget, c.labels_per_item, c.show_model_answer, c.task_timeout_seconds, c.design, c.discovery_state
       FROM campaigns c JOIN models m ON m.id = c.model_id WHERE c.id = $1 FOR ${mode} OF c`,
    [id],
  );
  if (rows.length === 0) throw new CaveatError('not_found', `no campaign ${id}`, { field: 'id' });
  return rows[0];
}

async function usedLabels(q: { query(sql: string, params?: unknown[]): Promise<Array<{ n: number }>> }, campaignId: number): Promise<number> {
  const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM tasks WHERE campaign_id = $1 AND status IN ('open', 'submitted')`, [campaignId]);
  return n;
}
