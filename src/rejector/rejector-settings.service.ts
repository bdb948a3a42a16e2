import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { RuleSetEvents, notifyLiveSetChange, type LiveSetChange } from '../rule-sets/rule-set-events';
import { DEFAULT_REJECTOR_SETTINGS, type RejectorSettings } from './loaded-rejector';
import { readSettingsRow } from './rejector-reads';
import type { RejectorSettingsDto } from './dto/rejector-settings.dto';

export interface RejectorSettingsView extends RejectorSettings {
  model: string;
  /** Null while the model uses the defaults (no row stored). */
  updatedAt: Date | null;
}

/** Per-model fail mode and unresolved-concept policy (GET/PUT /models/:name/rejector-settings). */
@Injectable()
export class RejectorSettingsService {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
    @Inject(RuleSetEvents) private readonly events: RuleSetEvents,
  ) {}

  async get(modelName: string): Promise<RejectorSettingsView> {
    const model = await this.models.load(modelName);
    return this.view(modelName, model.entity.id);
  }

  /** Stores the change (fields left out keep their value) and reloads the model's rejector. */
  async put(modelName: string, dto: RejectorSettingsDto): Promise<RejectorSettingsView> {
    const model = await this.models.load(modelName);
    const change: LiveSetChange = { modelId: model.entity.id, reason: 'settings' };
    await this.db.transaction(async (runner) => {
      await runner.query(
        `INSERT INTO rejector_settings (model_id, fail_mode, unresolved_concepts, updated_at)
         VALUES ($1, COALESCE($2, $4), COALESCE($3, $5), now())
         ON CONFLICT (model_id) DO UPDATE SET
           fail_mode = COALESCE($2, rejector_settings.fail_mode),
           unresolved_concepts = COALESCE($3, rejector_settings.unresolved_concepts),
           updated_at = now()`,
        [model.entity.id, dto.failMode ?? null, dto.unresolvedConcepts ?? null, DEFAULT_REJECTOR_SETTINGS.failMode, DEFAULT_REJECTOR_SETTINGS.unresolvedConcepts],
      );
      await notifyLiveSetChange(this.db, runner, change, this.events);
    });
    this.events.emit(change);
    return this.view(modelName, model.entity.id);
  }

  private async view(modelName: string, modelId: number): Promise<RejectorSettingsView> {
    const row = await readSettingsRow(this.db, modelId);
    return { model: modelName, failMode: row?.failMode ?? DEFAULT_REJECTOR_SETTINGS.failMode, unresolvedConcepts: row?.unresolvedConcepts ?? DEFAULT_REJECTOR_SETTINGS.unresolvedConcepts, updatedAt: row?.updatedAt ?? null };
  }
}
