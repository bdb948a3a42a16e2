import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rejector's tables (DESIGN §5, issue 6):
 * - `rejector_settings`: per-model fail mode and unresolved-concept policy (a model without a row
 *   uses the defaults: fail closed, ignore unresolved concepts);
 * - `text_detectors`: stored text concept detectors (keyword lexicons, trained classifiers with
 *   their held-out precision and recall), versioned per (model, concept); the newest one serves.
 *   The definition is `json`, not `jsonb`: jsonb reorders object keys, and a classifier's
 *   feature table is positional (its key order is the order of the fitted weights);
 * - `decisions`: the decision log, one row per decision, written in batches by the service.
 *   No foreign key to `models`: it is an append-only audit trail written at high rate, and a
 *   per-row key check would cost insert speed; the summary joins it to `predictions` by
 *   (model_id, item_id = external_id).
 */
export class CreateDecisionsAndDetectors1796440000000 implements MigrationInterface {
  name = 'CreateDecisionsAndDetectors1796440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rejector_settings (
        model_id            integer PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
        fail_mode           text NOT NULL CHECK (fail_mode IN ('closed', 'open')),
        unresolved_concepts text NOT NULL CHECK (unresolved_concepts IN ('ignore', 'reject')),
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE text_detectors (
        id          serial PRIMARY KEY,
        model_id    integer NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        concept     text NOT NULL,
        version     integer NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('lexicon', 'classifier')),
        algorithm   text CHECK (algorithm IN ('bayes', 'logistic')),
        definition  json NOT NULL,
        evaluation  jsonb,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (model_id, concept, version),
        CHECK ((kind = 'classifier') = (algorithm IS NOT NULL))
      )`);

    await q.query(`
      CREATE TABLE decisions (
        id                    uuid PRIMARY KEY,
        decided_at            timestamptz NOT NULL,
        model_id              integer NOT NULL,
        policy_version        integer,
        rule_set_version      integer,
        calibrator_version    integer,
        item_id               text,
        confidence            double precision NOT NULL,
        calibrated_confidence double precision,
        predicted             text NOT NULL,
        decision              text NOT NULL CHECK (decision IN ('accept', 'reject')),
        reason_code           text NOT NULL,
        threshold             double precision,
        matched_rules         text[] NOT NULL,
        unresolved_concepts   text[] NOT NULL,
        shadow_version        integer,
        shadow_decision       text CHECK (shadow_decision IN ('accept', 'reject')),
        shadow_threshold      double precision,
        shadow_matched_rules  text[]
      )`);
    // The summary joins decisions to labelled predictions by external id; the log lists by item
    // (replaced by a hash index on item_id in 1796450000000-DecisionsItemHashIndex).
    await q.query(`CREATE INDEX decisions_model_item ON decisions (model_id, item_id) WHERE item_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE decisions`);
    await q.query(`DROP TABLE text_detectors`);
    await q.query(`DROP TABLE rejector_settings`);
  }
}
