import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNumber, IsOptional, IsString } from 'class-validator';
import { SORTS, TARGETS } from '../../core/induction/induction-params';
import { SPLITS } from '../../core/predictions/prediction-row';

/** Parameters of POST /models/:name/rule-sets/induce. Ranges are checked by the induction core, which names the field. */
export class InduceDto {
  @ApiProperty({ enum: TARGETS, example: 'error', description: 'error | accepted-error (wrong and confidence ≥ T*) | fpr | fnr' })
  @IsIn(TARGETS as string[])
  target: (typeof TARGETS)[number];

  @ApiPropertyOptional({ example: '>50K', description: 'Positive class, for fpr and fnr.' })
  @IsOptional()
  @IsString()
  positive?: string;

  @ApiPropertyOptional({ enum: SPLITS, default: 'validation', description: 'Labelled split to mine.' })
  @IsOptional()
  @IsIn(SPLITS as unknown as string[])
  split?: (typeof SPLITS)[number];

  @ApiPropertyOptional({ default: 0.05, description: 'Fraction of items (< 1) or a count (≥ 1).' })
  @IsOptional()
  @IsNumber()
  minSupport?: number;

  @ApiPropertyOptional({ default: 3, description: 'Literals per rule; 0 = unlimited.' })
  @IsOptional()
  @IsNumber()
  maxDepth?: number;

  @ApiPropertyOptional({ enum: ['exhaustive', 'best-first'], default: 'exhaustive' })
  @IsOptional()
  @IsIn(['exhaustive', 'best-first'])
  search?: 'exhaustive' | 'best-first';

  @ApiPropertyOptional({ default: 4, description: 'Bins per numeric attribute.' })
  @IsOptional()
  @IsNumber()
  bins?: number;

  @ApiPropertyOptional({ enum: ['quantile', 'equal-width'], default: 'quantile' })
  @IsOptional()
  @IsIn(['quantile', 'equal-width'])
  binning?: 'quantile' | 'equal-width';

  @ApiPropertyOptional({ type: [String], description: 'Attributes to treat as categorical even if numeric.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  categorical?: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  predictedLiterals?: boolean;

  @ApiPropertyOptional({ default: 0, description: 'Confidence-band literals (0 = none).' })
  @IsOptional()
  @IsNumber()
  confidenceBands?: number;

  @ApiPropertyOptional({ description: 'DivExplorer ε-redundancy pruning (off when absent).' })
  @IsOptional()
  @IsNumber()
  epsilon?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  productive?: boolean;

  @ApiPropertyOptional({ default: 0.05, description: 'Keep rules with Benjamini–Hochberg q ≤ maxQ (1 keeps all).' })
  @IsOptional()
  @IsNumber()
  maxQ?: number;

  @ApiPropertyOptional({ enum: SORTS, default: 't' })
  @IsOptional()
  @IsIn(SORTS as string[])
  sort?: (typeof SORTS)[number];

  @ApiPropertyOptional({ default: 0.95, description: 'SliceLine α.' })
  @IsOptional()
  @IsNumber()
  alpha?: number;

  @ApiPropertyOptional({ default: 10, description: 'Rules returned (0 = all).' })
  @IsOptional()
  @IsNumber()
  top?: number;

  @ApiPropertyOptional({ default: false, description: 'Weighted covering for a short, diverse list.' })
  @IsOptional()
  @IsBoolean()
  covering?: boolean;

  @ApiPropertyOptional({ default: 0.3, description: 'Fraction held out to confirm each rule (0 = none).' })
  @IsOptional()
  @IsNumber()
  holdout?: number;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @IsNumber()
  seed?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'Add concept literals from crowd aggregation: mines only the annotated items of the split, weighted 1/π by their sampling design.',
  })
  @IsOptional()
  @IsBoolean()
  concepts?: boolean;

  @ApiPropertyOptional({ description: 'Aggregation run whose concept flags to use (default: the newest). Implies concepts.' })
  @IsOptional()
  @IsNumber()
  aggregationRun?: number;

  @ApiPropertyOptional({ description: 'Only the items of this campaign, weighted by its design. Implies concepts.' })
  @IsOptional()
  @IsNumber()
  campaign?: number;

  @ApiPropertyOptional({ enum: ['subgroup-threshold', 'reject'], default: 'subgroup-threshold', description: "Each rule's action: raise the threshold to the subgroup's own Tv, or reject outright." })
  @IsOptional()
  @IsIn(['subgroup-threshold', 'reject'])
  action?: 'subgroup-threshold' | 'reject';
}
