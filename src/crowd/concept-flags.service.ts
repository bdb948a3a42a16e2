import { Inject, Injectable } from '@nestjs/common';
import { CaveatError } from '../core/errors';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { AggregationService } from './aggregation.service';

/**
 * Per-item concept flags in column form, for rule induction (DESIGN §4): one row per annotated item
 * of the run, one column per concept.
 * - `present[c][i]` = 1 iff the posterior of concept c on item i is ≥ 0.5 (the rule of
 *   src/core/crowd/concept-flags.ts); attribute concepts: their computed value.
 * - `answered[c][i]` = 1 iff item i has a value for concept c (it was asked, or the attribute
 *   concept resolved); where 0, `present` is 0 and `posterior` NaN: the literal is unknown there.
 * - `weights[i]` = 1/π_i from the stratified campaign that sampled item i (the given campaign, or
 *   the newest one); items chosen by a discovery search or a failure report have no π:
 *   `discoveryOnly[i]` = 1 and weight 1 — use them to find rules, not to estimate rates.
 */
export interface ConceptFlagsExport {
  runId: number;
  method: string;
  /** External ids of the items, in prediction-id order. */
  itemIds: string[];
  /** Concept names; crowd-aggregated concepts first (by name), then accepted attribute concepts (by name). */
  concepts: string[];
  conceptIds: number[];
  kinds: Array<'aggregated' | 'attribute'>;
  present: Uint8Array[];
  answered: Uint8Array[];
  posterior: Float64Array[];
  weights: Float64Array;
  discoveryOnly: Uint8Array;
}

export interface ConceptFlagsOptions {
  /** Aggregation run (default: the model's newest). */
  runId?: number;
  /** Only items of this campaign, weighted by its design. */
  campaignId?: number;
}

@Injectable()
export class ConceptFlagsService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
    @Inject(AggregationService) private readonly aggregation: AggregationService,
  ) {}

  /** The flags of a model's newest (or the given) aggregation run, in column form (see ConceptFlagsExport). */
  async conceptFlags(modelName: string, options: ConceptFlagsOptions = {}): Promise<ConceptFlagsExport> {
    const model = await this.models.load(modelName);
    const q = this.db.dataSource;
    let runId = options.runId;
    if (runId === undefined) runId = await this.aggregation.latestRunId(model.entity.id, modelName);
    const [run] = await q.query(`SELECT id, method FROM aggregation_runs WHERE id = $1 AND model_id = $2`, [runId, model.entity.id]);
    if (!run) throw new CaveatError('not_found', `no aggregation run ${runId} for model '${modelName}'`, { field: 'run' });
    if (options.campaignId !== undefined) {
      const [c] = await q.query(`SELECT 1 FROM campaigns WHERE id = $1 AND model_id = $2`, [options.campaignId, model.entity.id]);
      if (!c) throw new CaveatError('not_found', `no campaign ${options.campaignId} for model '${modelName}'`, { field: 'campaign' });
    }
    const params: unknown[] = [runId];
    const campaignFilter =
      options.campaignId === undefined ? '' : ` AND p.prediction_id IN (SELECT prediction_id FROM campaign_items WHERE campaign_id = $${params.push(options.campaignId)})`;
    const [cols] = await q.query(
      `SELECT coalesce(array_agg(p.prediction_id ORDER BY p.prediction_id, p.concept_id), '{}') AS pid,
              coalesce(array_agg(p.concept_id ORDER BY p.prediction_id, p.concept_id), '{}') AS cid,
              coalesce(array_agg(p.posterior ORDER BY p.prediction_id, p.concept_id), '{}') AS posterior
         FROM aggregation_posteriors p WHERE p.run_id = $1${campaignFilter}`,
      params,
    );
    const itemIndex = new Map<string, number>();
    for (const pid of cols.pid as string[]) if (!itemIndex.has(pid)) itemIndex.set(pid, itemIndex.size);
    const predictionIds = [...itemIndex.keys()];
    const n = predictionIds.length;

    const aggregated: Array<{ id: number; name: string }> = await q.query(`SELECT id, name FROM concepts WHERE id = ANY($1::int[]) ORDER BY name`, [[...new Set(cols.cid as number[])]]);
    const attribute: Array<{ id: number; name: string }> = await q.query(
      `SELECT id, name FROM concepts WHERE model_id = $1 AND kind = 'attribute' AND status = 'accepted' ORDER BY name`,
      [model.entity.id],
    );
    const all = [...aggregated.map((c) => ({ ...c, kind: 'aggregated' as const })), ...attribute.map((c) => ({ ...c, kind: 'attribute' as const }))];
    const column = new Map(all.map((c, j) => [c.id, j]));
    const present = all.map(() => new Uint8Array(n));
    const answered = all.map(() => new Uint8Array(n));
    const posterior = all.map(() => new Float64Array(n).fill(NaN));
    const set = (j: number, i: number, p: number) => {
      answered[j][i] = 1;
      posterior[j][i] = p;
      present[j][i] = p >= 0.5 ? 1 : 0;
    };
    (cols.pid as string[]).forEach((pid, r) => set(column.get(cols.cid[r])!, itemIndex.get(pid)!, cols.posterior[r]));

    if (attribute.length > 0 && n > 0) {
      const values: Array<{ concept_id: number; prediction_id: string; present: boolean }> = await q.query(
        `SELECT concept_id, prediction_id, present FROM concept_item_values WHERE concept_id = ANY($1::int[]) AND prediction_id = ANY($2::bigint[])`,
        [attribute.map((c) => c.id), predictionIds],
      );
      for (const v of values) set(column.get(v.concept_id)!, itemIndex.get(v.prediction_id)!, v.present ? 1 : 0);
    }

    const weights = new Float64Array(n).fill(1);
    const discoveryOnly = new Uint8Array(n).fill(1);
    const itemIds = new Array<string>(n);
    if (n > 0) {
      const designParams: unknown[] = [predictionIds];
      const designFilter = options.campaignId === undefined ? '' : ` AND campaign_id = $${designParams.push(options.campaignId)}`;
      const pis: Array<{ prediction_id: string; pi: number }> = await q.query(
        `SELECT DISTINCT ON (prediction_id) prediction_id, pi FROM campaign_items
          WHERE prediction_id = ANY($1::bigint[]) AND pi IS NOT NULL${designFilter} ORDER BY prediction_id, campaign_id DESC`,
        designParams,
      );
      for (const p of pis) {
        const i = itemIndex.get(p.prediction_id)!;
        weights[i] = 1 / p.pi;
        discoveryOnly[i] = 0;
      }
      const ext: Array<{ id: string; external_id: string }> = await q.query(`SELECT id, external_id FROM predictions WHERE id = ANY($1::bigint[])`, [predictionIds]);
      for (const e of ext) itemIds[itemIndex.get(e.id)!] = e.external_id;
    }
    return {
      runId: run.id,
      method: run.method,
      itemIds,
      concepts: all.map((c) => c.name),
      conceptIds: all.map((c) => c.id),
      kinds: all.map((c) => c.kind),
      present,
      answered,
      posterior,
      weights,
      discoveryOnly,
    };
  }

  /** The same flags item by item, as JSON: per item its weight, discovery flag and the concepts it has a value for. */
  async conceptFlagsJson(modelName: string, options: ConceptFlagsOptions) {
    const x = await this.conceptFlags(modelName, options);
    return {
      run: { id: x.runId, method: x.method },
      concepts: x.concepts.map((name, j) => ({ id: x.conceptIds[j], name, kind: x.kinds[j] })),
      items: x.itemIds.map((externalId, i) => {
        const flags: Record<string, { present: boolean; posterior: number }> = {};
        x.concepts.forEach((name, j) => {
          if (x.answered[j][i]) flags[name] = { present: x.present[j][i] === 1, posterior: x.posterior[j][i] };
        });
        return { externalId, weight: x.weights[i], discoveryOnly: x.discoveryOnly[i] === 1, flags };
      }),
    };
  }
}
