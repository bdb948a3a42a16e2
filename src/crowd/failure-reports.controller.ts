import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { invalid } from '../core/errors';
import { CreateFailureReportDto } from './dto/create-failure-report.dto';
import { FailureReportsService } from './failure-reports.service';

@ApiTags('crowd')
@Controller('models/:name/failure-reports')
export class FailureReportsController {
  constructor(@Inject(FailureReportsService) private readonly reports: FailureReportsService) {}

  @Post()
  @ApiOperation({ summary: 'Report a wrong prediction in words; the item becomes a candidate for the next campaign' })
  create(@Param('name') name: string, @Body() dto: CreateFailureReportDto) {
    return this.reports.create(name, dto);
  }

  @Get()
  @ApiOperation({ summary: "A model's failure reports" })
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'queued'] })
  list(@Param('name') name: string, @Query('status') status?: string) {
    if (status !== undefined && status !== 'open' && status !== 'queued') throw invalid('status', 'must be open or queued');
    return this.reports.list(name, status);
  }
}
