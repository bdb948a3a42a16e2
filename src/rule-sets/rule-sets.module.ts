import { Global, Module } from '@nestjs/common';
import { Database } from '../database/database';
import { ModelsModule } from '../models/models.module';
import { RuleSetEvents } from './rule-set-events';
import { RuleSetStore } from './rule-set-store';
import { RuleSetsController } from './rule-sets.controller';
import { RuleSetsService } from './rule-sets.service';

/**
 * Rule sets of every model. Global so the rejector (and induction) can inject the one RuleSetStore
 * and the one RuleSetEvents of the process without importing this module.
 */
@Global()
@Module({
  imports: [ModelsModule],
  controllers: [RuleSetsController],
  providers: [
    { provide: RuleSetStore, inject: [Database], useFactory: (db: Database) => new RuleSetStore(db) },
    // One instance per application (not per module import), so every subscriber hears every change.
    { provide: RuleSetEvents, useFactory: () => new RuleSetEvents() },
    RuleSetsService,
  ],
  exports: [RuleSetStore, RuleSetEvents, RuleSetsService],
})
export class RuleSetsModule {}
