import { Inject, Injectable } from '@nestjs/common';
import { CaveatError, invalid } from '../core/errors';
import type { CaveatRule } from '../core/rejection/rule-model';
import { validateRuleFiles, type RuleFileInput, type RuleIssue, type RuleVocabulary } from '../core/rejection/rule-validation';
import { Database } from '../database/database';
import { ModelsService } from '../models/models.service';
import { ActivationGuard } from './activation-guard';
import { ConceptVocabulary } from './concept-vocabulary';
import { checkRuleValues, mergeRuleValues } from './rule-input';
import { RuleSetEvents } from './rule-set-events';
import { RuleSetLifecycle, type ModelRef, type StateChange } from './rule-set-lifecycle';
import type { TargetState } from './rule-set-states';
import { RuleSetStore } from './rule-set-store';
import { briefOf, summaryOf, viewOf, type RuleSetSummary, type RuleSetView } from './rule-set-view';
import type { RuleSetSource } from './rule-set.entity';

export interface CreateRuleSetInput {
  source: RuleSetSource;
  rules: unknown[];
  params?: Record<string, unknown>;
}

export interface ImportedRuleSet extends RuleSetView {
  files: Array<{ name: string; ruleCount: number }>;
  /** False when the model has no concept vocabulary yet, so concept names were not checked. */
  conceptsChecked: boolean;
}

export interface StateChangeView extends RuleSetSummary {
  /** Versions the change retired (the previous active or shadow set). */
  retired: number[];
}

/** Rule-set lifecycle (DESIGN §5): drafts from JSON, rule files or merges; edits of drafts; activate, shadow, retire, revert. */
@Injectable()
export class RuleSetsService {
  private readonly lifecycle: RuleSetLifecycle;
  private readonly vocabulary: ConceptVocabulary;
  private readonly guard = new ActivationGuard();

  constructor(
    @Inject(Database) db: Database,
    @Inject(ModelsService) private readonly models: ModelsService,
    @Inject(RuleSetStore) private readonly store: RuleSetStore,
    @Inject(RuleSetEvents) private readonly events: RuleSetEvents,
  ) {
    this.lifecycle = new RuleSetLifecycle(db, events);
    this.vocabulary = new ConceptVocabulary(db);
  }

  /** A draft from rules given as values, validated against the model's concept vocabulary when it has one. */
  async create(modelName: string, input: CreateRuleSetInput): Promise<RuleSetView> {
    const model = await this.model(modelName);
    const rules = checkRuleValues(input.rules, input.source, await this.ruleVocabulary(model.id));
    const saved = await this.store.createDraft(model.id, { source: input.source, rules, params: input.params ?? null });
    return viewOf(model.name, saved);
  }

  /** An expert draft from rule files given as text; any issue is a 400 listing every file:line:column. */
  async importFiles(modelName: string, files: RuleFileInput[]): Promise<ImportedRuleSet> {
    const model = await this.model(modelName);
    const seen = new Set<string>();
    files.forEach((f, i) => {
      if (seen.has(f.name)) throw invalid(`files[${i}].name`, `'${f.name}' is given twice`);
      seen.add(f.name);
    });
    const vocabulary = await this.ruleVocabulary(model.id);
    const result = validateRuleFiles(files, vocabulary);
    if (result.issues.length > 0) throw fileIssuesError(result.issues, files);
    if (result.rules.length === 0) throw invalid('files', 'the files hold no rules');
    const summary = result.files.map((f) => ({ name: f.name, ruleCount: f.ruleCount }));
    const saved = await this.store.createDraft(model.id, { source: 'expert', rules: result.rules, params: { importedFiles: summary } });
    return { ...viewOf(model.name, saved), files: summary, conceptsChecked: vocabulary.concepts !== undefined };
  }

  /** A mixed draft combining the rules of stored versions, in the order given. */
  async merge(modelName: string, versions: number[], actions: Record<string, unknown> = {}): Promise<RuleSetView> {
    const model = await this.model(modelName);
    versions.forEach((v, i) => {
      if (versions.indexOf(v) !== i) throw invalid(`versions[${i}]`, `version ${v} is listed twice`);
    });
    const sets = [];
    for (const version of versions) sets.push(await this.store.get(model.id, version, model.name));
    const merged = mergeRuleValues(sets, actions);
    const rules = checkRuleValues(merged.values, 'mixed', await this.ruleVocabulary(model.id), merged.where);
    const params = { mergedFrom: versions, ...(Object.keys(actions).length > 0 ? { actions } : {}) };
    const saved = await this.store.createDraft(model.id, { source: 'mixed', rules, params });
    return viewOf(model.name, saved);
  }

  async list(modelName: string): Promise<RuleSetSummary[]> {
    const model = await this.model(modelName);
    return (await this.store.summaries(model.id)).map((row) => summaryOf(model.name, row));
  }

  async get(modelName: string, version: number): Promise<RuleSetView> {
    const model = await this.model(modelName);
    return viewOf(model.name, await this.store.get(model.id, version, model.name));
  }

  /** Replaces a draft's rules; 409 once the version is published. */
  async replaceRules(modelName: string, version: number, input: { rules: unknown[]; params?: Record<string, unknown> }): Promise<RuleSetView> {
    const model = await this.model(modelName);
    const current = await this.store.get(model.id, version, model.name);
    if (current.state !== 'draft') {
      throw new CaveatError('conflict', `version ${version} of '${model.name}' is ${current.state}: published versions are immutable; make a new draft`, {
        field: 'version',
        version,
        state: current.state,
      });
    }
    const rules: CaveatRule[] = checkRuleValues(input.rules, current.source, await this.ruleVocabulary(model.id));
    return viewOf(model.name, await this.store.replaceDraft(model.id, version, rules, input.params, model.name));
  }

  /** Moves a version to active, shadow or retired (retiring the previous holder) and tells the rejectors. */
  changeState(modelName: string, version: number, to: TargetState): Promise<StateChangeView> {
    return this.guard.run(modelName, async () => {
      const model = await this.model(modelName);
      return this.announce(model, await this.lifecycle.changeState(model, version, to));
    });
  }

  /** Publishes a copy of an old version as a new active version. */
  revert(modelName: string, version: number): Promise<StateChangeView> {
    return this.guard.run(modelName, async () => {
      const model = await this.model(modelName);
      return this.announce(model, await this.lifecycle.revert(model, version));
    });
  }

  private announce(model: ModelRef, result: StateChange): StateChangeView {
    this.events.emit(result.change);
    return { ...briefOf(model.name, result.set), retired: result.retired };
  }

  private async model(name: string): Promise<ModelRef> {
    const { entity } = await this.models.load(name);
    return { id: entity.id, name: entity.name };
  }

  private async ruleVocabulary(modelId: number): Promise<RuleVocabulary> {
    const concepts = await this.vocabulary.names(modelId);
    return concepts === undefined ? {} : { concepts };
  }
}

/** The 400 for invalid rule files: every issue with its file:line:column, the first in the message. */
function fileIssuesError(issues: RuleIssue[], files: RuleFileInput[]): CaveatError {
  const first = issues[0];
  const index = Math.max(
    0,
    files.findIndex((f) => f.name === first.file),
  );
  const at = first.line === undefined ? `${first.file}` : `${first.file}:${first.line}:${first.column}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length === 2 ? '' : 's'})` : '';
  return new CaveatError('invalid_input', `${at}: ${first.path}: ${first.message}${more}`, {
    field: `files[${index}].text`,
    issues: issues.map((i) => ({ file: i.file, line: i.line, column: i.column, path: i.path, message: i.message })),
  });
}
