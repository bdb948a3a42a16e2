import { Inject, Injectable } from '@nestjs/common';
import { KeywordLexiconDetector } from '../core/detectors/keyword-lexicon';
import { trainTextClassifier } from '../core/detectors/text-classifier';
import type { TextConceptDetector, TextDetectorJson } from '../core/detectors/text-detectors';
import { Database } from '../database/database';
import { isUniqueViolation } from '../database/pg-errors';
import { ModelsService } from '../models/models.service';
import { RuleSetEvents, notifyLiveSetChange, type LiveSetChange } from '../rule-sets/rule-set-events';
import type { CreateDetectorDto } from './dto/create-detector.dto';

interface DetectorRow {
  id: number;
  concept: string;
  version: number;
  kind: 'lexicon' | 'classifier';
  algorithm: 'bayes' | 'logistic' | null;
  definition: TextDetectorJson;
  evaluation: Record<string, unknown> | null;
  created_at: Date;
}

/**
 * Text concept detectors (issue 6, concept resolution): trained or built with src/core/detectors,
 * stored as JSON, versioned per (model, concept). The newest version of each concept serves.
 */
@Injectable()
export class TextDetectorsService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
    @Inject(RuleSetEvents) private readonly events: RuleSetEvents,
  ) {}

  async create(modelName: string, dto: CreateDetectorDto) {
    const model = await this.models.load(modelName);
    const detector: TextConceptDetector =
      dto.kind === 'lexicon'
        ? new KeywordLexiconDetector(dto.concept, dto.keywords ?? [])
        : trainTextClassifier(dto.examples ?? [], { concept: dto.concept, algorithm: dto.algorithm ?? 'bayes', holdoutFraction: dto.holdoutFraction, seed: dto.seed });
    const definition = detector.toJSON();
    const evaluation = detector.kind === 'classifier' ? (detector.evaluation ?? null) : null;
    const algorithm = detector.kind === 'classifier' ? detector.algorithm : null;
    const change: LiveSetChange = { modelId: model.entity.id, reason: 'detectors' };
    for (let attempt = 0; ; attempt++) {
      try {
        const row: DetectorRow = await this.db.transaction(async (runner) => {
          const [inserted] = await runner.query(
            `INSERT INTO text_detectors (model_id, concept, version, kind, algorithm, definition, evaluation)
             SELECT $1, $2, COALESCE(MAX(version), 0) + 1, $3, $4, $5::json, $6::jsonb FROM text_detectors WHERE model_id = $1 AND concept = $2
             RETURNING id, concept, version, kind, algorithm, definition, evaluation, created_at`,
            [model.entity.id, dto.concept, dto.kind, algorithm, JSON.stringify(definition), evaluation === null ? null : JSON.stringify(evaluation)],
          );
          await notifyLiveSetChange(this.db, runner, change, this.events);
          return inserted;
        });
        this.events.emit(change);
        return view(row);
      } catch (e) {
        if (isUniqueViolation(e) && attempt < 5) continue; // a concurrent create took the version number
        throw e;
      }
    }
  }

  /** Every stored detector version of the model, newest first (without the classifier state). */
  async list(modelName: string, concept?: string) {
    const model = await this.models.load(modelName);
    const rows: DetectorRow[] = await this.db.dataSource.query(
      `SELECT id, concept, version, kind, algorithm, definition, evaluation, created_at,
              version = MAX(version) OVER (PARTITION BY concept) AS serving
         FROM text_detectors WHERE model_id = $1 AND ($2::text IS NULL OR concept = $2) ORDER BY concept, version DESC`,
      [model.entity.id, concept ?? null],
    );
    return rows.map(view);
  }
}

function view(r: DetectorRow & { serving?: boolean }) {
  return {
    id: r.id,
    concept: r.concept,
    version: r.version,
    kind: r.kind,
    algorithm: r.algorithm,
    ...(r.kind === 'lexicon' ? { keywords: (r.definition as { keywords: string[] }).keywords } : {}),
    evaluation: r.evaluation,
    ...(r.serving === undefined ? {} : { serving: r.serving }),
    createdAt: r.created_at,
  };
}
