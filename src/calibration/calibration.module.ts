import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { CalibrationController } from './calibration.controller';
import { CalibrationService } from './calibration.service';

@Module({ imports: [ModelsModule], controllers: [CalibrationController], providers: [CalibrationService], exports: [CalibrationService] })
export class CalibrationModule {}
