import { ApiPropertyOptional } from '@nestjs/swagger';

/**
 * A cost policy as a client sends it (DESIGN §1). Checked by `resolveCostPolicy` in core,
 * which names the offending field; documented here for OpenAPI.
 */
export class CostPolicyDto {
  @ApiPropertyOptional({ example: 1, description: 'Value of an accepted, correct prediction (default 1).' })
  V?: number;

  @ApiPropertyOptional({ example: -1, description: 'Value of the default path for a rejected item (default −1).' })
  D?: number;

  @ApiPropertyOptional({ example: -5, description: 'Value of an accepted, wrong prediction. Give W or K, not both.' })
  W?: number;

  @ApiPropertyOptional({ example: 5, description: 'Shorthand for W = −K (default K = 5).' })
  K?: number;

  @ApiPropertyOptional({ example: { '>50K': 2 }, description: 'Per predicted class value of a correct answer, replacing V.' })
  classValues?: Record<string, number>;

  @ApiPropertyOptional({ example: { '>50K': { '<=50K': -8 } }, description: 'confusionValues[true][predicted]: value of that mistake, replacing W.' })
  confusionValues?: Record<string, Record<string, number>>;
}
