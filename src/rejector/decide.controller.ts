import { Body, Controller, Header, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DecisionService } from './decision.service';
import { DecideBatchRequestDto, DecideRequestDto } from './dto/decide-request.dto';

const JSON_TYPE = 'application/json; charset=utf-8';

@ApiTags('rejector')
@Controller('models/:name')
export class DecideController {
  constructor(@Inject(DecisionService) private readonly decisions: DecisionService) {}

  // The service answers with JSON text it wrote itself (answer-json.ts), sent as it is.
  @Post('decide')
  @HttpCode(200)
  @Header('content-type', JSON_TYPE)
  @ApiOperation({ summary: 'Accept or reject one prediction, with the reason, the threshold, matched rules and expected values (logged)' })
  @ApiBody({ type: DecideRequestDto })
  decide(@Param('name') name: string, @Body() body: unknown) {
    return this.decisions.decideOne(name, body);
  }

  @Post('decide/batch')
  @HttpCode(200)
  @Header('content-type', JSON_TYPE)
  @ApiOperation({ summary: 'Up to 10,000 decisions in one call; answers in the same order (413 beyond)' })
  @ApiBody({ type: DecideBatchRequestDto })
  batch(@Param('name') name: string, @Body() body: unknown) {
    return this.decisions.decideBatch(name, body);
  }
}
