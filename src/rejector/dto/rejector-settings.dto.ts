import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** A change of a model's rejector settings; a field left out keeps its current value. */
export class RejectorSettingsDto {
  @ApiPropertyOptional({ enum: ['closed', 'open'], description: "What an internal failure does: 'closed' rejects (default), 'open' accepts." })
  @IsOptional()
  @IsIn(['closed', 'open'])
  failMode?: 'closed' | 'open';

  @ApiPropertyOptional({ enum: ['ignore', 'reject'], description: "A concept the rules read that the request cannot resolve: 'ignore' (default; the rules see it as unknown) or 'reject'." })
  @IsOptional()
  @IsIn(['ignore', 'reject'])
  unresolvedConcepts?: 'ignore' | 'reject';
}
