-- Inputs as received, one row per round and unit; only a newer revision / sequence replaces a row.
CREATE TABLE appraisal_inputs (
    round_id      uuid        NOT NULL,
    unit_id       uuid        NOT NULL,
    tenant_id     text        NOT NULL,
    assessment_id uuid        NOT NULL,
    revision      int         NOT NULL,
    finalized_at  timestamptz NOT NULL,
    scores        jsonb       NOT NULL,   -- {"1.1.1": 2.5, ...}
    received_at   timestamptz NOT NULL,
    PRIMARY KEY (round_id, unit_id)
);

CREATE TABLE survey_inputs (
    round_id    uuid        NOT NULL,
    unit_id     uuid        NOT NULL,
    tenant_id   text        NOT NULL,
    sequence    bigint      NOT NULL,
    computed_at timestamptz NOT NULL,
    scores      jsonb       NOT NULL,     -- {"8.1.1": {"Points": 2.1, "MaxPoints": 3}, ...}
    received_at timestamptz NOT NULL,
    PRIMARY KEY (round_id, unit_id)
);

-- The live scorecard of each unit, recomputed whenever its inputs change. Ranks and statistics are derived on read.
CREATE TABLE unit_results (
    round_id      uuid        NOT NULL,
    unit_id       uuid        NOT NULL,
    tenant_id     text        NOT NULL,
    total_points  numeric     NOT NULL,
    index_percent numeric     NOT NULL,
    result        jsonb       NOT NULL,   -- the whole scorecard
    summary       jsonb       NOT NULL,   -- the same without criteria and sub-criteria: what the group table needs
    computed_at   timestamptz NOT NULL,
    PRIMARY KEY (round_id, unit_id)
);

-- Published snapshots: immutable once written (enforced below), numbered per round.
CREATE TABLE published_snapshots (
    round_id      uuid        NOT NULL,
    version       int         NOT NULL,
    tenant_id     text        NOT NULL,
    ranking_group text        NOT NULL,
    year          int         NOT NULL,
    round_name    text        NOT NULL,
    computed_at   timestamptz NOT NULL,
    published_at  timestamptz NOT NULL,
    published_by  text        NOT NULL,
    statistics    jsonb       NOT NULL,
    PRIMARY KEY (round_id, version)
);

CREATE TABLE published_units (
    round_id      uuid    NOT NULL,
    version       int     NOT NULL,
    position      int     NOT NULL,
    unit_id       uuid    NOT NULL,
    unit_name     text    NOT NULL,
    rank          int     NOT NULL,
    total_points  numeric NOT NULL,
    index_percent numeric NOT NULL,
    row           jsonb   NOT NULL,     -- rank, summary and year-over-year change as published
    scorecard     jsonb   NOT NULL,     -- the unit's whole scorecard as published
    PRIMARY KEY (round_id, version, unit_id),
    FOREIGN KEY (round_id, version) REFERENCES published_snapshots (round_id, version)
);
CREATE INDEX published_units_order ON published_units (round_id, version, position);

CREATE FUNCTION reject_snapshot_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'published ranking snapshots are immutable (%)', TG_TABLE_NAME;
END $$;

CREATE TRIGGER published_snapshots_immutable BEFORE UPDATE OR DELETE ON published_snapshots
    FOR EACH ROW EXECUTE FUNCTION reject_snapshot_change();
CREATE TRIGGER published_units_immutable BEFORE UPDATE OR DELETE ON published_units
    FOR EACH ROW EXECUTE FUNCTION reject_snapshot_change();
