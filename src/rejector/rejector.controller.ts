import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RejectorSettingsDto } from './dto/rejector-settings.dto';
import { RejectorCache } from './rejector-cache';
import { RejectorSettingsService } from './rejector-settings.service';
import { rejectorView } from './rejector-view';

@ApiTags('rejector')
@Controller('models/:name')
export class RejectorController {
  constructor(
    @Inject(RejectorCache) private readonly cache: RejectorCache,
    @Inject(RejectorSettingsService) private readonly settings: RejectorSettingsService,
  ) {}

  @Get('rejector')
  @ApiOperation({ summary: "The model's in-memory rejector: live rule-set, calibrator and policy versions, settings, detectors, failure" })
  async state(@Param('name') name: string) {
    return rejectorView(await this.cache.get(name), this.cache.refreshMs);
  }

  @Post('rejector/reload')
  @HttpCode(200)
  @ApiOperation({
    summary: "Rebuild the rejector from the database now, in every process of the service (changes made through the service arrive at once by event or NOTIFY; this is for rows edited by hand)",
  })
  async reload(@Param('name') name: string) {
    return rejectorView(await this.cache.reloadEverywhere(name), this.cache.refreshMs);
  }

  @Get('rejector-settings')
  @ApiOperation({ summary: 'Fail mode (closed/open) and unresolved-concept policy (ignore/reject)' })
  getSettings(@Param('name') name: string) {
    return this.settings.get(name);
  }

  @Put('rejector-settings')
  @ApiOperation({ summary: 'Change the fail mode or the unresolved-concept policy (fields left out are kept)' })
  putSettings(@Param('name') name: string, @Body() dto: RejectorSettingsDto) {
    return this.settings.put(name, dto);
  }
}
