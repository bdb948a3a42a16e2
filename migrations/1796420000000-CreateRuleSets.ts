import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Versioned rule sets (DESIGN §5): draft → active | shadow → retired. Published versions are
 * immutable; partial unique indexes hold "one active and at most one shadow per model" even under
 * concurrent activations (the loser gets a unique violation, answered with 409).
 */
export class CreateRuleSets1796420000000 implements MigrationInterface {
  name = 'CreateRuleSets1796420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_sets (
        id           serial PRIMARY KEY,
        model_id     integer NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        version      integer NOT NULL,
        source       text NOT NULL CHECK (source IN ('induced', 'expert', 'mixed')),
        state        text NOT NULL CHECK (state IN ('draft', 'active', 'shadow', 'retired')),
        rules        jsonb NOT NULL,
        params       jsonb,
        snapshot     jsonb,
        based_on     integer,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        retired_at   timestamptz,
        UNIQUE (model_id, version)
      )`);
    await q.query(`CREATE UNIQUE INDEX rule_sets_one_active ON rule_sets (model_id) WHERE state = 'active'`);
    await q.query(`CREATE UNIQUE INDEX rule_sets_one_shadow ON rule_sets (model_id) WHERE state = 'shadow'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rule_sets`);
  }
}
