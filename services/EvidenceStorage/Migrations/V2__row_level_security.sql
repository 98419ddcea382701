-- Row-level security (defence in depth behind the service's own tenant checks): evidence metadata of one tenant is
-- invisible to requests of another, even through a query that forgets its WHERE clause. Blobs are content-addressed
-- files and are reached only through a visible metadata row.
ALTER TABLE evidence ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON evidence USING (tenant_visible(tenant_id));
