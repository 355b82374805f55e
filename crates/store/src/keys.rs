//! Signing keys ([`KeyStore`]): listing, and inserting with at most one active key per
//! algorithm, which the partial unique index `signing_keys_one_active_per_alg` enforces even
//! when several nodes start at once.

use async_trait::async_trait;
use latchkey_core::keys::StoredKey;
use latchkey_core::store::{KeyStore, StoreError};

use crate::SqlStore;
use crate::errors::db_err;
use crate::rows::{self, key_columns};

#[async_trait]
impl KeyStore for SqlStore {
    async fn list_signing_keys(&self) -> Result<Vec<StoredKey>, StoreError> {
        let found = sqlx::query(concat!(
            "SELECT ",
            key_columns!(),
            " FROM signing_keys ORDER BY created_at, kid"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        found.iter().map(rows::key).collect()
    }

    async fn insert_signing_key(&self, key: &StoredKey) -> Result<bool, StoreError> {
        // Only a second active key for the algorithm is skipped (the conflict target names the
        // partial index); a duplicate kid still fails, as `Conflict`.
        let done = sqlx::query(
            "INSERT INTO signing_keys \
             (kid, alg, state, sealed_private_key, public_jwk, created_at, publish_until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (alg) WHERE state = 'active' DO NOTHING",
        )
        .bind(key.kid.as_str())
        .bind(key.alg.as_str())
        .bind(key.state.as_str())
        .bind(key.sealed_private_key.as_slice())
        .bind(key.public_jwk.as_str())
        .bind(key.created_at.0)
        .bind(key.publish_until.map(|t| t.0))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }
}
