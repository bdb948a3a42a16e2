import { type DynamicModule, Module } from '@nestjs/common';
import type { CaveatConfig } from './config/config';
import { CalibrationModule } from './calibration/calibration.module';
import { InductionModule } from './induction/induction.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { ModelsModule } from './models/models.module';
import { PredictionsModule } from './predictions/predictions.module';
import { RuleSetsModule } from './rule-sets/rule-sets.module';
import { ConceptsModule } from './concepts/concepts.module';
import { CrowdModule } from './crowd/crowd.module';
import { LabelPageModule } from './label-page/label-page.module';
import { RejectorModule } from './rejector/rejector.module';

/** The feature modules of the service. */
export const FEATURE_MODULES = [
  HealthModule,
  ModelsModule,
  PredictionsModule,
  CalibrationModule,
  InductionModule,
  RuleSetsModule,
  ConceptsModule,
  CrowdModule,
  LabelPageModule,
  RejectorModule,
];

@Module({})
export class AppModule {
  static forRoot(config: CaveatConfig): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot(config), DatabaseModule, ...FEATURE_MODULES] };
  }
}
