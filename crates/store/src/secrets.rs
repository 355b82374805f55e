//! Client secrets ([`SecretStore`]): listing, adding and deleting without ever exceeding the
//! limit or leaving a credential with none, and batched usage records.
//!
//! Adding and deleting first update the parent credential row. On PostgreSQL that takes the
//! row lock, so concurrent calls for one credential queue up, and in READ COMMITTED each
//! following statement sees what the previous holder committed. On SQLite the first write takes
//! the database write lock, so the whole transaction is serialized. Only then do they count.

use async_trait::async_trait;
use latchkey_core::audit::AuditEntry;
use latchkey_core::credentials::{SecretUsage, StoredSecret};
use latchkey_core::secret::SecretHash;
use latchkey_core::store::{SecretStore, StoreError};
use latchkey_core::time::UnixMillis;
use sqlx::AnyConnection;

use crate::SqlStore;
use crate::audit::record;
use crate::errors::db_err;
use crate::rows::{self, get, secret_columns};

/// Inserts one secret row inside the caller's transaction (adding a secret, or creating a
/// credential with its first one).
pub(crate) async fn insert_secret(
    conn: &mut AnyConnection,
    uuid: &str,
    credential_id: i64,
    hash: &SecretHash,
    now: UnixMillis,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO client_secrets (uuid, credential_id, hash, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(uuid)
    .bind(credential_id)
    .bind(hash.0.as_slice())
    .bind(now.0)
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl SecretStore for SqlStore {
    async fn list_secrets(&self, credential_id: i64) -> Result<Vec<StoredSecret>, StoreError> {
        let found = sqlx::query(concat!(
            "SELECT ",
            secret_columns!(),
            " FROM client_secrets s WHERE s.credential_id = $1 ORDER BY s.created_at, s.uuid"
        ))
        .bind(credential_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        found.iter().map(rows::secret).collect()
    }

    async fn add_secret(
        &self,
        credential_id: i64,
        uuid: &str,
        hash: &SecretHash,
        max: usize,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<StoredSecret, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Lock the parent first (see the module docs); no row means no credential.
        let locked = sqlx::query(
            "UPDATE credentials \
             SET updated_at = CASE WHEN updated_at < $2 THEN $2 ELSE updated_at END \
             WHERE id = $1",
        )
        .bind(credential_id)
        .bind(now.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if locked.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }

        let row = sqlx::query("SELECT COUNT(*) AS n FROM client_secrets WHERE credential_id = $1")
            .bind(credential_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let held: i64 = get(&row, "n")?;
        if usize::try_from(held).map_or(true, |held| held >= max) {
            return Err(StoreError::SecretLimitReached);
        }

        insert_secret(&mut tx, uuid, credential_id, hash, now).await?;
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;

        Ok(StoredSecret {
            uuid: uuid.to_owned(),
            credential_id,
            hash: hash.clone(),
            created_at: now,
            last_used_at: None,
            last_grant_type: None,
        })
    }

    async fn delete_secret(
        &self,
        credential_id: i64,
        uuid: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Lock the parent first (see the module docs). The no-op assignment still takes the
        // row lock on PostgreSQL and the write lock on SQLite.
        let locked = sqlx::query("UPDATE credentials SET updated_at = updated_at WHERE id = $1")
            .bind(credential_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if locked.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }

        let deleted =
            sqlx::query("DELETE FROM client_secrets WHERE credential_id = $1 AND uuid = $2")
                .bind(credential_id)
                .bind(uuid)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }

        let row = sqlx::query("SELECT COUNT(*) AS n FROM client_secrets WHERE credential_id = $1")
            .bind(credential_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let left: i64 = get(&row, "n")?;
        if left < 1 {
            // Dropping the transaction rolls the delete back.
            return Err(StoreError::LastSecret);
        }
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn record_secret_usage(&self, usages: &[SecretUsage]) -> Result<(), StoreError> {
        if usages.is_empty() {
            return Ok(());
        }
        // A fixed order (by uuid) makes concurrent batches from several nodes lock rows in
        // the same order, so they cannot deadlock on PostgreSQL.
        let mut ordered: Vec<&SecretUsage> = usages.iter().collect();
        ordered.sort_by(|a, b| a.secret_uuid.cmp(&b.secret_uuid));
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        for usage in ordered {
            // Unknown (deleted) secrets match no row; older uses than the stored one are
            // ignored, so batches from several nodes can arrive in any order.
            sqlx::query(
                "UPDATE client_secrets SET last_used_at = $2, last_grant_type = $3 \
                 WHERE uuid = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
            )
            .bind(usage.secret_uuid.as_str())
            .bind(usage.used_at.0)
            .bind(usage.grant_type.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }
}
