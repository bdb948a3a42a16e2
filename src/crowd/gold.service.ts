import { Inject, Injectable } from '@nestjs/common';
import { CaveatError } from '../core/errors';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import type { SetGoldDto } from './dto/set-gold.dto';

export interface GoldView {
  externalId: string;
  conceptId: number;
  concept: string;
  answer: 'yes' | 'no';
  setAt: Date;
}

/** Gold answers: (item, concept) pairs with a known answer, which flag careless annotators and anchor Dawid–Skene. */
@Injectable()
export class GoldService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
  ) {}

  /** Sets (or, with answer null, removes) gold answers atomically: an unknown item or concept rejects the whole batch. */
  async set(modelName: string, dto: SetGoldDto): Promise<{ set: number; removed: number }> {
    const model = await this.models.load(modelName);
    return this.db.transaction(async (runner) => {
      const externalIds = [...new Set(dto.gold.map((g) => g.externalId))];
      const items: Array<{ id: string; external_id: string }> = await runner.query(`SELECT id, external_id FROM predictions WHERE model_id = $1 AND external_id = ANY($2::text[])`, [
        model.entity.id,
        externalIds,
      ]);
      const itemOf = new Map(items.map((r) => [r.external_id, r.id]));
      const missing = externalIds.filter((id) => !itemOf.has(id));
      if (missing.length > 0) {
        throw new CaveatError('unprocessable', `${missing.length} external id(s) have no prediction in model '${modelName}', e.g. '${missing[0]}'; nothing was set`, {
          field: 'gold',
          unknownExternalIds: missing.slice(0, 20),
        });
      }
      const concepts: Array<{ id: number; name: string; status: string; kind: string }> = await runner.query(
        `SELECT id, name, status, kind FROM concepts WHERE model_id = $1 AND id = ANY($2::int[])`,
        [model.entity.id, [...new Set(dto.gold.map((g) => g.conceptId))]],
      );
      const conceptOf = new Map(concepts.map((c) => [c.id, c]));
      dto.gold.forEach((g, i) => {
        const c = conceptOf.get(g.conceptId);
        const field = `gold[${i}].conceptId`;
        if (!c) throw new CaveatError('unprocessable', `${field}: no concept ${g.conceptId} in model '${modelName}'`, { field });
        if (c.status === 'merged') throw new CaveatError('unprocessable', `${field}: concept '${c.name}' was merged; set gold on the concept it was merged into`, { field });
        if (c.kind === 'attribute') throw new CaveatError('unprocessable', `${field}: '${c.name}' is an attribute concept, computed from attributes`, { field });
      });
      const setRows = dto.gold.filter((g) => g.answer !== null);
      const removeRows = dto.gold.filter((g) => g.answer === null);
      if (setRows.length > 0) {
        await runner.query(
          `INSERT INTO concept_gold (prediction_id, concept_id, answer)
           SELECT DISTINCT ON (x.pid, x.cid) x.pid, x.cid, x.answer FROM unnest($1::bigint[], $2::int[], $3::text[]) WITH ORDINALITY AS x(pid, cid, answer, ord)
            ORDER BY x.pid, x.cid, x.ord DESC
           ON CONFLICT (prediction_id, concept_id) DO UPDATE SET answer = EXCLUDED.answer, set_at = now()`,
          [setRows.map((g) => itemOf.get(g.externalId)), setRows.map((g) => g.conceptId), setRows.map((g) => g.answer)],
        );
      }
      let removed = 0;
      if (removeRows.length > 0) {
        const res = await runner.query(
          `DELETE FROM concept_gold g USING unnest($1::bigint[], $2::int[]) AS x(pid, cid) WHERE g.prediction_id = x.pid AND g.concept_id = x.cid`,
          [removeRows.map((g) => itemOf.get(g.externalId)), removeRows.map((g) => g.conceptId)],
          true,
        );
        removed = res.affected ?? 0;
      }
      return { set: setRows.length, removed };
    });
  }

  async list(modelName: string): Promise<GoldView[]> {
    const model = await this.models.load(modelName);
    return this.db.dataSource.query(
      `SELECT p.external_id AS "externalId", g.concept_id AS "conceptId", k.name AS concept, g.answer, g.set_at AS "setAt"
         FROM concept_gold g JOIN concepts k ON k.id = g.concept_id JOIN predictions p ON p.id = g.prediction_id
        WHERE k.model_id = $1 ORDER BY p.external_id, k.name`,
      [model.entity.id],
    );
  }
}
