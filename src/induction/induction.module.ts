import { Module } from '@nestjs/common';
import { CalibrationModule } from '../calibration/calibration.module';
import { CrowdModule } from '../crowd/crowd.module';
import { ModelsModule } from '../models/models.module';
import { InductionController } from './induction.controller';
import { InductionService } from './induction.service';

@Module({ imports: [ModelsModule, CrowdModule, CalibrationModule], controllers: [InductionController], providers: [InductionService] })
export class InductionModule {}
