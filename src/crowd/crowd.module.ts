import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { AggregationController } from './aggregation.controller';
import { AggregationService } from './aggregation.service';
import { AnnotatorsController } from './annotators.controller';
import { AnnotatorsService } from './annotators.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { ConceptFlagsService } from './concept-flags.service';
import { FailureReportsController } from './failure-reports.controller';
import { FailureReportsService } from './failure-reports.service';
import { GoldService } from './gold.service';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** Annotators, campaigns and tasks, failure reports, gold answers, aggregation runs and the concept-flag export (DESIGN §3). */
@Module({
  imports: [ModelsModule],
  controllers: [AnnotatorsController, CampaignsController, TasksController, FailureReportsController, AggregationController],
  providers: [AnnotatorsService, CampaignsService, TasksService, FailureReportsService, GoldService, AggregationService, ConceptFlagsService],
  exports: [AnnotatorsService, CampaignsService, TasksService, AggregationService, ConceptFlagsService],
})
export class CrowdModule {}
