-- Questionnaires: one per round and respondent group. The definition (questions, scales, sub-criterion mapping and
-- the sub-criteria's maximum points copied from the criteria set at publication) is one immutable document once
-- published.
CREATE TABLE questionnaires (
    id               uuid        PRIMARY KEY,
    tenant_id        text        NOT NULL,
    round_id         uuid        NOT NULL,
    respondent_group text        NOT NULL,
    status           text        NOT NULL DEFAULT 'draft',
    definition       jsonb       NOT NULL,
    max_points       jsonb       NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL,
    published_at     timestamptz
);
CREATE INDEX questionnaires_round ON questionnaires (tenant_id, round_id);

-- Idempotency claims: the first request for (tenant, response id) inserts its row; the unique key decides races,
-- and a concurrent copy waits on the claimant's transaction instead of checking and then inserting.
CREATE TABLE intake_receipts (
    tenant_id        text        NOT NULL,
    response_id      text        NOT NULL,
    content_hash     text        NOT NULL,
    receipt_id       uuid        NOT NULL,
    questionnaire_id uuid        NOT NULL,
    unit_id          uuid        NOT NULL,
    channel          text        NOT NULL,
    accepted_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, response_id)
);
CREATE INDEX intake_receipts_accepted_at ON intake_receipts (accepted_at);

-- Stored responses: only answered questions, as parallel arrays (question, raw answer, sub-criterion, normalised
-- score 0..1), so aggregates can always be recomputed from these rows alone.
CREATE TABLE responses (
    tenant_id        text        NOT NULL,
    response_id      text        NOT NULL,
    receipt_id       uuid        NOT NULL,
    questionnaire_id uuid        NOT NULL,
    round_id         uuid        NOT NULL,
    unit_id          uuid        NOT NULL,
    respondent_group text        NOT NULL,
    content_hash     text        NOT NULL,
    question_codes   text[]      NOT NULL,
    answers          text[]      NOT NULL,
    sub_criteria     text[]      NOT NULL,
    scores           numeric[]   NOT NULL,
    profile          jsonb       NOT NULL,
    channel          text        NOT NULL,
    accepted_at      timestamptz NOT NULL,
    stored_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, response_id)
);
CREATE INDEX responses_round_unit ON responses (round_id, unit_id);

-- Running sums per unit, questionnaire (= respondent group) and sub-criterion, updated in the storing transaction.
CREATE TABLE answer_aggregates (
    tenant_id          text    NOT NULL,
    round_id           uuid    NOT NULL,
    unit_id            uuid    NOT NULL,
    questionnaire_id   uuid    NOT NULL,
    sub_criterion_code text    NOT NULL,
    responses          bigint  NOT NULL,
    answers            bigint  NOT NULL,
    score_sum          numeric NOT NULL,
    PRIMARY KEY (round_id, unit_id, questionnaire_id, sub_criterion_code)
);

-- SurveyScoresUpdated.Sequence per (round, unit): bumped once per storing transaction that touched the unit.
CREATE TABLE unit_sequences (
    round_id  uuid   NOT NULL,
    unit_id   uuid   NOT NULL,
    tenant_id text   NOT NULL,
    sequence  bigint NOT NULL,
    PRIMARY KEY (round_id, unit_id)
);

-- CSV imports: progress per (tenant, questionnaire, batch) and the row-level error report.
CREATE TABLE import_jobs (
    tenant_id        text        NOT NULL,
    questionnaire_id uuid        NOT NULL,
    batch            text        NOT NULL,
    status           text        NOT NULL,
    rows_read        int         NOT NULL DEFAULT 0,
    accepted         int         NOT NULL DEFAULT 0,
    duplicates       int         NOT NULL DEFAULT 0,
    rejected         int         NOT NULL DEFAULT 0,
    error            text,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    PRIMARY KEY (tenant_id, questionnaire_id, batch)
);

CREATE TABLE import_errors (
    tenant_id        text NOT NULL,
    questionnaire_id uuid NOT NULL,
    batch            text NOT NULL,
    row_number       int  NOT NULL,
    response_id      text NOT NULL,
    reason           text NOT NULL,
    detail           text NOT NULL,
    PRIMARY KEY (tenant_id, questionnaire_id, batch, row_number)
);
