import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { invalid } from '../core/errors';
import { parseSplit, SPLITS } from '../core/predictions/prediction-row';
import { RuleSetEvaluationService } from './rule-set-evaluation.service';

function versionOf(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1) throw invalid('version', 'must be a positive integer');
  return n;
}

/** Lives with the rejector (it decides exactly as the rejector does), under the rule-sets path. */
@ApiTags('rejector')
@Controller('models/:name/rule-sets')
export class RuleSetEvaluationController {
  constructor(@Inject(RuleSetEvaluationService) private readonly evaluation: RuleSetEvaluationService) {}

  @Get(':version/evaluate')
  @ApiOperation({ summary: 'Realized value, coverage and selective risk of T*, Tv, this rule set + T*, and the oracle, side by side on a labelled split' })
  @ApiQuery({ name: 'split', required: false, enum: SPLITS, description: 'default test' })
  evaluate(@Param('name') name: string, @Param('version') version: string, @Query('split') split?: string) {
    return this.evaluation.evaluate(name, versionOf(version), split === undefined ? 'test' : parseSplit(split, 'split'));
  }
}
