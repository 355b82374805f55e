-- Latchkey schema, version 3 (SQLite): products (AEM environments), product profiles and the
-- assignment of credentials to profiles.
-- Keep in step with ../postgres/0003_products.sql: only the DDL differs between the backends.

-- One AEM environment of an organization. `tiers` is the comma-joined tier names in the order
-- author, publish, preview (e.g. `author,publish`); unknown names read back as corruption.
CREATE TABLE products (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id         TEXT    NOT NULL REFERENCES organizations (id),
    name           TEXT    NOT NULL,
    program_id     INTEGER NOT NULL,
    environment_id INTEGER NOT NULL,
    tiers          TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (org_id, program_id, environment_id)
) STRICT;

-- A profile of one product and one tier. `org_id` repeats the product's organization.
-- `services` is a JSON array of service names (they contain spaces), sorted.
CREATE TABLE product_profiles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    org_id     TEXT    NOT NULL REFERENCES organizations (id),
    name       TEXT    NOT NULL,
    tier       TEXT    NOT NULL,
    services   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (product_id, name)
) STRICT;

-- Which credentials are assigned to which profiles. Deleting either side removes the row.
CREATE TABLE profile_assignments (
    credential_id INTEGER NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    profile_id    INTEGER NOT NULL REFERENCES product_profiles (id) ON DELETE CASCADE,
    PRIMARY KEY (credential_id, profile_id)
) STRICT;

CREATE INDEX profile_assignments_profile_id ON profile_assignments (profile_id);
