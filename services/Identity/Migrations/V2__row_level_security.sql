-- Row-level security (defence in depth behind the service's own tenant checks): a tenant's users, API clients, units
-- and access audit are invisible to requests of another tenant. The token endpoint is anonymous and so looks up
-- accounts in the all-tenants scope, as it must to find a user by name.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE api_clients ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_clients FORCE ROW LEVEL SECURITY;
ALTER TABLE units ENABLE ROW LEVEL SECURITY;
ALTER TABLE units FORCE ROW LEVEL SECURITY;
ALTER TABLE access_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_audit FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON api_clients USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON units USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON access_audit USING (tenant_visible(tenant_id));
