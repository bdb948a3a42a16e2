import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InduceDto } from './dto/induce.dto';
import { InductionService } from './induction.service';

@ApiTags('rule induction')
@Controller('models/:name/rule-sets')
export class InductionController {
  constructor(@Inject(InductionService) private readonly induction: InductionService) {}

  @Post('induce')
  @ApiOperation({ summary: 'Induce "the model fails when…" rules on a labelled split; stored as a draft rule set' })
  induce(@Param('name') name: string, @Body() dto: InduceDto) {
    return this.induction.induce(name, dto);
  }
}
