import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { InductionController } from './induction.controller';
import { InductionService } from './induction.service';

@Module({ imports: [ModelsModule], controllers: [InductionController], providers: [InductionService] })
export class InductionModule {}
