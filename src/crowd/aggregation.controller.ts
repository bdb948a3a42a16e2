import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseId, parseOptionalId } from '../concepts/id-param';
import { AggregationService } from './aggregation.service';
import { ConceptFlagsService } from './concept-flags.service';
import { RunAggregationDto } from './dto/run-aggregation.dto';
import { SetGoldDto } from './dto/set-gold.dto';
import { GoldService } from './gold.service';

@ApiTags('crowd')
@Controller()
export class AggregationController {
  constructor(
    @Inject(AggregationService) private readonly aggregation: AggregationService,
    @Inject(ConceptFlagsService) private readonly flags: ConceptFlagsService,
    @Inject(GoldService) private readonly gold: GoldService,
  ) {}

  @Post('models/:name/aggregations')
  @ApiOperation({ summary: 'Aggregate every yes/no concept answer (mv, ds, ds-onecoin): a posterior per (item, concept), reliability per annotator' })
  run(@Param('name') name: string, @Body() dto: RunAggregationDto) {
    return this.aggregation.run(name, dto);
  }

  @Get('models/:name/aggregations')
  @ApiOperation({ summary: "A model's aggregation runs, newest first" })
  list(@Param('name') name: string) {
    return this.aggregation.list(name);
  }

  @Get('aggregations/:id')
  @ApiOperation({ summary: 'One run: per-concept counts and every annotator (accuracy, sensitivity, specificity, gold, flagged)' })
  get(@Param('id') id: string) {
    return this.aggregation.get(parseId(id, 'id'));
  }

  @Get('models/:name/concept-flags')
  @ApiOperation({ summary: 'Per-item concept flags (present iff posterior ≥ 0.5) with sampling weights 1/π — the input of rule induction' })
  @ApiQuery({ name: 'run', required: false, description: 'aggregation run id (default: the newest)' })
  @ApiQuery({ name: 'campaign', required: false, description: "only this campaign's items, weighted by its design" })
  conceptFlags(@Param('name') name: string, @Query('run') run?: string, @Query('campaign') campaign?: string) {
    return this.flags.conceptFlagsJson(name, { runId: parseOptionalId(run, 'run'), campaignId: parseOptionalId(campaign, 'campaign') });
  }

  @Put('models/:name/gold')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set gold answers (known yes/no per item and concept; null removes), atomically' })
  setGold(@Param('name') name: string, @Body() dto: SetGoldDto) {
    return this.gold.set(name, dto);
  }

  @Get('models/:name/gold')
  @ApiOperation({ summary: "A model's gold answers" })
  listGold(@Param('name') name: string) {
    return this.gold.list(name);
  }
}
