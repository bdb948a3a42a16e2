import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseId } from '../concepts/id-param';
import { invalid } from '../core/errors';
import { CampaignsService } from './campaigns.service';
import { CreateCampaignDto } from './dto/create-campaign.dto';
import { NextTaskDto } from './dto/next-task.dto';
import { TasksService } from './tasks.service';

const STATUSES = ['open', 'closed'];

@ApiTags('crowd')
@Controller()
export class CampaignsController {
  constructor(
    @Inject(CampaignsService) private readonly campaigns: CampaignsService,
    @Inject(TasksService) private readonly tasks: TasksService,
  ) {}

  @Post('models/:name/campaigns')
  @ApiOperation({ summary: 'Create a campaign: concepts to ask about, a sampling design (items and π recorded now or drawn by the bandit), a budget' })
  create(@Param('name') name: string, @Body() dto: CreateCampaignDto) {
    return this.campaigns.create(name, dto);
  }

  @Get('models/:name/campaigns')
  @ApiOperation({ summary: "A model's campaigns" })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  listForModel(@Param('name') name: string, @Query('status') status?: string) {
    return this.campaigns.list({ model: name, status: checkStatus(status) });
  }

  @Get('campaigns')
  @ApiOperation({ summary: 'Every campaign (the labeling page lists the open ones)' })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  list(@Query('status') status?: string) {
    return this.campaigns.list({ status: checkStatus(status) });
  }

  @Get('campaigns/:id')
  @ApiOperation({ summary: 'A campaign with its strata or bandit arms and its progress' })
  get(@Param('id') id: string) {
    return this.campaigns.get(parseId(id, 'id'));
  }

  @Post('campaigns/:id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop handing out tasks (open tasks may still be submitted)' })
  close(@Param('id') id: string) {
    return this.campaigns.close(parseId(id, 'id'));
  }

  @Post('campaigns/:id/tasks/next')
  @HttpCode(200)
  @ApiOperation({ summary: "The annotator's next task (their open one if any); {task: null, reason} when there is none" })
  next(@Param('id') id: string, @Body() dto: NextTaskDto) {
    return this.tasks.next(parseId(id, 'id'), dto.annotatorId);
  }
}

function checkStatus(status: string | undefined): string | undefined {
  if (status !== undefined && !STATUSES.includes(status)) throw invalid('status', `must be one of ${STATUSES.join(', ')}`);
  return status;
}
