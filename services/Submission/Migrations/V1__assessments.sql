-- One self-assessment per (round, unit). Item definitions (maxima, evidence rule) are copied from the published
-- criteria set when the assessment is created: the set is immutable, and the copy keeps rules and reports local.
CREATE TABLE assessments (
    id              uuid        PRIMARY KEY,
    round_id        uuid        NOT NULL,
    tenant_id       text        NOT NULL,
    unit_id         uuid        NOT NULL,
    criteria_set_id uuid        NOT NULL,
    score_step      numeric,
    status          text        NOT NULL,
    appraisal_round int         NOT NULL DEFAULT 1,
    revision        int         NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (round_id, unit_id)
);
CREATE INDEX assessments_tenant_round ON assessments (tenant_id, round_id);

CREATE TABLE assessment_items (
    assessment_id        uuid    NOT NULL REFERENCES assessments (id),
    code                 text    NOT NULL,
    ordinal              int     NOT NULL,
    field_code           text    NOT NULL,
    field_name           text    NOT NULL,
    name                 text    NOT NULL,
    max_points           numeric NOT NULL,
    min_points           numeric NOT NULL,
    evidence_required    boolean NOT NULL,
    self_score           numeric,
    explanation          text,
    evidence_ids         uuid[]  NOT NULL DEFAULT '{}',
    -- Both appraisal rounds are kept: first appraisal, then (after supplementary evidence) the second.
    appraised_score_1    numeric,
    appraised_score_2    numeric,
    appraiser_comment    text,
    supplementary_due_at timestamptz,
    supplementary_note   text,
    updated_by           text,
    updated_at           timestamptz,
    PRIMARY KEY (assessment_id, code)
);

-- Append-only: every change, who made it and why. The trigger refuses UPDATE and DELETE even from the service.
CREATE TABLE audit_log (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id uuid        NOT NULL REFERENCES assessments (id),
    at            timestamptz NOT NULL,
    user_id       text        NOT NULL,
    role          text        NOT NULL,
    item_code     text,
    field         text        NOT NULL,
    before        text,
    after         text,
    reason        text
);
CREATE INDEX audit_log_assessment ON audit_log (assessment_id, id);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
