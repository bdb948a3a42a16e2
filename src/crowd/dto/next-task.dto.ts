import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';

export class NextTaskDto {
  @ApiProperty({ example: 1, description: 'The annotator asking for work.' })
  @IsInt()
  @Min(1)
  annotatorId: number;
}
