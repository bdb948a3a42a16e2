import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class RenameConceptDto {
  @ApiProperty({ example: 'underexposed photo' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}
