import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseId } from '../concepts/id-param';
import { invalid } from '../core/errors';
import { AnnotatorsService } from './annotators.service';
import { ANNOTATOR_ROLES, CreateAnnotatorDto } from './dto/create-annotator.dto';

@ApiTags('crowd')
@Controller('annotators')
export class AnnotatorsController {
  constructor(@Inject(AnnotatorsService) private readonly annotators: AnnotatorsService) {}

  @Post()
  @ApiOperation({ summary: 'Register an annotator (crowd, stakeholder or expert)' })
  create(@Body() dto: CreateAnnotatorDto) {
    return this.annotators.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List annotators' })
  @ApiQuery({ name: 'role', required: false, enum: ANNOTATOR_ROLES })
  list(@Query('role') role?: string) {
    if (role !== undefined && !(ANNOTATOR_ROLES as readonly string[]).includes(role)) throw invalid('role', `must be one of ${ANNOTATOR_ROLES.join(', ')}`);
    return this.annotators.list(role);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One annotator' })
  get(@Param('id') id: string) {
    return this.annotators.get(parseId(id, 'id'));
  }
}
