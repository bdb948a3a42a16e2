import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CostPolicyDto } from './cost-policy.dto';

export class CreateModelDto {
  @ApiProperty({ example: 'adult-income', description: 'Unique name: letters, digits, ".", "_", "-" (used in URLs).' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { message: 'name must be 1–100 characters of letters, digits, ".", "_" or "-", starting with a letter or digit' })
  name: string;

  @ApiPropertyOptional({ example: 'Income band classifier on census records' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty({ example: ['<=50K', '>50K'], description: 'The classes the model predicts (at least two, unique).' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10000)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  classes: string[];

  @ApiPropertyOptional({ type: () => CostPolicyDto })
  @IsOptional()
  @IsObject()
  costPolicy?: CostPolicyDto;
}
