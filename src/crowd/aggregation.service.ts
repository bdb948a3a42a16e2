import { Inject, Injectable } from '@nestjs/common';
import { workerAccuracy, type AggregationResult } from '../core/crowd/aggregation-result';
import { encodeAnswerColumns, encodeKnownLabels, type EncodedAnswers } from '../core/crowd/answers';
import { dawidSkene } from '../core/crowd/dawid-skene';
import { goldReliability, type WorkerGoldReliability } from '../core/crowd/gold-reliability';
import { majorityVote } from '../core/crowd/majority-vote';
import { CaveatError } from '../core/errors';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import type { AggregationMethod, RunAggregationDto } from './dto/run-aggregation.dto';

export interface AnnotatorReliability {
  annotatorId: number;
  name: string;
  answers: number;
  /** Prior-weighted probability of a right answer (Σ_k prior_k · P(answer k | truth k)); null when excluded. */
  accuracy: number | null;
  /** P(yes | concept present) and P(no | concept absent) from the run's confusion matrix. */
  sensitivity: number | null;
  specificity: number | null;
  gold: { answers: number; correct: number; accuracy: number | null };
  /** Below the reliability bar on gold items. */
  flagged: boolean;
  /** Left out of this run (excludeFlagged). */
  excluded: boolean;
}

export interface AggregationRunView {
  id: number;
  model: string;
  method: AggregationMethod;
  params: Record<string, unknown>;
  /** yes/no answers aggregated (unsure answers are not). */
  answers: number;
  /** (item, concept) pairs with a posterior. */
  pairs: number;
  iterations: number;
  converged: boolean;
  logLikelihood: number | null;
  createdAt: Date;
  /** Per concept: pairs aggregated and how many are flagged present (posterior ≥ 0.5). */
  concepts?: Array<{ id: number; name: string; items: number; present: number }>;
  annotators?: AnnotatorReliability[];
}

// Yes/no answers are two classes in this order, so P(present) is posterior column 1.
const CLASSES = ['no', 'yes'] as const;
const YES = 1;

const RUN_SELECT = `SELECT r.id, m.name AS model, r.method, r.params, r.answers, r.pairs, r.iterations, r.converged, r.log_likelihood AS "logLikelihood",
                           r.created_at AS "createdAt" FROM aggregation_runs r JOIN models m ON m.id = r.model_id`;

/**
 * Aggregation runs (DESIGN §3): every yes/no concept answer of a model is one binary question per
 * (item, concept) pair; majority vote or Dawid–Skene (src/core/crowd) gives each pair a posterior
 * P(present), stored with the run, and each annotator one confusion matrix across concepts (pooled,
 * because one annotator rarely answers enough items of a single concept to estimate it alone).
 * Gold answers anchor Dawid–Skene, replace the posterior of their pair, and flag careless annotators.
 */
@Injectable()
export class AggregationService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
  ) {}

  async run(modelName: string, dto: RunAggregationDto): Promise<AggregationRunView> {
    const model = await this.models.load(modelName);
    const method = dto.method ?? 'ds';
    const params = {
      excludeFlagged: dto.excludeFlagged ?? false,
      minGoldAccuracy: dto.minGoldAccuracy ?? 0.7,
      minGoldAnswers: dto.minGoldAnswers ?? 5,
      smoothing: dto.smoothing ?? 0,
      maxIterations: dto.maxIterations ?? 100,
    };
    const id = await this.db.transaction(async (runner) => {
      const [cols] = await runner.query(
        `SELECT coalesce(array_agg(a.prediction_id::text || ':' || a.concept_id ORDER BY a.id), '{}') AS item,
                coalesce(array_agg(a.annotator_id::text ORDER BY a.id), '{}') AS worker,
                coalesce(array_agg(a.answer ORDER BY a.id), '{}') AS label
           FROM concept_answers a JOIN concepts c ON c.id = a.concept_id
          WHERE c.model_id = $1 AND c.status IN ('accepted', 'proposed') AND a.answer <> 'unsure'`,
        [model.entity.id],
      );
      if (cols.item.length === 0) throw new CaveatError('unprocessable', `model '${modelName}' has no yes/no concept answers to aggregate yet`, { field: 'name' });
      const gold: Array<{ item: string; label: string }> = await runner.query(
        `SELECT g.prediction_id::text || ':' || g.concept_id AS item, g.answer AS label
           FROM concept_gold g JOIN concepts c ON c.id = g.concept_id WHERE c.model_id = $1`,
        [model.entity.id],
      );
      const all = encodeAnswerColumns(cols, { classes: CLASSES });
      const reliability = goldReliability(all, encodeKnownLabels(all, gold), { minAccuracy: params.minGoldAccuracy, minGoldAnswers: params.minGoldAnswers });
      const flagged = new Set(reliability.filter((r) => r.flagged).map((r) => r.worker));
      let data = all;
      if (params.excludeFlagged && flagged.size > 0) {
        const keep = cols.worker.map((w: string) => !flagged.has(w));
        const pick = (xs: string[]) => xs.filter((_, a) => keep[a]);
        if (!keep.some(Boolean)) throw new CaveatError('unprocessable', 'every annotator is flagged by gold items: nothing is left to aggregate', { field: 'excludeFlagged' });
        data = encodeAnswerColumns({ item: pick(cols.item), worker: pick(cols.worker), label: pick(cols.label) }, { classes: CLASSES });
      }
      const known = encodeKnownLabels(data, gold);
      const result = aggregate(method, data, known, params);
      const posterior = new Float64Array(data.items.length);
      for (let i = 0; i < data.items.length; i++) posterior[i] = known[i] >= 0 ? known[i] : result.posteriors[i * 2 + YES];
      const { answers, yes } = countAnswers(data);

      const [run] = await runner.query(
        `INSERT INTO aggregation_runs (model_id, method, params, answers, pairs, iterations, converged, log_likelihood)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [model.entity.id, method, JSON.stringify(params), data.item.length, data.items.length, result.iterations, result.converged, Number.isFinite(result.logLikelihood) ? result.logLikelihood : null],
      );
      const split = data.items.map((key) => key.split(':'));
      await runner.query(
        `INSERT INTO aggregation_posteriors (run_id, prediction_id, concept_id, posterior, answers, yes, gold)
         SELECT $1, x.pid, x.cid, x.posterior, x.answers, x.yes, x.gold
           FROM unnest($2::bigint[], $3::int[], $4::float8[], $5::int[], $6::int[], $7::boolean[]) AS x(pid, cid, posterior, answers, yes, gold)`,
        [run.id, split.map((s) => s[0]), split.map((s) => Number(s[1])), Array.from(posterior), Array.from(answers), Array.from(yes), Array.from(known, (k) => k >= 0)],
      );
      const rows = annotatorRows(all, data, result, reliability, flagged, params.excludeFlagged);
      await runner.query(
        `INSERT INTO aggregation_annotators (run_id, annotator_id, answers, accuracy, sensitivity, specificity, gold_answers, gold_correct, gold_accuracy, flagged, excluded)
         SELECT $1, x.* FROM unnest($2::int[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::int[], $8::int[], $9::float8[], $10::boolean[], $11::boolean[])
           AS x(annotator_id, answers, accuracy, sensitivity, specificity, gold_answers, gold_correct, gold_accuracy, flagged, excluded)`,
        [
          run.id,
          rows.map((r) => r.annotatorId),
          rows.map((r) => r.answers),
          rows.map((r) => r.accuracy),
          rows.map((r) => r.sensitivity),
          rows.map((r) => r.specificity),
          rows.map((r) => r.gold.answers),
          rows.map((r) => r.gold.correct),
          rows.map((r) => r.gold.accuracy),
          rows.map((r) => r.flagged),
          rows.map((r) => r.excluded),
        ],
      );
      return run.id as number;
    });
    return this.get(id);
  }

  async list(modelName: string): Promise<AggregationRunView[]> {
    const model = await this.models.load(modelName);
    return this.db.dataSource.query(`${RUN_SELECT} WHERE r.model_id = $1 ORDER BY r.id DESC`, [model.entity.id]);
  }

  /** A run with its per-concept summary and every annotator's reliability. */
  async get(id: number): Promise<AggregationRunView> {
    const [run]: AggregationRunView[] = await this.db.dataSource.query(`${RUN_SELECT} WHERE r.id = $1`, [id]);
    if (!run) throw new CaveatError('not_found', `no aggregation run ${id}`, { field: 'id' });
    run.concepts = await this.db.dataSource.query(
      `SELECT k.id, k.name, count(*)::int AS items, count(*) FILTER (WHERE p.posterior >= 0.5)::int AS present
         FROM aggregation_posteriors p JOIN concepts k ON k.id = p.concept_id WHERE p.run_id = $1 GROUP BY k.id, k.name ORDER BY k.name`,
      [id],
    );
    const annotators: Array<Record<string, unknown>> = await this.db.dataSource.query(
      `SELECT a.annotator_id AS "annotatorId", n.name, a.answers, a.accuracy, a.sensitivity, a.specificity, a.gold_answers, a.gold_correct, a.gold_accuracy,
              a.flagged, a.excluded
         FROM aggregation_annotators a JOIN annotators n ON n.id = a.annotator_id WHERE a.run_id = $1 ORDER BY a.annotator_id`,
      [id],
    );
    run.annotators = annotators.map(({ gold_answers, gold_correct, gold_accuracy, ...r }) => ({
      ...(r as Omit<AnnotatorReliability, 'gold'>),
      gold: { answers: gold_answers as number, correct: gold_correct as number, accuracy: gold_accuracy as number | null },
    }));
    return run;
  }

  /** The newest run of a model, or `unprocessable` when there is none yet. */
  async latestRunId(modelId: number, modelName: string): Promise<number> {
    const [row] = await this.db.dataSource.query(`SELECT max(id) AS id FROM aggregation_runs WHERE model_id = $1`, [modelId]);
    if (row.id === null) throw new CaveatError('unprocessable', `model '${modelName}' has no aggregation run yet: POST /models/${modelName}/aggregations first`, { field: 'run' });
    return row.id;
  }
}

function aggregate(method: AggregationMethod, data: EncodedAnswers, known: Int32Array, params: { smoothing: number; maxIterations: number }): AggregationResult {
  if (method === 'mv') return majorityVote(data);
  return dawidSkene(data, { model: method === 'ds-onecoin' ? 'one-coin' : 'class-conditional', known, smoothing: params.smoothing, maxIterations: params.maxIterations });
}

function countAnswers(data: EncodedAnswers): { answers: Int32Array; yes: Int32Array } {
  const answers = new Int32Array(data.items.length);
  const yes = new Int32Array(data.items.length);
  for (let a = 0; a < data.item.length; a++) {
    answers[data.item[a]]++;
    if (data.label[a] === YES) yes[data.item[a]]++;
  }
  return { answers, yes };
}

/** One reliability row per annotator who answered; excluded annotators keep their gold figures but get no confusion estimate. */
function annotatorRows(
  all: EncodedAnswers,
  data: EncodedAnswers,
  result: AggregationResult,
  reliability: WorkerGoldReliability[],
  flagged: ReadonlySet<string>,
  excludeFlagged: boolean,
): AnnotatorReliability[] {
  const inRun = new Map(data.workers.map((w, i) => [w, i]));
  const answersOf = new Int32Array(all.workers.length);
  for (let a = 0; a < all.worker.length; a++) answersOf[all.worker[a]]++;
  return all.workers.map((worker, w) => {
    const g = reliability[w];
    const i = inRun.get(worker);
    const cell = (k: number, l: number) => (i === undefined ? null : result.confusion[(i * 2 + k) * 2 + l]);
    return {
      annotatorId: Number(worker),
      name: '',
      answers: answersOf[w],
      accuracy: i === undefined ? null : workerAccuracy(result, i),
      sensitivity: cell(YES, YES),
      specificity: cell(0, 0),
      gold: { answers: g.goldAnswers, correct: g.correct, accuracy: g.accuracy },
      flagged: flagged.has(worker),
      excluded: excludeFlagged && flagged.has(worker),
    };
  });
}
