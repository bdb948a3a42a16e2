import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One version of a model's cost policy; a change inserts a new version, old ones stay readable. */
@Entity('cost_policies')
export class CostPolicyEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer', { name: 'model_id' })
  modelId: number;

  @Column('integer')
  version: number;

  @Column('double precision', { name: 'v' })
  V: number;

  @Column('double precision', { name: 'd' })
  D: number;

  @Column('double precision', { name: 'w' })
  W: number;

  @Column('jsonb', { name: 'class_values', nullable: true })
  classValues: Record<string, number> | null;

  @Column('jsonb', { name: 'confusion_values', nullable: true })
  confusionValues: Record<string, Record<string, number>> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
