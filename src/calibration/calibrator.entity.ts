import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Calibrator } from '../core/calibration/calibrator';

@Entity('calibrators')
export class CalibratorEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer', { name: 'model_id' })
  modelId: number;

  @Column('integer')
  version: number;

  @Column('text')
  method: string;

  @Column('text', { name: 'fit_split' })
  fitSplit: string;

  @Column('integer', { name: 'fit_n' })
  fitN: number;

  /** The serialized recalibrator `{method, version, params}` (src/core/calibration/calibrator.ts). */
  @Column('jsonb')
  params: Calibrator;

  @Column('jsonb', { nullable: true })
  scores: CalibratorScores | null;

  @Column('boolean', { default: false })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export interface MetricSnapshot {
  eceEqualWidth: number;
  eceEqualMass: number;
  mceEqualWidth: number;
  brierTopLabel: number;
  nllTopLabel: number;
}

/** Scores on the test split, before and after recalibration; null when the test split has no labels. */
export interface CalibratorScores {
  split: string;
  n: number;
  before: MetricSnapshot;
  after: MetricSnapshot;
}
