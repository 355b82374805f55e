//! Installation facts ([`MetaStore`]): a small key/value table whose values are written once
//! (e.g. the pepper check value) and then only read.

use async_trait::async_trait;
use latchkey_core::store::{MetaStore, StoreError};

use crate::SqlStore;
use crate::errors::db_err;
use crate::rows::get;

#[async_trait]
impl MetaStore for SqlStore {
    async fn get_meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(|r| get(r, "value")).transpose()
    }

    async fn put_meta_if_absent(&self, key: &str, value: &str) -> Result<String, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // The insert comes first: it waits for a concurrent writer of the same key, and the
        // following read (a new snapshot on PostgreSQL) then sees whichever value won.
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let row = sqlx::query("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let stored: String = get(&row, "value")?;
        tx.commit().await.map_err(db_err)?;
        Ok(stored)
    }
}
