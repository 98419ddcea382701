-- Row-level security (defence in depth behind the service's own tenant checks): inputs and live (unpublished) results
-- of one tenant are invisible to requests of another, even through a query that forgets its WHERE clause. Published
-- snapshots are public by definition and readable by all; only their tenant (or the all-tenants scope) writes them.
ALTER TABLE appraisal_inputs ENABLE ROW LEVEL SECURITY;
ALTER TABLE appraisal_inputs FORCE ROW LEVEL SECURITY;
ALTER TABLE survey_inputs ENABLE ROW LEVEL SECURITY;
ALTER TABLE survey_inputs FORCE ROW LEVEL SECURITY;
ALTER TABLE unit_results ENABLE ROW LEVEL SECURITY;
ALTER TABLE unit_results FORCE ROW LEVEL SECURITY;
ALTER TABLE published_snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE published_snapshots FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON appraisal_inputs USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON survey_inputs USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON unit_results USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON published_snapshots USING (tenant_visible(tenant_id));
CREATE POLICY published_readable ON published_snapshots FOR SELECT USING (true);
