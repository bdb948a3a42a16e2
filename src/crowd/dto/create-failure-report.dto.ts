import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';

export class CreateFailureReportDto {
  @ApiProperty({ example: 'row-17', description: 'External id of the item whose prediction is wrong.' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  externalId: string;

  @ApiProperty({ example: 2, description: 'The reporting annotator (any role).' })
  @IsInt()
  @Min(1)
  annotatorId: number;

  @ApiProperty({ example: 'the photo is too dark to see the cat', description: 'What is wrong, in words; normalized like task free text.' })
  @IsString()
  @MaxLength(5000)
  @Matches(/\S/, { message: 'text must not be blank' })
  text: string;

  @ApiPropertyOptional({ example: 'cat', description: "The right class, if the reporter knows it (one of the model's classes)." })
  @IsOptional()
  @IsString()
  correctLabel?: string;
}
