import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional } from 'class-validator';
import { MAX_RULES, RULE_EXAMPLE, RULES_DESCRIPTION } from './rule-example';

export class ReplaceRulesDto {
  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [RULE_EXAMPLE], description: RULES_DESCRIPTION })
  @IsArray()
  @ArrayMaxSize(MAX_RULES)
  rules: unknown[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Replaces the stored params when given.' })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
}
