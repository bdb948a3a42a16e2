import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';

export const ANNOTATOR_ROLES = ['crowd', 'stakeholder', 'expert'] as const;
export type AnnotatorRole = (typeof ANNOTATOR_ROLES)[number];

export class CreateAnnotatorDto {
  @ApiProperty({ example: 'alice', description: 'Unique, case-insensitively (1–100 characters).' })
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ enum: ANNOTATOR_ROLES })
  @IsIn(ANNOTATOR_ROLES)
  role: AnnotatorRole;
}
