-- The predicate of every row-level security policy on a tenant-owned table (see TenantScope in ServiceDefaults):
-- a row is visible when its tenant is the one the connection is scoped to (the setting par.tenant, set per connection
-- by TenantDataSource), or when the connection is scoped to every tenant ('*'). A connection that set nothing sees
-- no tenant-owned row. Tables get FORCE ROW LEVEL SECURITY, so the service's own role, which owns them, is bound too.
CREATE FUNCTION tenant_visible(row_tenant text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT current_setting('par.tenant', true) IN (row_tenant, '*') $$;
