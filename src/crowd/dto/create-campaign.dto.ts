import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { SPLITS } from '../../core/predictions/prediction-row';

export class CreateCampaignDto {
  @ApiProperty({ example: 'lighting-round-1', description: 'Unique per model.' })
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ example: [1, 2], description: "Accepted, non-attribute concepts of the model to ask about (the task's checklist)." })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  conceptIds: number[];

  @ApiProperty({
    example: { type: 'stratified', allocation: 'equal', bands: [0.5, 0.7, 0.9], seed: 7 },
    description:
      "{type: 'stratified', allocation?: 'equal'|'proportional' (default equal), bands?: confidence edges (default [0.5, 0.7, 0.9]), seed?} — items drawn now over " +
      "failed/correct/unlabeled × band, each with its inclusion probability π; or {type: 'explore', policy?: 'ucb1'|'thompson' (default thompson), bands?, " +
      'partitionAttributes?: attribute names, seed?} — a bandit search for confident failures over predicted class × band (× attributes), items discovery-only.',
  })
  @IsObject()
  design: Record<string, unknown>;

  @ApiProperty({ example: 200, description: 'Labels (tasks) the campaign may hand out in all; items = ⌊budget / labelsPerItem⌋.' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  budget: number;

  @ApiPropertyOptional({ example: 3, default: 1, description: 'Annotators per item.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  labelsPerItem?: number;

  @ApiPropertyOptional({ default: false, description: "Show the model's answer in the task (recorded with every task)." })
  @IsOptional()
  @IsBoolean()
  showModelAnswer?: boolean;

  @ApiPropertyOptional({ enum: SPLITS, description: 'Sample only items of this split (default: every item of the model).' })
  @IsOptional()
  @IsIn(SPLITS)
  split?: string;

  @ApiPropertyOptional({ description: 'Items with open failure reports put first in the campaign (discovery-only); default ⌊items / 4⌋.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  maxReportedItems?: number;

  @ApiPropertyOptional({ default: 3600, description: 'An open task not submitted within this many seconds frees its slot for another annotator.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(604_800)
  taskTimeoutSeconds?: number;
}
