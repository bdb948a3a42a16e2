import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * One decision request (documentation only: the hot path validates bodies by hand, naming the
 * field, because DTO transformation costs more than the decision itself).
 */
export class DecideRequestDto {
  @ApiProperty({ example: 0.83, description: "The model's confidence in its prediction, in [0, 1] (recalibrated by the active calibrator, if any)." })
  confidence: number;

  @ApiProperty({ example: '>50K', description: 'The predicted class (one of the model classes; 422 unknown_class otherwise).' })
  predicted: string;

  @ApiPropertyOptional({ example: { '>50K': 0.83, '<=50K': 0.17 }, description: "Class → probability, summing to 1: the expected value then follows Chow's rule with the policy's class costs." })
  probabilities?: Record<string, number>;

  @ApiPropertyOptional({ example: { dark: true }, description: 'Concept flags set by the caller (resolved first).' })
  concepts?: Record<string, boolean>;

  @ApiPropertyOptional({ example: { age: 37, occupation: 'Sales' }, description: 'Item attributes: facts for the rules and attribute concepts.' })
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'a dark photo', description: 'Item text, for text concept detectors.' })
  text?: string;

  @ApiPropertyOptional({ example: 'row-1234', description: "The item's external id: logged, and joined to its label when it arrives." })
  itemId?: string;
}

export class DecideBatchRequestDto {
  @ApiProperty({ type: [DecideRequestDto], description: 'Up to 10,000 items; the answers come back in the same order.' })
  items: DecideRequestDto[];
}
