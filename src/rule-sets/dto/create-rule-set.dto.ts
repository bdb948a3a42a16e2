import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional } from 'class-validator';
import { MAX_RULES, RULE_EXAMPLE, RULES_DESCRIPTION } from './rule-example';

export const RULE_SET_SOURCES = ['induced', 'expert', 'mixed'] as const;

export class CreateRuleSetDto {
  @ApiProperty({ enum: RULE_SET_SOURCES, example: 'expert' })
  @IsIn(RULE_SET_SOURCES as unknown as string[])
  source: (typeof RULE_SET_SOURCES)[number];

  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [RULE_EXAMPLE], description: RULES_DESCRIPTION })
  @IsArray()
  @ArrayMaxSize(MAX_RULES)
  rules: unknown[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'How the set was made (stored as given).' })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
}
