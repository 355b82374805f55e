//! Revoked access tokens ([`RevocationStore`]), kept until the token would have expired.

use async_trait::async_trait;
use latchkey_core::store::{RevocationStore, RevokedToken, StoreError};
use latchkey_core::time::UnixMillis;

use crate::SqlStore;
use crate::errors::db_err;
use crate::rows::{get, millis};

#[async_trait]
impl RevocationStore for SqlStore {
    async fn revoke_token(&self, token: &RevokedToken) -> Result<(), StoreError> {
        // Revoking twice keeps the first record.
        sqlx::query(
            "INSERT INTO revoked_tokens (jti, expires_at, revoked_at) VALUES ($1, $2, $3) \
             ON CONFLICT (jti) DO NOTHING",
        )
        .bind(token.jti.as_str())
        .bind(token.expires_at.0)
        .bind(token.revoked_at.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn is_token_revoked(&self, jti: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT jti FROM revoked_tokens WHERE jti = $1")
            .bind(jti)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(row.is_some())
    }

    async fn revocations_since(&self, since: UnixMillis) -> Result<Vec<RevokedToken>, StoreError> {
        let found = sqlx::query(
            "SELECT jti, expires_at, revoked_at FROM revoked_tokens \
             WHERE revoked_at >= $1 ORDER BY revoked_at, jti",
        )
        .bind(since.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        found
            .iter()
            .map(|row| {
                Ok(RevokedToken {
                    jti: get(row, "jti")?,
                    expires_at: millis(row, "expires_at")?,
                    revoked_at: millis(row, "revoked_at")?,
                })
            })
            .collect()
    }

    async fn purge_expired_revocations(&self, now: UnixMillis) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM revoked_tokens WHERE expires_at < $1")
            .bind(now.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
