-- Latchkey schema, version 4 (SQLite): the AEM side. Environment types, the deployed api.yaml
-- allowlists, technical-account users, group ACLs and the DAM (folders and assets).
-- Keep in step with ../postgres/0004_aem.sql: only the DDL differs between the backends.

-- The environment type api.yaml's metadata.envTypes is matched against.
ALTER TABLE products ADD COLUMN env_type TEXT NOT NULL DEFAULT 'dev';

-- The api.yaml deployed to an environment, as deployed (validated before it is stored); a
-- deploy replaces it whole.
CREATE TABLE api_configs (
    product_id  INTEGER PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    source      TEXT    NOT NULL,
    deployed_at INTEGER NOT NULL,
    deployed_by TEXT    NOT NULL
) STRICT;

-- Technical-account users, created on the first call that passes the gateway and the
-- allowlist; one per environment, tier and technical account (the unique key makes concurrent
-- first calls create exactly one). The user outlives its credential, as in AEM.
CREATE TABLE aem_users (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id           INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    tier                 TEXT    NOT NULL,
    technical_account_id TEXT    NOT NULL,
    email                TEXT    NOT NULL,
    credential_id        INTEGER REFERENCES credentials (id) ON DELETE SET NULL,
    created_at           INTEGER NOT NULL,
    UNIQUE (product_id, tier, technical_account_id)
) STRICT;

-- Grants of privileges (comma-joined: read,create,modify,delete) to a group on a DAM path and
-- everything below it.
CREATE TABLE aem_acls (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    tier       TEXT    NOT NULL,
    group_name TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    privileges TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX aem_acls_environment ON aem_acls (product_id, tier);

-- Folders and assets below /content/dam, one repository per environment and tier. `id` is the
-- UUID of `urn:aaid:aem:<uuid>`; `metadata` is the JSON object of assetMetadata; `version`
-- grows by one on every change (the ETag). Assets name their binary by `blob_key`; the row is
-- written only after the binary is stored and removed before it is, so no row points at a
-- missing binary.
CREATE TABLE dam_nodes (
    id          TEXT    PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    tier        TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    parent_path TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    title       TEXT,
    mime_type   TEXT,
    size        INTEGER,
    blob_key    TEXT,
    metadata    TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    created_by  TEXT    NOT NULL,
    modified_by TEXT    NOT NULL,
    UNIQUE (product_id, tier, path)
) STRICT;

CREATE INDEX dam_nodes_children ON dam_nodes (product_id, tier, parent_path, path);
