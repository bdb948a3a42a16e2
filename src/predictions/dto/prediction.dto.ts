import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SPLITS } from '../../core/predictions/prediction-row';

// These classes document the wire format in OpenAPI. Validation of predictions is done by
// `validatePredictionRow` in core, the same code path for single, batch and streamed rows.

export class PredictionDto {
  @ApiProperty({ example: 'row-17', description: 'External id, unique per model; re-sending it updates the prediction.' })
  externalId: string;

  @ApiProperty({ example: '>50K', description: "The predicted class (one of the model's classes)." })
  predicted: string;

  @ApiProperty({ example: 0.83, minimum: 0, maximum: 1 })
  confidence: number;

  @ApiPropertyOptional({ example: { '>50K': 0.83, '<=50K': 0.17 }, description: 'Class probabilities: sum to 1 (±1e-6), include the predicted class.' })
  probabilities?: Record<string, number>;

  @ApiPropertyOptional({ example: '<=50K', description: 'The true class, when known.' })
  label?: string | null;

  @ApiPropertyOptional({ enum: SPLITS, description: 'Default: the `split` query parameter, else production.' })
  split?: string;

  @ApiPropertyOptional({ example: '2026-12-01T10:00:00Z' })
  predictedAt?: string;

  @ApiPropertyOptional({ example: { age: 37, occupation: 'Sales' } })
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'free text of the item' })
  text?: string;
}

export class PredictionBatchDto {
  @ApiProperty({ type: [PredictionDto] })
  predictions: PredictionDto[];
}

export class LabelDto {
  @ApiProperty({ example: 'row-17' })
  externalId: string;

  @ApiProperty({ example: '<=50K', nullable: true, description: 'null clears the label.' })
  label: string | null;
}

export class LabelBatchDto {
  @ApiProperty({ type: [LabelDto] })
  labels: LabelDto[];
}
