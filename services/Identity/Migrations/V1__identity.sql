-- Who may sign in, for which tenant and unit, and the keys that sign their tokens.
-- Passwords and client secrets are stored only as ASP.NET Core Identity PBKDF2 hashes (never in clear).

CREATE TABLE tenants (
    id          text PRIMARY KEY,                 -- 'national' or a province slug, e.g. 'quang-ninh'
    name        text NOT NULL
);

CREATE TABLE units (
    id          text PRIMARY KEY,                 -- the evaluated unit's id in the criteria service
    tenant_id   text NOT NULL REFERENCES tenants (id),
    name        text NOT NULL
);

CREATE TABLE roles (
    name        text PRIMARY KEY,                 -- PlatformRoles
    description text NOT NULL,
    is_machine  boolean NOT NULL                  -- granted to API clients (client_credentials), not to people
);

INSERT INTO roles (name, description, is_machine) VALUES
    ('national-admin',   'Bộ Nội vụ: quản trị toàn quốc', false),
    ('provincial-admin', 'Sở Nội vụ: quản trị cấp tỉnh', false),
    ('appraiser',        'Thẩm định trong tỉnh', false),
    ('unit-officer',     'Cán bộ đơn vị tự đánh giá', false),
    ('unit-leader',      'Lãnh đạo đơn vị phê duyệt', false),
    ('survey-operator',  'Vận hành điều tra xã hội học', false),
    ('viewer',           'Xem kết quả', false),
    ('survey-partner',   'Đối tác điều tra (máy): chỉ gửi phiếu', true),
    ('ministry-client',  'Hệ thống của Bộ (máy): đọc kết quả đã công bố', true);

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    username        text NOT NULL,
    display_name    text NOT NULL,
    password_hash   text NOT NULL,
    role            text NOT NULL REFERENCES roles (name),
    tenant_id       text NOT NULL REFERENCES tenants (id),
    unit_id         text REFERENCES units (id),
    is_active       boolean NOT NULL DEFAULT true,
    failed_attempts integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL
);
-- Usernames are matched case-insensitively.
CREATE UNIQUE INDEX users_username ON users (lower(username));

CREATE TABLE api_clients (
    client_id     text PRIMARY KEY,
    display_name  text NOT NULL,
    secret_hash   text NOT NULL,
    role          text NOT NULL REFERENCES roles (name),
    tenant_id     text NOT NULL REFERENCES tenants (id),
    is_active     boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL
);

-- RSA signing keys. A new key is published in the JWKS before it signs (so verifiers that cache the JWKS already
-- know it), the newest active key signs, and the one it replaced stays published until tokens it signed expire.
CREATE TABLE signing_keys (
    key_id       text PRIMARY KEY,
    private_key  bytea NOT NULL,                  -- PKCS#8; the identity database is the key store
    created_at   timestamptz NOT NULL,
    activates_at timestamptz NOT NULL             -- signs from then on
);

-- Sign-ins, token grants and refused grants: who, what, why.
CREATE TABLE access_audit (
    id             bigserial PRIMARY KEY,
    occurred_at    timestamptz NOT NULL,
    event          text NOT NULL,                 -- sign-in | token-granted | grant-refused
    grant_type     text NOT NULL,
    subject        text,                          -- username or client id as presented
    tenant_id      text,
    reason         text,                          -- why a grant was refused
    remote_address text,
    correlation_id text
);
CREATE INDEX access_audit_occurred_at ON access_audit (occurred_at);
