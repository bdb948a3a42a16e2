import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { invalid } from '../core/errors';
import { CONCEPT_KINDS, CONCEPT_STATUSES } from './concept-view';
import { ConceptsService } from './concepts.service';
import { CreateConceptDto } from './dto/create-concept.dto';
import { MergeConceptDto } from './dto/merge-concept.dto';
import { RenameConceptDto } from './dto/rename-concept.dto';
import { UpdateConceptDto } from './dto/update-concept.dto';
import { parseId } from './id-param';

const oneOf = (value: string | undefined, allowed: readonly string[], field: string): string | undefined => {
  if (value === undefined) return undefined;
  if (!allowed.includes(value)) throw invalid(field, `must be one of ${allowed.join(', ')}`);
  return value;
};

function numberParam(value: string | undefined, field: string, min: number, max: number, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw invalid(field, `must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`);
  }
  return n;
}

@ApiTags('concepts')
@Controller('models/:name/concepts')
export class ConceptsController {
  constructor(@Inject(ConceptsService) private readonly concepts: ConceptsService) {}

  @Post()
  @ApiOperation({ summary: 'Add a concept to the vocabulary (attribute concepts are computed for every item on save)' })
  create(@Param('name') name: string, @Body() dto: CreateConceptDto) {
    return this.concepts.create(name, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The vocabulary, by name' })
  @ApiQuery({ name: 'status', required: false, enum: CONCEPT_STATUSES })
  @ApiQuery({ name: 'kind', required: false, enum: CONCEPT_KINDS })
  list(@Param('name') name: string, @Query('status') status?: string, @Query('kind') kind?: string) {
    return this.concepts.list(name, { status: oneOf(status, CONCEPT_STATUSES, 'status'), kind: oneOf(kind, CONCEPT_KINDS, 'kind') });
  }

  @Get('proposals')
  @ApiOperation({ summary: 'Proposed concepts grouped by similar wording (TF-IDF cosine), most mentioned first' })
  @ApiQuery({ name: 'threshold', required: false, description: 'cosine in (0, 1] at which two proposals join a group (default 0.25)' })
  proposals(@Param('name') name: string, @Query('threshold') threshold?: string) {
    const t = numberParam(threshold, 'threshold', 0, 1, false);
    if (t === 0) throw invalid('threshold', 'must be in (0, 1]');
    return this.concepts.proposals(name, t);
  }

  @Get('suggest')
  @ApiOperation({ summary: 'Typeahead: concepts whose name or alias starts with (or nearly spells) the typed text' })
  @ApiQuery({ name: 'q', required: true })
  @ApiQuery({ name: 'limit', required: false, description: '1–50, default 8' })
  suggest(@Param('name') name: string, @Query('q') q?: string, @Query('limit') limit?: string) {
    if (typeof q !== 'string') throw invalid('q', 'is required');
    if (q.length > 200) throw invalid('q', 'must be at most 200 characters');
    return this.concepts.suggest(name, q, numberParam(limit, 'limit', 1, 50, true) ?? 8);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One concept with its history, mention and answer counts' })
  get(@Param('name') name: string, @Param('id') id: string) {
    return this.concepts.get(name, parseId(id, 'id'));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change description, aliases or (attribute concepts) the condition' })
  update(@Param('name') name: string, @Param('id') id: string, @Body() dto: UpdateConceptDto) {
    return this.concepts.update(name, parseId(id, 'id'), dto);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept a proposed (or reinstate a retired) concept' })
  accept(@Param('name') name: string, @Param('id') id: string) {
    return this.concepts.accept(name, parseId(id, 'id'));
  }

  @Post(':id/rename')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rename; the old name is kept in the history and as an alias' })
  rename(@Param('name') name: string, @Param('id') id: string, @Body() dto: RenameConceptDto) {
    return this.concepts.rename(name, parseId(id, 'id'), dto.name);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge into another concept; answers, mentions, gold and campaign slots follow, in one transaction' })
  merge(@Param('name') name: string, @Param('id') id: string, @Body() dto: MergeConceptDto) {
    return this.concepts.merge(name, parseId(id, 'id'), dto.into);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retire: no longer offered in tasks or suggestions (labels stay)' })
  retire(@Param('name') name: string, @Param('id') id: string) {
    return this.concepts.retire(name, parseId(id, 'id'));
  }

  @Post(':id/evaluate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Recompute an attribute concept for every item of the model' })
  evaluate(@Param('name') name: string, @Param('id') id: string) {
    return this.concepts.evaluate(name, parseId(id, 'id'));
  }
}
