import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CaveatRule } from '../core/rejection/rule-model';

export type RuleSetState = 'draft' | 'active' | 'shadow' | 'retired';
export type RuleSetSource = 'induced' | 'expert' | 'mixed';

/** One version of a model's rule set. `rules` holds CaveatRule[] (src/core/rejection/rule-model.ts). */
@Entity('rule_sets')
export class RuleSetEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer', { name: 'model_id' })
  modelId: number;

  @Column('integer')
  version: number;

  @Column('text')
  source: RuleSetSource;

  @Column('text')
  state: RuleSetState;

  @Column('jsonb')
  rules: CaveatRule[];

  /** How it was made: induction parameters, imported files, merge inputs. */
  @Column('jsonb', { nullable: true })
  params: Record<string, unknown> | null;

  /** The data it was induced from: counts, split seed, base rates. */
  @Column('jsonb', { nullable: true })
  snapshot: Record<string, unknown> | null;

  /** The version it was reverted to or merged from. */
  @Column('integer', { name: 'based_on', nullable: true })
  basedOn: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;

  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt: Date | null;
}
