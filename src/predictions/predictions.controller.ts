import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { CaveatError, invalid } from '../core/errors';
import { parseSplit, SPLITS, type Split } from '../core/predictions/prediction-row';
import type { RecordFormat } from '../core/predictions/record-reader';
import { LabelBatchDto, PredictionBatchDto, PredictionDto } from './dto/prediction.dto';
import { PredictionsService } from './predictions.service';

const splitOr = (value: string | undefined, fallback: Split): Split => (value === undefined ? fallback : parseSplit(value, 'split'));

@ApiTags('predictions')
@Controller('models/:name')
export class PredictionsController {
  constructor(@Inject(PredictionsService) private readonly predictions: PredictionsService) {}

  @Post('predictions')
  @ApiOperation({ summary: 'Create or update one prediction' })
  @ApiBody({ type: PredictionDto })
  @ApiQuery({ name: 'split', required: false, enum: SPLITS })
  async createOne(@Param('name') name: string, @Body() body: unknown, @Query('split') split?: string) {
    const item = body as { externalId?: unknown };
    await this.predictions.upsertBatch(name, [body], splitOr(split, 'production'), 'prediction');
    return this.predictions.get(name, String(item.externalId));
  }

  @Post('predictions/batch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create or update a batch of predictions atomically' })
  @ApiBody({ type: PredictionBatchDto })
  @ApiQuery({ name: 'split', required: false, enum: SPLITS })
  createBatch(@Param('name') name: string, @Body() body: unknown, @Query('split') split?: string) {
    const predictions = (body as { predictions?: unknown } | null)?.predictions;
    if (predictions === undefined) throw invalid('predictions', 'is required');
    return this.predictions.upsertBatch(name, predictions, splitOr(split, 'production'));
  }

  @Post('predictions/import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stream NDJSON or CSV predictions (100k+ rows) in one transaction' })
  @ApiConsumes('application/x-ndjson', 'text/csv')
  @ApiBody({ schema: { type: 'string', description: 'NDJSON: one prediction object per line. CSV: a header row; see README.' } })
  @ApiQuery({ name: 'split', required: false, enum: SPLITS })
  @ApiQuery({ name: 'onInvalid', required: false, enum: ['abort', 'skip'] })
  import(@Param('name') name: string, @Req() req: FastifyRequest, @Query('split') split?: string, @Query('onInvalid') onInvalid?: string) {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const format: RecordFormat | undefined = type === 'text/csv' ? 'csv' : type === 'application/x-ndjson' ? 'ndjson' : undefined;
    if (!format) throw new CaveatError('unsupported_media_type', `import takes text/csv or application/x-ndjson, not '${type || 'none'}'`, { field: 'content-type' });
    if (onInvalid !== undefined && onInvalid !== 'abort' && onInvalid !== 'skip') throw invalid('onInvalid', 'must be abort or skip');
    return this.predictions.importStream(name, req.body as Readable, format, { defaultSplit: splitOr(split, 'production'), onInvalid: onInvalid ?? 'abort' });
  }

  @Post('labels')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set true labels by external id (atomic)' })
  @ApiBody({ type: LabelBatchDto })
  labels(@Param('name') name: string, @Body() body: unknown) {
    const labels = (body as { labels?: unknown } | null)?.labels;
    if (labels === undefined) throw invalid('labels', 'is required');
    return this.predictions.updateLabels(name, labels);
  }

  @Get('predictions')
  @ApiOperation({ summary: 'A page of predictions, in external-id order' })
  @ApiQuery({ name: 'split', required: false, enum: SPLITS })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 100' })
  @ApiQuery({ name: 'after', required: false, description: 'the `next` value of the previous page' })
  list(@Param('name') name: string, @Query('split') split?: string, @Query('limit') limit?: string, @Query('after') after?: string) {
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalid('limit', 'must be an integer from 1 to 1000');
    return this.predictions.list(name, split === undefined ? undefined : parseSplit(split, 'split'), n, after);
  }

  @Get('predictions/summary')
  @ApiOperation({ summary: 'Counts, labelled counts and accuracy per split' })
  summary(@Param('name') name: string) {
    return this.predictions.summary(name);
  }

  @Get('predictions/:externalId')
  @ApiOperation({ summary: 'One prediction by external id' })
  get(@Param('name') name: string, @Param('externalId') externalId: string) {
    return this.predictions.get(name, externalId);
  }
}
