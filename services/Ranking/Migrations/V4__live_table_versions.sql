-- A version number per round, moved by every change to a unit's live result in the same transaction, so a ranking
-- process can keep the round's live table in memory and, on the next read, load only the rows changed since (rows
-- with a higher version). The counter row is updated last in each transaction and its lock held to commit, so versions
-- become visible in order: a reader that sees version v sees every row with a version up to v.
CREATE TABLE round_versions (
    round_id  uuid   PRIMARY KEY,
    tenant_id text   NOT NULL,
    version   bigint NOT NULL
);
ALTER TABLE round_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE round_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON round_versions USING (tenant_visible(tenant_id));

ALTER TABLE unit_results ADD COLUMN version bigint NOT NULL DEFAULT 0;
CREATE INDEX unit_results_changes ON unit_results (round_id, version);
