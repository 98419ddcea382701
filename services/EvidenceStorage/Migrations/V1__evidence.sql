-- Evidence metadata. The bytes live in the content-addressed blob store under their SHA-256, so identical files
-- uploaded twice (or by two units) are stored once; each upload still gets its own metadata row.
CREATE TABLE evidence (
    id              uuid        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    unit_id         uuid        NOT NULL,
    round_id        uuid        NOT NULL,
    title           text        NOT NULL,
    document_number text,
    issuer          text,
    issue_date      date,
    file_name       text        NOT NULL,
    media_type      text        NOT NULL,
    size            bigint      NOT NULL,
    sha256          text        NOT NULL,
    uploaded_by     text        NOT NULL,
    uploaded_at     timestamptz NOT NULL,
    deleted_at      timestamptz,
    deleted_by      text
);
CREATE INDEX evidence_owner ON evidence (tenant_id, round_id, unit_id);
CREATE INDEX evidence_sha256 ON evidence (sha256);
