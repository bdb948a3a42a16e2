import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CreateDetectorDto } from './dto/create-detector.dto';
import { TextDetectorsService } from './text-detectors.service';

@ApiTags('rejector')
@Controller('models/:name/detectors')
export class TextDetectorsController {
  constructor(@Inject(TextDetectorsService) private readonly detectors: TextDetectorsService) {}

  @Post()
  @ApiOperation({ summary: "Store a text concept detector: a keyword lexicon, or a classifier trained here with its held-out precision and recall (a new version of the concept's detector)" })
  create(@Param('name') name: string, @Body() dto: CreateDetectorDto) {
    return this.detectors.create(name, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Stored detectors, every version, newest first per concept (`serving` marks the one in use)' })
  @ApiQuery({ name: 'concept', required: false })
  list(@Param('name') name: string, @Query('concept') concept?: string) {
    return this.detectors.list(name, concept);
  }
}
