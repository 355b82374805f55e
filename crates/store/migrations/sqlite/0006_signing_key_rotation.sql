-- Latchkey schema, version 6 (SQLite): signing-key rotation.
-- Keep in step with ../postgres/0006_signing_key_rotation.sql: the DDL is the same on both backends.

-- At most one published-but-not-yet-signing key per algorithm, even when several nodes decide
-- at once that the active key is due for replacement.
CREATE UNIQUE INDEX signing_keys_one_next_per_alg ON signing_keys (alg) WHERE state = 'next';
