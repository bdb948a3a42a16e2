import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { CONCEPT_KINDS } from '../concept-view';

export class CreateConceptDto {
  @ApiProperty({ example: 'dark photo', description: 'Unique per model, case-insensitively (1–200 characters).' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'The photo is underexposed: hard to see the object.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ example: ['too dark', 'underexposed'], description: 'Other phrasings that free text is matched against.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  aliases?: string[];

  @ApiPropertyOptional({ enum: CONCEPT_KINDS, default: 'crowd', description: 'attribute concepts need a condition; the others must not have one.' })
  @IsOptional()
  @IsIn(CONCEPT_KINDS)
  kind?: (typeof CONCEPT_KINDS)[number];

  @ApiPropertyOptional({ enum: ['proposed', 'accepted'], default: 'accepted' })
  @IsOptional()
  @IsIn(['proposed', 'accepted'])
  status?: 'proposed' | 'accepted';

  @ApiPropertyOptional({
    example: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] },
    description: "json-rules-engine condition over the item's attributes (all/any/not, built-in operators). Computed for every item when saved.",
  })
  @IsOptional()
  @IsObject()
  condition?: Record<string, unknown>;
}
