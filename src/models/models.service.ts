import { Inject, Injectable, Optional } from '@nestjs/common';
import { policyThreshold, resolveCostPolicy, type CostPolicy, type CostPolicyInput } from '../core/cost/cost-policy';
import { CaveatError } from '../core/errors';
import { Database } from '../database/database';
import { insertNextVersion } from '../database/next-version';
import { isUniqueViolation } from '../database/pg-errors';
import { RuleSetEvents, notifyLiveSetChange, type LiveSetChange } from '../rule-sets/rule-set-events';
import { CostPolicyEntity } from './cost-policy.entity';
import type { CreateModelDto } from './dto/create-model.dto';
import { ModelEntity } from './model.entity';

export interface CostPolicyView extends CostPolicy {
  version: number;
  /** T* = (D − W)/(V − W), clipped (DESIGN §1). */
  tStar: number;
  /** T* per predicted class, when class values are set. */
  tStarByClass?: Record<string, number>;
  createdAt: Date;
}

export interface ModelView {
  name: string;
  description: string;
  classes: string[];
  createdAt: Date;
  costPolicy: CostPolicyView;
}

/** A model with its current cost policy, as the services below need it. */
export interface LoadedModel {
  entity: ModelEntity;
  policy: CostPolicy;
  policyVersion: number;
}

@Injectable()
export class ModelsService {
  constructor(
    @Inject(Database) private readonly db: Database,
    // Absent where no rejector runs (the CLI's local commands).
    @Optional() @Inject(RuleSetEvents) private readonly events?: RuleSetEvents,
  ) {}

  async create(dto: CreateModelDto): Promise<ModelView> {
    const policy = resolveCostPolicy(dto.costPolicy, dto.classes);
    try {
      await this.db.transaction(async (runner) => {
        const model = await runner.manager.save(ModelEntity, { name: dto.name, description: dto.description ?? '', classes: dto.classes });
        await runner.manager.insert(CostPolicyEntity, toEntity(model.id, 1, policy));
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new CaveatError('conflict', `a model named '${dto.name}' already exists`, { field: 'name' });
      throw e;
    }
    return this.get(dto.name);
  }

  async list(): Promise<ModelView[]> {
    const models = await this.db.dataSource.getRepository(ModelEntity).find({ order: { name: 'ASC' } });
    // Every model's current policy in one query, not one query per model.
    const current = await this.db.dataSource
      .getRepository(CostPolicyEntity)
      .createQueryBuilder('p')
      .distinctOn(['p.modelId'])
      .orderBy('p.modelId')
      .addOrderBy('p.version', 'DESC')
      .getMany();
    const byModel = new Map(current.map((p) => [p.modelId, p]));
    return models.map((m) => {
      const policy = byModel.get(m.id);
      if (!policy) throw new CaveatError('internal', `model ${m.id} has no cost policy`);
      return view(m, policy);
    });
  }

  async get(name: string): Promise<ModelView> {
    const model = await this.findModel(name);
    return view(model, await this.currentPolicy(model.id));
  }

  /** The model and its current policy, or `not_found`. */
  async load(name: string): Promise<LoadedModel> {
    const entity = await this.findModel(name);
    const current = await this.currentPolicy(entity.id);
    return { entity, policy: fromEntity(current), policyVersion: current.version };
  }

  /**
   * Changing a policy inserts a new version; older versions stay readable. Every process's
   * rejector (this one by event, others by NOTIFY at commit) decides by the new one from then on.
   */
  async updatePolicy(name: string, input: CostPolicyInput): Promise<CostPolicyView> {
    const model = await this.findModel(name);
    const policy = resolveCostPolicy(input, model.classes);
    const change: LiveSetChange = { modelId: model.id, reason: 'policy' };
    const saved = await insertNextVersion(this.db, 'cost_policies', model.id, async (runner, version) => {
      const row = await runner.manager.save(CostPolicyEntity, toEntity(model.id, version, policy));
      await notifyLiveSetChange(this.db, runner, change, this.events);
      return row;
    });
    this.events?.emit(change);
    return policyView(saved, model.classes);
  }

  async policyHistory(name: string): Promise<CostPolicyView[]> {
    const model = await this.findModel(name);
    const rows = await this.db.dataSource.getRepository(CostPolicyEntity).find({ where: { modelId: model.id }, order: { version: 'DESC' } });
    return rows.map((r) => policyView(r, model.classes));
  }

  private async findModel(name: string): Promise<ModelEntity> {
    const model = await this.db.dataSource.getRepository(ModelEntity).findOne({ where: { name } });
    if (!model) throw new CaveatError('not_found', `no model named '${name}'`, { field: 'name', name });
    return model;
  }

  private async currentPolicy(modelId: number): Promise<CostPolicyEntity> {
    const row = await this.db.dataSource.getRepository(CostPolicyEntity).findOne({ where: { modelId }, order: { version: 'DESC' } });
    if (!row) throw new CaveatError('internal', `model ${modelId} has no cost policy`);
    return row;
  }
}

function toEntity(modelId: number, version: number, p: CostPolicy): Partial<CostPolicyEntity> {
  return { modelId, version, V: p.V, D: p.D, W: p.W, classValues: p.classValues ?? null, confusionValues: p.confusionValues ?? null };
}

function fromEntity(e: CostPolicyEntity): CostPolicy {
  const p: CostPolicy = { V: e.V, D: e.D, W: e.W };
  if (e.classValues) p.classValues = e.classValues;
  if (e.confusionValues) p.confusionValues = e.confusionValues;
  return p;
}

function policyView(e: CostPolicyEntity, classes: string[]): CostPolicyView {
  const p = fromEntity(e);
  const out: CostPolicyView = { version: e.version, ...p, tStar: policyThreshold(p), createdAt: e.createdAt };
  if (p.classValues) out.tStarByClass = Object.fromEntries(classes.map((c) => [c, policyThreshold(p, c)]));
  return out;
}

function view(m: ModelEntity, policy: CostPolicyEntity): ModelView {
  return { name: m.name, description: m.description, classes: m.classes, createdAt: m.createdAt, costPolicy: policyView(policy, m.classes) };
}
