-- Latchkey schema, version 2 (SQLite): organization-admin credentials and the audit log.
-- Keep in step with ../postgres/0002_audit_and_admin.sql: only the DDL differs between the
-- backends.

-- Existing credentials are not admins.
ALTER TABLE credentials ADD COLUMN admin INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1));

-- Who changed what, when, from where. Written in the same transaction as the change it
-- records; never updated or deleted by the server. `id` is the order and the paging cursor.
-- `org_id` is deliberately not a foreign key: the history outlives what it describes.
-- `detail` is JSON text.
CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     INTEGER NOT NULL,
    org_id TEXT,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    peer   TEXT,
    detail TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_log_org_id ON audit_log (org_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_target ON audit_log (target, id);
