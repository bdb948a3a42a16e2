import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { ConceptsController } from './concepts.controller';
import { ConceptsService } from './concepts.service';

/** The per-model concept vocabulary (DESIGN §3). Free text is recorded through `recordFreeText` inside callers' transactions. */
@Module({ imports: [ModelsModule], controllers: [ConceptsController], providers: [ConceptsService], exports: [ConceptsService] })
export class ConceptsModule {}
