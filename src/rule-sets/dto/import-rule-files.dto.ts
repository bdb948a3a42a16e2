import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';

export class RuleFileDto {
  @ApiProperty({ example: 'rules/adult-missing-occupation.json', description: 'Shown in file:line:column messages.' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  name: string;

  @ApiProperty({ description: 'The file as text: one rule object or an array of rules (rules/README.md).' })
  @IsString()
  text: string;
}

export class ImportRuleFilesDto {
  @ApiProperty({ type: [RuleFileDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => RuleFileDto)
  files: RuleFileDto[];
}
