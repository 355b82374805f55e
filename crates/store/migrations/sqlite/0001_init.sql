-- Latchkey schema, version 1 (SQLite).
-- Tables are STRICT so SQLite enforces column types; INTEGER is 64-bit (timestamps are Unix
-- milliseconds). Flags are INTEGER 0/1 because sqlx's Any driver cannot carry SQLite booleans.
-- Keep in step with ../postgres/0001_init.sql: only the DDL differs between the backends.

CREATE TABLE organizations (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE projects (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     TEXT    NOT NULL REFERENCES organizations (id),
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX projects_org_id ON projects (org_id);

CREATE TABLE credentials (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id              INTEGER NOT NULL REFERENCES projects (id),
    org_id                  TEXT    NOT NULL REFERENCES organizations (id),
    kind                    TEXT    NOT NULL,
    name                    TEXT    NOT NULL,
    client_id               TEXT    NOT NULL UNIQUE,
    technical_account_id    TEXT    NOT NULL UNIQUE,
    technical_account_email TEXT    NOT NULL,
    scopes                  TEXT    NOT NULL,
    enabled                 INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    tokens_revoked_before   INTEGER NOT NULL DEFAULT 0,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
) STRICT;

CREATE INDEX credentials_org_id ON credentials (org_id, created_at);
CREATE INDEX credentials_project_id ON credentials (project_id);

CREATE TABLE client_secrets (
    uuid            TEXT    NOT NULL PRIMARY KEY,
    credential_id   INTEGER NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    hash            BLOB    NOT NULL,
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER,
    last_grant_type TEXT
) STRICT;

CREATE INDEX client_secrets_credential_id ON client_secrets (credential_id);

CREATE TABLE signing_keys (
    kid                TEXT    NOT NULL PRIMARY KEY,
    alg                TEXT    NOT NULL,
    state              TEXT    NOT NULL,
    sealed_private_key BLOB    NOT NULL,
    public_jwk         TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    publish_until      INTEGER
) STRICT;

-- At most one active key per algorithm, even when several nodes start at once.
CREATE UNIQUE INDEX signing_keys_one_active_per_alg ON signing_keys (alg) WHERE state = 'active';

CREATE TABLE revoked_tokens (
    jti        TEXT    NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL
) STRICT;

CREATE INDEX revoked_tokens_revoked_at ON revoked_tokens (revoked_at);
CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at);

CREATE TABLE meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
