import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsString, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';

export class GoldAnswerDto {
  @ApiProperty({ example: 'row-17' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  externalId: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  conceptId: number;

  @ApiProperty({ enum: ['yes', 'no'], nullable: true, description: 'The known answer; null removes it.' })
  @ValidateIf((o: GoldAnswerDto) => o.answer !== null)
  @IsIn(['yes', 'no'])
  answer: 'yes' | 'no' | null;
}

export class SetGoldDto {
  @ApiProperty({ type: [GoldAnswerDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @ValidateNested({ each: true })
  @Type(() => GoldAnswerDto)
  gold: GoldAnswerDto[];
}
