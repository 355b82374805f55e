-- Latchkey schema, version 5 (PostgreSQL): legacy Service Account (JWT) credentials.
-- Keep in step with ../sqlite/0005_service_accounts.sql: only the DDL differs between the
-- backends.

-- 1. A technical account may belong to two credentials: the JWT credential and the OAuth
--    Server-to-Server credential that Adobe's migration adds beside it (same technical
--    account, so AEM keeps its permissions). Client ids stay unique.
ALTER TABLE credentials DROP CONSTRAINT IF EXISTS credentials_technical_account_id_key;
-- At most one credential of each kind per technical account.
ALTER TABLE credentials ADD CONSTRAINT credentials_technical_account_id_kind_key
    UNIQUE (technical_account_id, kind);

-- 2. Certificates of service accounts: the public part only (the DER certificate).
--    `revoked_at` is NULL until revoked; a certificate is deleted only once revoked.
CREATE TABLE service_account_certificates (
    id            TEXT   NOT NULL PRIMARY KEY,
    credential_id BIGINT NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    fingerprint   TEXT   NOT NULL,
    der           BYTEA  NOT NULL,
    not_before    BIGINT NOT NULL,
    not_after     BIGINT NOT NULL,
    revoked_at    BIGINT,
    created_at    BIGINT NOT NULL,
    CONSTRAINT service_account_certificates_credential_id_fingerprint_key
        UNIQUE (credential_id, fingerprint)
);

-- 3. Technical-account slots of an AEM environment (product): one row per technical account
--    ever created for it. Rows outlive their credential (deleted accounts still count, seed
--    002), so `credential_id` is deliberately not a foreign key.
CREATE TABLE technical_account_slots (
    product_id           BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    technical_account_id TEXT   NOT NULL,
    credential_id        BIGINT NOT NULL,
    created_at           BIGINT NOT NULL,
    PRIMARY KEY (product_id, technical_account_id)
);

-- 4. Assertion ids (`jti`) already exchanged, per client: the primary key makes a replay fail
--    on every node, under any concurrency. Purged once the assertion has expired.
CREATE TABLE used_assertion_ids (
    client_id  TEXT   NOT NULL,
    jti        TEXT   NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, jti)
);

CREATE INDEX used_assertion_ids_expires_at ON used_assertion_ids (expires_at);
