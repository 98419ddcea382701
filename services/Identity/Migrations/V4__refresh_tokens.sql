-- Refresh tokens of browser sign-ins (authorization code flow). The tokens themselves are self-contained and
-- encrypted by OpenIddict; this table makes them single-use: each refresh marks its token used and issues the next
-- one in the same family; presenting a used or revoked one revokes the whole family (a stolen token replayed).
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    family      uuid NOT NULL,                    -- one sign-in: every token rotated from the same code
    user_id     uuid NOT NULL,
    tenant_id   text NOT NULL,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refresh_tokens USING (tenant_visible(tenant_id));
