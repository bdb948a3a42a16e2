import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

export const AGGREGATION_METHODS = ['ds', 'mv', 'ds-onecoin'] as const;
export type AggregationMethod = (typeof AGGREGATION_METHODS)[number];

export class RunAggregationDto {
  @ApiPropertyOptional({ enum: AGGREGATION_METHODS, default: 'ds', description: 'ds: class-conditional Dawid–Skene; ds-onecoin: one accuracy per annotator; mv: majority vote (ties split evenly, posterior 0.5).' })
  @IsOptional()
  @IsIn(AGGREGATION_METHODS)
  method?: AggregationMethod;

  @ApiPropertyOptional({ default: false, description: 'Leave out the answers of annotators that gold items flag as careless.' })
  @IsOptional()
  @IsBoolean()
  excludeFlagged?: boolean;

  @ApiPropertyOptional({ default: 0.7, description: 'Reliability bar on gold items.' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  minGoldAccuracy?: number;

  @ApiPropertyOptional({ default: 5, description: 'Gold answers an annotator needs before it can be flagged.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  minGoldAnswers?: number;

  @ApiPropertyOptional({ default: 0, description: 'Dawid–Skene: pseudo-answers added to every confusion cell (Dirichlet smoothing).' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1000)
  smoothing?: number;

  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  maxIterations?: number;
}
