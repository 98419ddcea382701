-- A unit's own officials may read their own unit's unpublished survey points when the round says so (survey service).
ALTER TABLE rounds ADD COLUMN survey_scores_visible_to_units boolean NOT NULL DEFAULT false;

-- Every change of a round's windows (deadlines): who, when, the old and the new instant. No foreign key to rounds:
-- the trail of a draft round outlives its deletion.
CREATE TABLE round_window_changes (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id        uuid        NOT NULL,
    tenant_id       text        NOT NULL,
    window_name     text        NOT NULL,
    old_value       timestamptz,              -- NULL when the round was created
    new_value       timestamptz,              -- NULL when the round was deleted
    changed_by      text        NOT NULL,     -- the token's subject (user id)
    changed_by_name text        NOT NULL,     -- the token's name claim, else the user id
    changed_at      timestamptz NOT NULL
);
CREATE INDEX round_window_changes_round ON round_window_changes (round_id, id);
ALTER TABLE round_window_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE round_window_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON round_window_changes USING (tenant_visible(tenant_id));

-- A province unit (national tenant) names the tenant that keeps that province's own registry, so the province's
-- administrators can hang their departments and districts under it (and read it), and no other province can.
ALTER TABLE evaluated_units ADD COLUMN province_tenant_id text;
CREATE POLICY own_province_readable ON evaluated_units FOR SELECT
    USING (tenant_id = 'national' AND province_tenant_id IS NOT NULL AND tenant_visible(province_tenant_id));
