import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';

export class MergeRuleSetsDto {
  @ApiProperty({ example: [3, 4], description: 'Versions whose rules are combined, in this order (each ranked as stored).' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2 ** 31 - 1, { each: true })
  versions: number[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { 'induced-7': { type: 'threshold', threshold: 0.9 } },
    description: 'Action per rule id, overriding the stored one; induced rules without an action default to {type: "reject"}.',
  })
  @IsOptional()
  @IsObject()
  actions?: Record<string, unknown>;
}
