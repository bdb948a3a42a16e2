import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { PredictionsController } from './predictions.controller';
import { PredictionsService } from './predictions.service';

@Module({ imports: [ModelsModule], controllers: [PredictionsController], providers: [PredictionsService], exports: [PredictionsService] })
export class PredictionsModule {}
