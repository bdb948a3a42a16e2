import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { invalid } from '../core/errors';
import { DecisionsService } from './decisions.service';

function limitOf(v: string | undefined): number {
  if (v === undefined) return 100;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw invalid('limit', 'must be an integer in [1, 10000]');
  return n;
}

@ApiTags('rejector')
@Controller('models/:name/decisions')
export class DecisionsController {
  constructor(@Inject(DecisionsService) private readonly decisions: DecisionsService) {}

  @Get()
  @ApiOperation({ summary: 'Logged decisions about one item, newest first' })
  @ApiQuery({ name: 'itemId', required: true, description: 'the external id the decisions were logged with' })
  @ApiQuery({ name: 'limit', required: false, description: '1–10000, default 100' })
  byItem(@Param('name') name: string, @Query('itemId') itemId?: string, @Query('limit') limit?: string) {
    if (!itemId) throw invalid('itemId', 'is required: the decisions of which item?');
    return this.decisions.byItem(name, itemId, limitOf(limit));
  }

  @Get('stats')
  @ApiOperation({ summary: "Decision log writer counters: buffered, written, dropped (with why), waits under backpressure" })
  stats(@Param('name') name: string) {
    return this.decisions.stats(name);
  }

  @Get('summary')
  @ApiOperation({ summary: 'Realized value, coverage and selective risk of logged decisions once labelled, by rule-set version, and the shadow set beside them' })
  summary(@Param('name') name: string) {
    return this.decisions.summary(name);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One logged decision' })
  get(@Param('name') name: string, @Param('id') id: string) {
    return this.decisions.get(name, id);
  }
}
