import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { invalid } from '../core/errors';
import { CreateRuleSetDto } from './dto/create-rule-set.dto';
import { ImportRuleFilesDto } from './dto/import-rule-files.dto';
import { MergeRuleSetsDto } from './dto/merge-rule-sets.dto';
import { ReplaceRulesDto } from './dto/replace-rules.dto';
import { RuleSetsService } from './rule-sets.service';

/** A version path parameter: a positive integer, or a 400 naming it. */
function version(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1 || n > 2 ** 31 - 1) throw invalid('version', `must be a positive integer, got '${v}'`);
  return n;
}

@ApiTags('rule sets')
@Controller('models/:name/rule-sets')
export class RuleSetsController {
  constructor(@Inject(RuleSetsService) private readonly ruleSets: RuleSetsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a draft rule set from rules given as JSON (validated; 400 names the rule and field)' })
  create(@Param('name') name: string, @Body() dto: CreateRuleSetDto) {
    return this.ruleSets.create(name, dto);
  }

  @Post('import')
  @ApiOperation({ summary: 'Create an expert draft from rule files given as text (400 lists file:line:column issues in details.issues)' })
  import(@Param('name') name: string, @Body() dto: ImportRuleFilesDto) {
    return this.ruleSets.importFiles(name, dto.files);
  }

  @Post('merge')
  @ApiOperation({ summary: 'Create a mixed draft combining the rules of stored versions (rule ids must stay unique: 409)' })
  merge(@Param('name') name: string, @Body() dto: MergeRuleSetsDto) {
    return this.ruleSets.merge(name, dto.versions, dto.actions);
  }

  @Get()
  @ApiOperation({ summary: 'Versions, newest first, without their rules' })
  list(@Param('name') name: string) {
    return this.ruleSets.list(name);
  }

  @Get(':version')
  @ApiOperation({ summary: 'One version with its rules, ranked as stored' })
  @ApiParam({ name: 'version', type: Number })
  get(@Param('name') name: string, @Param('version') v: string) {
    return this.ruleSets.get(name, version(v));
  }

  @Put(':version')
  @ApiOperation({ summary: "Replace a draft's rules (published versions are immutable: 409)" })
  @ApiParam({ name: 'version', type: Number })
  replace(@Param('name') name: string, @Param('version') v: string, @Body() dto: ReplaceRulesDto) {
    return this.ruleSets.replaceRules(name, version(v), dto);
  }

  @Patch(':version')
  @ApiOperation({ summary: 'Same as PUT: replace a draft’s rules' })
  @ApiParam({ name: 'version', type: Number })
  patch(@Param('name') name: string, @Param('version') v: string, @Body() dto: ReplaceRulesDto) {
    return this.ruleSets.replaceRules(name, version(v), dto);
  }

  @Post(':version/activate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a draft (or the shadow set) active; the previous active set retires. Concurrent activations: one wins, the other 409' })
  @ApiParam({ name: 'version', type: Number })
  activate(@Param('name') name: string, @Param('version') v: string) {
    return this.ruleSets.changeState(name, version(v), 'active');
  }

  @Post(':version/shadow')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a draft the shadow set (evaluated and logged, never applied); the previous shadow retires' })
  @ApiParam({ name: 'version', type: Number })
  shadow(@Param('name') name: string, @Param('version') v: string) {
    return this.ruleSets.changeState(name, version(v), 'shadow');
  }

  @Post(':version/retire')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retire the active or shadow set' })
  @ApiParam({ name: 'version', type: Number })
  retire(@Param('name') name: string, @Param('version') v: string) {
    return this.ruleSets.changeState(name, version(v), 'retired');
  }

  @Post(':version/revert')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a copy of a published version as a new version (based_on = it) and activate it' })
  @ApiParam({ name: 'version', type: Number })
  revert(@Param('name') name: string, @Param('version') v: string) {
    return this.ruleSets.revert(name, version(v));
  }
}
