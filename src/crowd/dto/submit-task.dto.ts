import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';

export const CONCEPT_ANSWERS = ['yes', 'no', 'unsure'] as const;
export type ConceptAnswer = (typeof CONCEPT_ANSWERS)[number];

export class ConceptAnswerDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  conceptId: number;

  @ApiProperty({ enum: CONCEPT_ANSWERS, description: 'unsure answers are kept but not aggregated.' })
  @IsIn(CONCEPT_ANSWERS)
  answer: ConceptAnswer;
}

export class SubmitTaskDto {
  @ApiProperty({ example: 1, description: 'Must be the annotator the task was given to.' })
  @IsInt()
  @Min(1)
  annotatorId: number;

  @ApiProperty({ type: [ConceptAnswerDto], description: "One answer per concept of the task's checklist (concepts left out stay unanswered)." })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ConceptAnswerDto)
  answers: ConceptAnswerDto[];

  @ApiPropertyOptional({ example: 'too dark, blurry background', description: 'What makes this item hard? Normalized against the vocabulary; unmatched phrases become proposed concepts.' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  freeText?: string;

  @ApiPropertyOptional({ description: "Whether the model's answer is right (only when the task showed it)." })
  @IsOptional()
  @IsBoolean()
  modelCorrect?: boolean;
}
