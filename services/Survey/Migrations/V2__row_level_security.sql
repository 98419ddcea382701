-- Row-level security (defence in depth behind the service's own tenant checks): questionnaires, receipts, responses,
-- aggregates and import jobs of one tenant are invisible to requests of another, even through a query that forgets
-- its WHERE clause. Workers run in the all-tenants scope and write rows of the tenant each message names.
ALTER TABLE questionnaires ENABLE ROW LEVEL SECURITY;
ALTER TABLE questionnaires FORCE ROW LEVEL SECURITY;
ALTER TABLE intake_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_receipts FORCE ROW LEVEL SECURITY;
ALTER TABLE responses ENABLE ROW LEVEL SECURITY;
ALTER TABLE responses FORCE ROW LEVEL SECURITY;
ALTER TABLE answer_aggregates ENABLE ROW LEVEL SECURITY;
ALTER TABLE answer_aggregates FORCE ROW LEVEL SECURITY;
ALTER TABLE unit_sequences ENABLE ROW LEVEL SECURITY;
ALTER TABLE unit_sequences FORCE ROW LEVEL SECURITY;
ALTER TABLE import_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_jobs FORCE ROW LEVEL SECURITY;
ALTER TABLE import_errors ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_errors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON questionnaires USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON intake_receipts USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON responses USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON answer_aggregates USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON unit_sequences USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON import_jobs USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON import_errors USING (tenant_visible(tenant_id));
