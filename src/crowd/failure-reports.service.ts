import { Inject, Injectable } from '@nestjs/common';
import { recordFreeText, type FreeTextOutcome } from '../concepts/free-text-recorder';
import { CaveatError } from '../core/errors';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { requireAnnotator } from './annotators.service';
import type { CreateFailureReportDto } from './dto/create-failure-report.dto';

export interface FailureReportView {
  id: number;
  externalId: string;
  annotatorId: number;
  text: string;
  correctLabel: string | null;
  /** open: waiting for a campaign; queued: put into campaign `campaignId` as a discovery-only item. */
  status: 'open' | 'queued';
  campaignId: number | null;
  createdAt: Date;
}

const SELECT = `SELECT r.id::int AS id, p.external_id AS "externalId", r.annotator_id AS "annotatorId", r.text, r.correct_label AS "correctLabel",
                       r.status, r.campaign_id AS "campaignId", r.created_at AS "createdAt"
                  FROM failure_reports r JOIN predictions p ON p.id = r.prediction_id`;

/**
 * Failure reports: anyone may say a prediction is wrong, in words. The text is normalized like
 * task free text, and the item becomes a candidate for annotation: the next campaign of the
 * model puts it first (discovery-only, it was not sampled).
 */
@Injectable()
export class FailureReportsService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
  ) {}

  async create(modelName: string, dto: CreateFailureReportDto): Promise<{ report: FailureReportView; freeText: FreeTextOutcome }> {
    const model = await this.models.load(modelName);
    if (dto.correctLabel !== undefined && !model.entity.classes.includes(dto.correctLabel)) {
      throw new CaveatError('unknown_class', `correctLabel: '${dto.correctLabel}' is not one of the model's classes`, { field: 'correctLabel', value: dto.correctLabel });
    }
    const { id, freeText } = await this.db.transaction(async (runner) => {
      await requireAnnotator(runner, dto.annotatorId, 'annotatorId');
      const [p] = await runner.query(`SELECT id FROM predictions WHERE model_id = $1 AND external_id = $2`, [model.entity.id, dto.externalId]);
      if (!p) throw new CaveatError('not_found', `no prediction '${dto.externalId}' in model '${modelName}'`, { field: 'externalId' });
      const text = dto.text.trim();
      const [r] = await runner.query(
        `INSERT INTO failure_reports (model_id, prediction_id, annotator_id, text, correct_label) VALUES ($1, $2, $3, $4, $5) RETURNING id::int AS id`,
        [model.entity.id, p.id, dto.annotatorId, text, dto.correctLabel ?? null],
      );
      const freeText = await recordFreeText(runner, text, { modelId: model.entity.id, predictionId: p.id, annotatorId: dto.annotatorId, reportId: r.id });
      return { id: r.id as number, freeText };
    });
    const [report] = await this.db.dataSource.query(`${SELECT} WHERE r.id = $1`, [id]);
    return { report, freeText };
  }

  async list(modelName: string, status?: string): Promise<FailureReportView[]> {
    const model = await this.models.load(modelName);
    const params: unknown[] = [model.entity.id];
    const filter = status === undefined ? '' : ` AND r.status = $${params.push(status)}`;
    return this.db.dataSource.query(`${SELECT} WHERE r.model_id = $1${filter} ORDER BY r.id`, params);
  }
}
