-- no-transaction
-- Latchkey schema, version 5 (SQLite): legacy Service Account (JWT) credentials.
-- Keep in step with ../postgres/0005_service_accounts.sql: only the DDL differs between the
-- backends.
--
-- This migration runs outside sqlx's transaction because step 1 rebuilds the credentials table
-- (SQLite cannot drop a UNIQUE constraint), which needs foreign keys off while the old table is
-- dropped (else the drop would cascade into client secrets and profile assignments). The
-- rebuild itself is one transaction: it happens completely or not at all. This is SQLite's
-- documented 12-step procedure (https://sqlite.org/lang_altertable.html#otheralter).

PRAGMA foreign_keys = OFF;

BEGIN;

-- 1. A technical account may belong to two credentials: the JWT credential and the OAuth
--    Server-to-Server credential that Adobe's migration adds beside it (same technical
--    account, so AEM keeps its permissions). Client ids stay unique.
CREATE TABLE credentials_v5 (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id              INTEGER NOT NULL REFERENCES projects (id),
    org_id                  TEXT    NOT NULL REFERENCES organizations (id),
    kind                    TEXT    NOT NULL,
    name                    TEXT    NOT NULL,
    client_id               TEXT    NOT NULL UNIQUE,
    technical_account_id    TEXT    NOT NULL,
    technical_account_email TEXT    NOT NULL,
    scopes                  TEXT    NOT NULL,
    enabled                 INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    tokens_revoked_before   INTEGER NOT NULL DEFAULT 0,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    admin                   INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1))
) STRICT;

INSERT INTO credentials_v5 (id, project_id, org_id, kind, name, client_id, technical_account_id,
    technical_account_email, scopes, enabled, tokens_revoked_before, created_at, updated_at, admin)
SELECT id, project_id, org_id, kind, name, client_id, technical_account_id,
    technical_account_email, scopes, enabled, tokens_revoked_before, created_at, updated_at, admin
FROM credentials;

DROP TABLE credentials;
ALTER TABLE credentials_v5 RENAME TO credentials;

CREATE INDEX credentials_org_id ON credentials (org_id, created_at);
CREATE INDEX credentials_project_id ON credentials (project_id);
-- At most one credential of each kind per technical account.
CREATE UNIQUE INDEX credentials_technical_account_id_kind_key
    ON credentials (technical_account_id, kind);

-- 2. Certificates of service accounts: the public part only (the DER certificate).
--    `revoked_at` is NULL until revoked; a certificate is deleted only once revoked.
CREATE TABLE service_account_certificates (
    id            TEXT    NOT NULL PRIMARY KEY,
    credential_id INTEGER NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    fingerprint   TEXT    NOT NULL,
    der           BLOB    NOT NULL,
    not_before    INTEGER NOT NULL,
    not_after     INTEGER NOT NULL,
    revoked_at    INTEGER,
    created_at    INTEGER NOT NULL,
    UNIQUE (credential_id, fingerprint)
) STRICT;

-- 3. Technical-account slots of an AEM environment (product): one row per technical account
--    ever created for it. Rows outlive their credential (deleted accounts still count, seed
--    002), so `credential_id` is deliberately not a foreign key.
CREATE TABLE technical_account_slots (
    product_id           INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    technical_account_id TEXT    NOT NULL,
    credential_id        INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    PRIMARY KEY (product_id, technical_account_id)
) STRICT;

-- 4. Assertion ids (`jti`) already exchanged, per client: the primary key makes a replay fail
--    on every node, under any concurrency. Purged once the assertion has expired.
CREATE TABLE used_assertion_ids (
    client_id  TEXT    NOT NULL,
    jti        TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, jti)
) STRICT;

CREATE INDEX used_assertion_ids_expires_at ON used_assertion_ids (expires_at);


COMMIT;

PRAGMA foreign_keys = ON;
