import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CostPolicyInput } from '../core/cost/cost-policy';
import { CostPolicyDto } from './dto/cost-policy.dto';
import { CreateModelDto } from './dto/create-model.dto';
import { ModelsService } from './models.service';

@ApiTags('models')
@Controller('models')
export class ModelsController {
  constructor(@Inject(ModelsService) private readonly models: ModelsService) {}

  @Post()
  @ApiOperation({ summary: 'Register a model with its classes and cost policy' })
  create(@Body() dto: CreateModelDto) {
    return this.models.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List models' })
  list() {
    return this.models.list();
  }

  @Get(':name')
  @ApiOperation({ summary: 'A model with its current cost policy and T*' })
  get(@Param('name') name: string) {
    return this.models.get(name);
  }

  @Put(':name/cost-policy')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change the cost policy (creates a new version)' })
  @ApiBody({ type: CostPolicyDto })
  updatePolicy(@Param('name') name: string, @Body() body: CostPolicyInput) {
    return this.models.updatePolicy(name, body);
  }

  @Get(':name/cost-policy/history')
  @ApiOperation({ summary: 'Every version of the cost policy, newest first' })
  history(@Param('name') name: string) {
    return this.models.policyHistory(name);
  }
}
