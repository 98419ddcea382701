-- Accounts managed by administrators (issue 13): provinces as tenants with their province unit in the criteria
-- service, people's contact details, the must-change flag of one-time passwords, and every admin action audited.

ALTER TABLE tenants
    ADD COLUMN province_unit_id text,          -- the province's unit in the national register of the criteria service
    ADD COLUMN created_at timestamptz;

-- Evaluated units live in the criteria service (checked there when an account is bound to one); the local copy the
-- demo accounts once referenced is no longer the source of truth.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_unit_id_fkey;

ALTER TABLE users
    ADD COLUMN email                text,
    ADD COLUMN phone                text,
    ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
    ADD COLUMN updated_at           timestamptz,
    ADD COLUMN disabled_at          timestamptz,
    ADD COLUMN last_sign_in_at      timestamptz;
CREATE INDEX users_tenant ON users (tenant_id, lower(display_name));

-- The access audit now also records lockouts, password changes and administrators' actions on accounts:
-- who acted (subject: the administrator's user name), on which account (target), and what changed (details).
ALTER TABLE access_audit ALTER COLUMN grant_type DROP NOT NULL;
ALTER TABLE access_audit
    ADD COLUMN target  text,                   -- the account acted on (user name)
    ADD COLUMN details text;
CREATE INDEX access_audit_tenant ON access_audit (tenant_id, occurred_at DESC);
