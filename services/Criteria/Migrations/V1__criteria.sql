-- Criteria sets: a header row per set version and one row per node of its tree (fields -> criteria -> sub-criteria).
CREATE TABLE criteria_sets (
    id                 uuid        PRIMARY KEY,
    tenant_id          text        NOT NULL,
    code               text        NOT NULL,
    name               text        NOT NULL,
    year               int         NOT NULL,
    level              text        NOT NULL,
    status             text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
    version            int         NOT NULL DEFAULT 1,
    max_points         numeric     NOT NULL,
    appraisal_points   numeric     NOT NULL,
    survey_points      numeric     NOT NULL,
    score_step         numeric,
    bonus_cap          numeric,
    penalty_cap        numeric,
    reference_skeleton boolean     NOT NULL DEFAULT false,
    notes              text,
    bands              jsonb       NOT NULL DEFAULT '[]',
    cloned_from        uuid        REFERENCES criteria_sets (id) ON DELETE SET NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    published_at       timestamptz,
    retired_at         timestamptz,
    UNIQUE (tenant_id, code, year)
);

CREATE TABLE criteria_nodes (
    set_id            uuid    NOT NULL REFERENCES criteria_sets (id) ON DELETE CASCADE,
    code              text    NOT NULL,
    parent_code       text,
    position          int     NOT NULL,
    name              text    NOT NULL,
    max_points        numeric,             -- NULL only in reference skeletons: unknown, never guessed
    min_points        numeric NOT NULL DEFAULT 0,
    method            text,
    evidence_required boolean NOT NULL DEFAULT false,
    guidance          text,
    rule              jsonb,
    is_bonus          boolean NOT NULL DEFAULT false,
    is_penalty        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (set_id, code)
);

-- Defence in depth: whatever path a write takes, the tree of a published or retired set cannot change.
CREATE FUNCTION refuse_frozen_node_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM criteria_sets
               WHERE id = COALESCE(NEW.set_id, OLD.set_id) AND status <> 'draft') THEN
        RAISE EXCEPTION 'criteria set % is not a draft', COALESCE(NEW.set_id, OLD.set_id) USING ERRCODE = 'P0001';
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$;

CREATE TRIGGER criteria_nodes_frozen BEFORE INSERT OR UPDATE OR DELETE ON criteria_nodes
    FOR EACH ROW EXECUTE FUNCTION refuse_frozen_node_change();

-- Evaluated units and how they became one another.
CREATE TABLE evaluated_units (
    id         uuid PRIMARY KEY,
    tenant_id  text NOT NULL,
    code       text NOT NULL,
    name       text NOT NULL,
    type       text NOT NULL,
    parent_id  uuid REFERENCES evaluated_units (id),
    valid_from date NOT NULL,
    valid_to   date,                          -- last valid day; NULL while current
    UNIQUE (tenant_id, code, valid_from),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE TABLE lineage_events (
    id            uuid        PRIMARY KEY,
    tenant_id     text        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('merge', 'split', 'rename')),
    effective_on  date        NOT NULL,
    from_unit_ids uuid[]      NOT NULL,
    to_unit_ids   uuid[]      NOT NULL,
    note          text,
    recorded_at   timestamptz NOT NULL
);
CREATE INDEX lineage_events_tenant ON lineage_events (tenant_id);

-- Assessment rounds: a year's evaluation of a ranking group against one published set.
CREATE TABLE rounds (
    id                        uuid        PRIMARY KEY,
    tenant_id                 text        NOT NULL,
    year                      int         NOT NULL,
    name                      text        NOT NULL,
    criteria_set_id           uuid        NOT NULL REFERENCES criteria_sets (id),
    ranking_group             text        NOT NULL,
    self_assessment_opens_at  timestamptz NOT NULL,
    self_assessment_closes_at timestamptz NOT NULL,
    appraisal_opens_at        timestamptz NOT NULL,
    appraisal_closes_at       timestamptz NOT NULL,
    survey_opens_at           timestamptz NOT NULL,
    survey_closes_at          timestamptz NOT NULL,
    publication_at            timestamptz NOT NULL,
    previous_round_id         uuid        REFERENCES rounds (id),
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    UNIQUE (tenant_id, ranking_group, year)
);

CREATE TABLE round_units (
    round_id uuid NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id  uuid NOT NULL REFERENCES evaluated_units (id),
    PRIMARY KEY (round_id, unit_id)
);

-- "Không áp dụng": the unit's denominator drops by these items' maxima.
CREATE TABLE not_applicable_items (
    round_id  uuid NOT NULL,
    unit_id   uuid NOT NULL,
    node_code text NOT NULL,
    PRIMARY KEY (round_id, unit_id, node_code),
    FOREIGN KEY (round_id, unit_id) REFERENCES round_units (round_id, unit_id) ON DELETE CASCADE
);
