import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fitted recalibrators, versioned per model; at most one active (used by the rejector). */
export class CreateCalibrators1796410000000 implements MigrationInterface {
  name = 'CreateCalibrators1796410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calibrators (
        id         serial PRIMARY KEY,
        model_id   integer NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        version    integer NOT NULL,
        method     text NOT NULL,
        fit_split  text NOT NULL,
        fit_n      integer NOT NULL,
        params     jsonb NOT NULL,
        scores     jsonb,
        active     boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (model_id, version)
      )`);
    await q.query(`CREATE UNIQUE INDEX calibrators_one_active ON calibrators (model_id) WHERE active`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calibrators`);
  }
}
