import { Module } from '@nestjs/common';
import { CalibrationModule } from '../calibration/calibration.module';
import { ConceptsModule } from '../concepts/concepts.module';
import { CrowdModule } from '../crowd/crowd.module';
import { ServicePeers } from '../cluster/service-peers';
import { ModelsModule } from '../models/models.module';
import { DecideRoutes } from './decide.routes';
import { DecisionLogService } from './decision-log.service';
import { DecisionService } from './decision.service';
import { DecisionsController } from './decisions.controller';
import { DecisionsService } from './decisions.service';
import { RejectorCache } from './rejector-cache';
import { RejectorController } from './rejector.controller';
import { RejectorSettingsService } from './rejector-settings.service';
import { RuleSetEvaluationController } from './rule-set-evaluation.controller';
import { RuleSetEvaluationService } from './rule-set-evaluation.service';
import { TextDetectorsController } from './text-detectors.controller';
import { TextDetectorsService } from './text-detectors.service';

/**
 * The decision side of the rejector (DESIGN §5, issue 6): decide and batch (Fastify routes, decide.routes.ts), the per-process
 * cache of prepared rejectors, the decision log and its summary, rule-set evaluation, settings
 * and text detectors. RuleSetStore and RuleSetEvents come from the global RuleSetsModule.
 */
@Module({
  imports: [ModelsModule, CalibrationModule, ConceptsModule, CrowdModule],
  controllers: [RejectorController, DecisionsController, RuleSetEvaluationController, TextDetectorsController],
  providers: [ServicePeers, RejectorCache, DecisionLogService, DecisionService, DecideRoutes, DecisionsService, RejectorSettingsService, RuleSetEvaluationService, TextDetectorsService],
})
export class RejectorModule {}
