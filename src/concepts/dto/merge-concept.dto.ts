import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';

export class MergeConceptDto {
  @ApiProperty({ example: 3, description: 'Id of the concept that absorbs this one (same model, not merged or retired).' })
  @IsInt()
  @Min(1)
  into: number;
}
