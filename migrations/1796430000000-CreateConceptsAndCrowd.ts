import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Concepts and the crowd (DESIGN §3, issue 5): a per-model concept vocabulary, annotators,
 * campaigns whose items carry their inclusion probability, tasks and their concept answers,
 * free-text mentions, failure reports, gold answers, computed attribute-concept values, and
 * aggregation runs with per (item, concept) posteriors and per-annotator reliability.
 * Items are `predictions` rows (one row per item and model).
 */
export class CreateConceptsAndCrowd1796430000000 implements MigrationInterface {
  name = 'CreateConceptsAndCrowd1796430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE concepts (
        id          serial PRIMARY KEY,
        model_id    integer NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        name        text NOT NULL,
        description text NOT NULL DEFAULT '',
        aliases     text[] NOT NULL DEFAULT '{}',
        kind        text NOT NULL CHECK (kind IN ('attribute', 'text', 'crowd', 'caller')),
        status      text NOT NULL CHECK (status IN ('proposed', 'accepted', 'merged', 'retired')),
        merged_into integer REFERENCES concepts(id),
        condition   jsonb,
        history     jsonb NOT NULL DEFAULT '[]',
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'merged') = (merged_into IS NOT NULL)),
        CHECK ((kind = 'attribute') = (condition IS NOT NULL))
      )`);
    // Names are unique per model regardless of case: "Dark photo" and "dark photo" are one concept.
    await q.query(`CREATE UNIQUE INDEX concepts_model_name ON concepts (model_id, lower(name))`);

    await q.query(`
      CREATE TABLE annotators (
        id         serial PRIMARY KEY,
        name       text NOT NULL,
        role       text NOT NULL CHECK (role IN ('crowd', 'stakeholder', 'expert')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX annotators_name ON annotators (lower(name))`);

    await q.query(`
      CREATE TABLE campaigns (
        id                   serial PRIMARY KEY,
        model_id             integer NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        name                 text NOT NULL,
        design               jsonb NOT NULL,
        split                text CHECK (split IN ('train', 'validation', 'test', 'production')),
        strata               jsonb NOT NULL DEFAULT '[]',
        budget               integer NOT NULL CHECK (budget > 0),
        labels_per_item      integer NOT NULL CHECK (labels_per_item > 0),
        show_model_answer    boolean NOT NULL,
        task_timeout_seconds integer NOT NULL CHECK (task_timeout_seconds > 0),
        status               text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        discovery_state      jsonb,
        created_at           timestamptz NOT NULL DEFAULT now(),
        closed_at            timestamptz,
        UNIQUE (model_id, name)
      )`);
    await q.query(`
      CREATE TABLE campaign_concepts (
        campaign_id integer NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        concept_id  integer NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
        position    integer NOT NULL,
        PRIMARY KEY (campaign_id, concept_id)
      )`);
    // pi is the item's inclusion probability under the campaign's stratified design; discovery
    // and reported items were chosen adaptively and have none (discovery-only).
    await q.query(`
      CREATE TABLE campaign_items (
        id             bigserial PRIMARY KEY,
        campaign_id    integer NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        prediction_id  bigint NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
        position       integer NOT NULL,
        design         text NOT NULL CHECK (design IN ('stratified', 'discovery', 'report')),
        stratum        text NOT NULL,
        pi             double precision CHECK (pi > 0 AND pi <= 1),
        discovery_only boolean NOT NULL,
        arm            integer,
        outcome        boolean,
        added_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (campaign_id, prediction_id),
        CHECK (discovery_only = (pi IS NULL))
      )`);
    await q.query(`CREATE INDEX campaign_items_order ON campaign_items (campaign_id, position)`);
    await q.query(`CREATE INDEX campaign_items_prediction ON campaign_items (prediction_id)`);

    // One task per (campaign item, annotator): an annotator never gets the same item twice.
    await q.query(`
      CREATE TABLE tasks (
        id                bigserial PRIMARY KEY,
        campaign_id       integer NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        campaign_item_id  bigint NOT NULL REFERENCES campaign_items(id) ON DELETE CASCADE,
        annotator_id      integer NOT NULL REFERENCES annotators(id),
        show_model_answer boolean NOT NULL,
        status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'expired')),
        free_text         text,
        model_correct     boolean,
        created_at        timestamptz NOT NULL DEFAULT now(),
        submitted_at      timestamptz,
        UNIQUE (campaign_item_id, annotator_id)
      )`);
    await q.query(`CREATE INDEX tasks_campaign_status ON tasks (campaign_id, status)`);
    await q.query(`CREATE INDEX tasks_annotator ON tasks (annotator_id, campaign_id, status)`);

    await q.query(`
      CREATE TABLE concept_answers (
        id            bigserial PRIMARY KEY,
        task_id       bigint NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        prediction_id bigint NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
        concept_id    integer NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
        annotator_id  integer NOT NULL REFERENCES annotators(id),
        answer        text NOT NULL CHECK (answer IN ('yes', 'no', 'unsure')),
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX concept_answers_concept ON concept_answers (concept_id, prediction_id)`);
    await q.query(`CREATE INDEX concept_answers_task ON concept_answers (task_id)`);

    await q.query(`
      CREATE TABLE failure_reports (
        id            bigserial PRIMARY KEY,
        model_id      integer NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        prediction_id bigint NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
        annotator_id  integer NOT NULL REFERENCES annotators(id),
        text          text NOT NULL,
        correct_label text,
        status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'queued')),
        campaign_id   integer REFERENCES campaigns(id) ON DELETE SET NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX failure_reports_model_status ON failure_reports (model_id, status)`);

    await q.query(`
      CREATE TABLE concept_mentions (
        id            bigserial PRIMARY KEY,
        concept_id    integer NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
        prediction_id bigint REFERENCES predictions(id) ON DELETE CASCADE,
        annotator_id  integer REFERENCES annotators(id),
        task_id       bigint REFERENCES tasks(id) ON DELETE CASCADE,
        report_id     bigint REFERENCES failure_reports(id) ON DELETE CASCADE,
        phrase        text NOT NULL,
        match_kind    text NOT NULL CHECK (match_kind IN ('stem', 'jaro-winkler', 'contains', 'proposal')),
        score         double precision,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX concept_mentions_concept ON concept_mentions (concept_id)`);

    await q.query(`
      CREATE TABLE concept_gold (
        prediction_id bigint NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
        concept_id    integer NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
        answer        text NOT NULL CHECK (answer IN ('yes', 'no')),
        set_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (prediction_id, concept_id)
      )`);
    await q.query(`CREATE INDEX concept_gold_concept ON concept_gold (concept_id)`);

    // Computed values of attribute concepts; an item whose attributes cannot resolve the condition has no row.
    await q.query(`
      CREATE TABLE concept_item_values (
        concept_id    integer NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
        prediction_id bigint NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
        present       boolean NOT NULL,
        PRIMARY KEY (concept_id, prediction_id)
      )`);

    await q.query(`
      CREATE TABLE aggregation_runs (
        id             serial PRIMARY KEY,
        model_id       integer NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        method         text NOT NULL CHECK (method IN ('mv', 'ds', 'ds-onecoin')),
        params         jsonb NOT NULL,
        answers        integer NOT NULL,
        pairs          integer NOT NULL,
        iterations     integer NOT NULL,
        converged      boolean NOT NULL,
        log_likelihood double precision,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX aggregation_runs_model ON aggregation_runs (model_id, id)`);
    await q.query(`
      CREATE TABLE aggregation_posteriors (
        run_id        integer NOT NULL REFERENCES aggregation_runs(id) ON DELETE CASCADE,
        concept_id    integer NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
        prediction_id bigint NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
        posterior     double precision NOT NULL CHECK (posterior >= 0 AND posterior <= 1),
        answers       integer NOT NULL,
        yes           integer NOT NULL,
        gold          boolean NOT NULL,
        PRIMARY KEY (run_id, concept_id, prediction_id)
      )`);
    await q.query(`
      CREATE TABLE aggregation_annotators (
        run_id        integer NOT NULL REFERENCES aggregation_runs(id) ON DELETE CASCADE,
        annotator_id  integer NOT NULL REFERENCES annotators(id),
        answers       integer NOT NULL,
        accuracy      double precision,
        sensitivity   double precision,
        specificity   double precision,
        gold_answers  integer NOT NULL,
        gold_correct  integer NOT NULL,
        gold_accuracy double precision,
        flagged       boolean NOT NULL,
        excluded      boolean NOT NULL,
        PRIMARY KEY (run_id, annotator_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE aggregation_annotators`);
    await q.query(`DROP TABLE aggregation_posteriors`);
    await q.query(`DROP TABLE aggregation_runs`);
    await q.query(`DROP TABLE concept_item_values`);
    await q.query(`DROP TABLE concept_gold`);
    await q.query(`DROP TABLE concept_mentions`);
    await q.query(`DROP TABLE failure_reports`);
    await q.query(`DROP TABLE concept_answers`);
    await q.query(`DROP TABLE tasks`);
    await q.query(`DROP TABLE campaign_items`);
    await q.query(`DROP TABLE campaign_concepts`);
    await q.query(`DROP TABLE campaigns`);
    await q.query(`DROP TABLE annotators`);
    await q.query(`DROP TABLE concepts`);
  }
}
