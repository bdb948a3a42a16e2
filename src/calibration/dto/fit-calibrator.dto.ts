import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CALIBRATOR_METHODS } from '../../core/calibration/calibrator';
import { SPLITS } from '../../core/predictions/prediction-row';

export class FitCalibratorDto {
  @ApiProperty({ enum: CALIBRATOR_METHODS, example: 'isotonic' })
  @IsIn(CALIBRATOR_METHODS as unknown as string[])
  method: (typeof CALIBRATOR_METHODS)[number];

  @ApiPropertyOptional({ enum: SPLITS, default: 'validation', description: 'Split the recalibrator is fitted on.' })
  @IsOptional()
  @IsIn(SPLITS as unknown as string[])
  fitSplit?: (typeof SPLITS)[number];

  @ApiPropertyOptional({ enum: SPLITS, default: 'test', description: 'Split it is scored on (must differ from fitSplit).' })
  @IsOptional()
  @IsIn(SPLITS as unknown as string[])
  scoreSplit?: (typeof SPLITS)[number];

  @ApiPropertyOptional({ default: 15, description: 'Bins, for histogram binning.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  bins?: number;
}
