-- What a published table also says since issue 11: the decimals its points are shown with (the set's precision),
-- the units excluded from it with their reasons, and, when an administrator published before the round's publication
-- date, the reason and that date (who and when are published_by / published_at).
ALTER TABLE published_snapshots
    ADD COLUMN point_decimals int   NOT NULL DEFAULT 2,
    ADD COLUMN excluded       jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN early_reason   text,
    ADD COLUMN publication_at timestamptz;

-- Ministry systems list publications by year, tenant and ranking group.
CREATE INDEX published_snapshots_listing ON published_snapshots (year, tenant_id, ranking_group);
