-- Every deletion of evidence, who (user id and name) and when: append-only, like submission's audit log. The
-- evidence row itself stays (soft delete) and keeps deleted_at / deleted_by.
CREATE TABLE evidence_audit (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    evidence_id uuid        NOT NULL REFERENCES evidence (id),
    tenant_id   text        NOT NULL,
    unit_id     uuid        NOT NULL,
    round_id    uuid        NOT NULL,
    at          timestamptz NOT NULL,
    user_id     text        NOT NULL,
    user_name   text        NOT NULL,
    role        text        NOT NULL,
    action      text        NOT NULL,
    detail      text
);
CREATE INDEX evidence_audit_owner ON evidence_audit (tenant_id, round_id, unit_id, id);

CREATE FUNCTION evidence_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'evidence_audit is append-only';
END $$;
CREATE TRIGGER evidence_audit_append_only BEFORE UPDATE OR DELETE ON evidence_audit
    FOR EACH ROW EXECUTE FUNCTION evidence_audit_is_append_only();

ALTER TABLE evidence_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence_audit FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON evidence_audit USING (tenant_visible(tenant_id));
