//! Signing keys ([`KeyStore`]): listing, inserting with at most one active and one next key per
//! algorithm (the partial unique indexes `signing_keys_one_active_per_alg` and
//! `signing_keys_one_next_per_alg` enforce it even when several nodes act at once), promoting
//! the next key as a compare-and-set, and deleting keys no longer published.

use async_trait::async_trait;
use latchkey_core::audit::AuditEntry;
use latchkey_core::keys::{KeyState, StoredKey};
use latchkey_core::store::{KeyStore, StoreError};
use latchkey_core::time::UnixMillis;

use crate::SqlStore;
use crate::audit::record;
use crate::errors::db_err;
use crate::rows::{self, key_columns};

/// `INSERT INTO signing_keys ...` followed by `$tail`.
macro_rules! insert_key {
    ($tail:literal) => {
        concat!(
            "INSERT INTO signing_keys \
             (kid, alg, state, sealed_private_key, public_jwk, created_at, publish_until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            $tail
        )
    };
}

/// The insert statement per state: for `Active` and `Next`, only a second key of that state for
/// the algorithm is skipped (the conflict target names the partial index); a duplicate kid
/// still fails, as `Conflict`.
fn insert_sql(state: KeyState) -> &'static str {
    match state {
        KeyState::Active => insert_key!(" ON CONFLICT (alg) WHERE state = 'active' DO NOTHING"),
        KeyState::Next => insert_key!(" ON CONFLICT (alg) WHERE state = 'next' DO NOTHING"),
        KeyState::Retired => insert_key!(""),
    }
}

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

    async fn insert_signing_key(
        &self,
        key: &StoredKey,
        audit: Option<&AuditEntry>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let done = sqlx::query(insert_sql(key.state))
            .bind(key.kid.as_str())
            .bind(key.alg.as_str())
            .bind(key.state.as_str())
            .bind(key.sealed_private_key.as_slice())
            .bind(key.public_jwk.as_str())
            .bind(key.created_at.0)
            .bind(key.publish_until.map(|t| t.0))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        if let Some(entry) = audit {
            record(&mut tx, entry).await?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn promote_signing_key(
        &self,
        next: &str,
        active: &str,
        until: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Retire first: the partial unique index allows one active key per algorithm.
        let retired = sqlx::query(
            "UPDATE signing_keys SET state = 'retired', publish_until = $2 \
             WHERE kid = $1 AND state = 'active'",
        )
        .bind(active)
        .bind(until.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if retired.rows_affected() != 1 {
            return Ok(false);
        }
        let activated = sqlx::query(
            "UPDATE signing_keys SET state = 'active' \
             WHERE kid = $1 AND state = 'next' AND alg = (SELECT alg FROM signing_keys WHERE kid = $2)",
        )
        .bind(next)
        .bind(active)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if activated.rows_affected() != 1 {
            return Ok(false);
        }
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn delete_unpublished_keys(&self, now: UnixMillis) -> Result<u64, StoreError> {
        let done =
            sqlx::query("DELETE FROM signing_keys WHERE state = 'retired' AND publish_until < $1")
                .bind(now.0)
                .execute(&self.pool)
                .await
                .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
