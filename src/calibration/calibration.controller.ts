import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { invalid } from '../core/errors';
import { parseSplit, SPLITS, type Split } from '../core/predictions/prediction-row';
import { CalibrationService } from './calibration.service';
import { FitCalibratorDto } from './dto/fit-calibrator.dto';

const split = (v: string | undefined, fallback: Split): Split => (v === undefined ? fallback : parseSplit(v, 'split'));

/** An optional numeric query parameter within bounds, or a 400 naming it. */
function num(name: string, v: string | undefined, fallback: number, min: number, max: number, integer = false): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw invalid(name, `must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`);
  }
  return n;
}

@ApiTags('thresholds and calibration')
@Controller('models/:name')
export class CalibrationController {
  constructor(@Inject(CalibrationService) private readonly calibration: CalibrationService) {}

  @Get('thresholds')
  @ApiOperation({ summary: 'T*, Tv with a bootstrap interval, EV and RV at both, baselines, value curves (≤ 200 points)' })
  @ApiQuery({ name: 'split', required: false, enum: SPLITS, description: 'default validation' })
  @ApiQuery({ name: 'replicates', required: false, description: 'bootstrap resamples, 0–2000 (default 200)' })
  @ApiQuery({ name: 'seed', required: false })
  thresholds(@Param('name') name: string, @Query('split') s?: string, @Query('replicates') r?: string, @Query('seed') seed?: string) {
    return this.calibration.thresholds(name, { split: split(s, 'validation'), replicates: num('replicates', r, 200, 0, 2000, true), seed: num('seed', seed, 1, 0, 2 ** 32 - 1, true) });
  }

  @Get('calibration')
  @ApiOperation({ summary: 'ECE (equal-width, equal-mass), MCE, Brier, NLL, local error at T*, risk–coverage, AURC, reliability data' })
  @ApiQuery({ name: 'split', required: false, enum: SPLITS, description: 'default test' })
  @ApiQuery({ name: 'calibrator', required: false, description: 'a calibrator version: metrics after recalibration too' })
  @ApiQuery({ name: 'bins', required: false, description: 'default 15' })
  @ApiQuery({ name: 'h', required: false, description: 'window around T* for local calibration, default 0.05' })
  report(@Param('name') name: string, @Query('split') s?: string, @Query('calibrator') c?: string, @Query('bins') bins?: string, @Query('h') h?: string) {
    return this.calibration.calibration(name, {
      split: split(s, 'test'),
      calibratorVersion: c === undefined ? undefined : num('calibrator', c, 0, 1, 2 ** 31 - 1, true),
      bins: num('bins', bins, 15, 1, 1000, true),
      h: num('h', h, 0.05, 0, 1),
    });
  }

  @Post('calibrators')
  @ApiOperation({ summary: 'Fit a recalibrator on one split, score it on another, store it as a new version' })
  fit(@Param('name') name: string, @Body() dto: FitCalibratorDto) {
    return this.calibration.fit(name, dto);
  }

  @Get('calibrators')
  @ApiOperation({ summary: 'Calibrator versions with their test-split scores' })
  list(@Param('name') name: string) {
    return this.calibration.list(name);
  }

  @Get('calibrators/:version')
  @ApiOperation({ summary: 'One calibrator with its serialized parameters' })
  get(@Param('name') name: string, @Param('version') version: string) {
    return this.calibration.get(name, num('version', version, 0, 1, 2 ** 31 - 1, true));
  }

  @Post('calibrators/:version/activate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make this version the active calibrator (the rejector applies it)' })
  activate(@Param('name') name: string, @Param('version') version: string) {
    return this.calibration.activate(name, num('version', version, 0, 1, 2 ** 31 - 1, true));
  }

  @Delete('calibrators/active')
  @ApiOperation({ summary: 'Stop applying any calibrator' })
  deactivate(@Param('name') name: string) {
    return this.calibration.deactivate(name);
  }
}
