import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';

export class LabelledTextDto {
  @ApiProperty({ example: 'a dark, grainy photo taken at night' })
  @IsString()
  @MaxLength(100_000)
  text: string;

  @ApiProperty({ description: 'Whether the concept is present in this text (a crowd label).' })
  @IsBoolean()
  present: boolean;
}

/**
 * A text concept detector: a stemmed keyword lexicon, or a classifier (natural's naive Bayes or
 * logistic regression) trained on labelled texts and stored with its held-out precision and recall.
 */
export class CreateDetectorDto {
  @ApiProperty({ example: 'dark', description: 'The concept it detects, as rules name it (`concept:<name>`).' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  concept: string;

  @ApiProperty({ enum: ['lexicon', 'classifier'] })
  @IsIn(['lexicon', 'classifier'])
  kind: 'lexicon' | 'classifier';

  @ApiPropertyOptional({ example: ['dark', 'low light', 'night shot'], description: "kind 'lexicon': keywords or phrases, matched stem by stem." })
  @ValidateIf((o: CreateDetectorDto) => o.kind === 'lexicon')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  keywords?: string[];

  @ApiPropertyOptional({ enum: ['bayes', 'logistic'], default: 'bayes', description: "kind 'classifier': the algorithm." })
  @IsOptional()
  @IsIn(['bayes', 'logistic'])
  algorithm?: 'bayes' | 'logistic';

  @ApiPropertyOptional({ type: [LabelledTextDto], description: "kind 'classifier': labelled texts (at least 2 with the concept and 2 without)." })
  @ValidateIf((o: CreateDetectorDto) => o.kind === 'classifier')
  @IsArray()
  @ArrayMinSize(4)
  @ArrayMaxSize(100_000)
  @ValidateNested({ each: true })
  @Type(() => LabelledTextDto)
  examples?: LabelledTextDto[];

  @ApiPropertyOptional({ default: 0.25, description: 'Share of each class held out to measure precision and recall.' })
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(0.99)
  holdoutFraction?: number;

  @ApiPropertyOptional({ default: 1, description: 'Seed of the held-out split.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  seed?: number;
}
