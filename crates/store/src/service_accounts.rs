//! Legacy Service Account (JWT) credentials ([`ServiceAccountStore`]): creation with the first
//! secret and certificate and, for an AEM environment, a technical-account slot; certificates
//! (add, revoke, delete); single-use assertion ids.
//!
//! The slot limit is race-free the same way the secret limit is (see `secrets.rs`): the product
//! row is updated first, which takes its row lock on PostgreSQL and the write lock on SQLite,
//! and only then are the slots counted. Slots are never deleted with their credential: deleted
//! technical accounts keep counting (seed 002). Certificate additions lock the credential row
//! likewise. Assertion ids rely on the primary key `(client_id, jti)`: of any number of
//! concurrent inserts on any number of nodes, exactly one succeeds.

use async_trait::async_trait;
use latchkey_core::audit::AuditEntry;
use latchkey_core::credentials::{Credential, NewCredential};
use latchkey_core::ids::ClientId;
use latchkey_core::secret::SecretHash;
use latchkey_core::service_account::Certificate;
use latchkey_core::store::{ServiceAccountStore, StoreError};
use latchkey_core::time::UnixMillis;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::SqlStore;
use crate::audit::{commit_audited, record};
use crate::credentials::{created, insert_credential};
use crate::errors::db_err;
use crate::rows::{get, millis, opt_millis};
use crate::secrets::insert_secret;

fn certificate(row: &AnyRow) -> Result<Certificate, StoreError> {
    Ok(Certificate {
        id: get(row, "id")?,
        credential_id: get(row, "credential_id")?,
        fingerprint: get(row, "fingerprint")?,
        der: get(row, "der")?,
        not_before: millis(row, "not_before")?,
        not_after: millis(row, "not_after")?,
        revoked_at: opt_millis(row, "revoked_at")?,
        created_at: millis(row, "created_at")?,
    })
}

async fn insert_certificate(conn: &mut AnyConnection, c: &Certificate) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO service_account_certificates (id, credential_id, fingerprint, der, \
         not_before, not_after, revoked_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(c.id.as_str())
    .bind(c.credential_id)
    .bind(c.fingerprint.as_str())
    .bind(c.der.as_slice())
    .bind(c.not_before.0)
    .bind(c.not_after.0)
    .bind(c.revoked_at.map(|t| t.0))
    .bind(c.created_at.0)
    .execute(conn)
    .await
    .map_err(|e| match db_err(e) {
        StoreError::Conflict(_) => StoreError::Conflict("certificate".into()),
        other => other,
    })?;
    Ok(())
}

async fn count(conn: &mut AnyConnection, sql: &'static str, id: i64) -> Result<usize, StoreError> {
    let row = sqlx::query(sql)
        .bind(id)
        .fetch_one(conn)
        .await
        .map_err(db_err)?;
    let n: i64 = get(&row, "n")?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

#[async_trait]
impl ServiceAccountStore for SqlStore {
    async fn create_service_account(
        &self,
        new: &NewCredential,
        first_secret_uuid: &str,
        first_secret_hash: &SecretHash,
        certificate: &Certificate,
        product_id: Option<i64>,
        max_per_product: usize,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<Credential, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        if let Some(product) = product_id {
            // Lock the product first (see the module docs); no row means no such product in
            // this organization.
            let locked =
                sqlx::query("UPDATE products SET name = name WHERE id = $1 AND org_id = $2")
                    .bind(product)
                    .bind(new.org_id.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            if locked.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let used = count(
                &mut tx,
                "SELECT COUNT(*) AS n FROM technical_account_slots WHERE product_id = $1",
                product,
            )
            .await?;
            if used >= max_per_product {
                return Err(StoreError::Refused(format!(
                    "this environment already has {used} technical accounts, the most it may have (deleted ones count too): reuse an existing technical account or use another environment"
                )));
            }
        }
        let id = insert_credential(&mut tx, new, now).await?;
        insert_secret(&mut tx, first_secret_uuid, id, first_secret_hash, now).await?;
        let mut cert = certificate.clone();
        cert.credential_id = id;
        insert_certificate(&mut tx, &cert).await?;
        if let Some(product) = product_id {
            sqlx::query(
                "INSERT INTO technical_account_slots (product_id, technical_account_id, \
                 credential_id, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(product)
            .bind(new.technical_account_id.as_str())
            .bind(id)
            .bind(now.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(created(id, new, now))
    }

    async fn technical_accounts_used(&self, product_id: i64) -> Result<u64, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        let n = count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM technical_account_slots WHERE product_id = $1",
            product_id,
        )
        .await?;
        Ok(u64::try_from(n).unwrap_or(u64::MAX))
    }

    async fn list_certificates(&self, credential_id: i64) -> Result<Vec<Certificate>, StoreError> {
        let found = sqlx::query(
            "SELECT id, credential_id, fingerprint, der, not_before, not_after, revoked_at, \
             created_at FROM service_account_certificates WHERE credential_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(credential_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        found.iter().map(certificate).collect()
    }

    async fn add_certificate(
        &self,
        certificate: &Certificate,
        max: usize,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let locked = sqlx::query(
            "UPDATE credentials \
             SET updated_at = CASE WHEN updated_at < $2 THEN $2 ELSE updated_at END \
             WHERE id = $1",
        )
        .bind(certificate.credential_id)
        .bind(certificate.created_at.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if locked.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let held = count(
            &mut tx,
            "SELECT COUNT(*) AS n FROM service_account_certificates WHERE credential_id = $1",
            certificate.credential_id,
        )
        .await?;
        if held >= max {
            return Err(StoreError::Refused(format!(
                "the credential already holds {held} certificates, the most it may hold: revoke and delete an old one first"
            )));
        }
        insert_certificate(&mut tx, certificate).await?;
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn revoke_certificate(
        &self,
        credential_id: i64,
        id: &str,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let row = sqlx::query(
            "SELECT revoked_at FROM service_account_certificates \
             WHERE credential_id = $1 AND id = $2",
        )
        .bind(credential_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
        if opt_millis(&row, "revoked_at")?.is_some() {
            return Err(StoreError::Refused(
                "the certificate is already revoked: delete it if it is no longer needed".into(),
            ));
        }
        let done = sqlx::query(
            "UPDATE service_account_certificates SET revoked_at = $3 \
             WHERE credential_id = $1 AND id = $2 AND revoked_at IS NULL",
        )
        .bind(credential_id)
        .bind(id)
        .bind(now.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        commit_audited(tx, done.rows_affected(), audit).await
    }

    async fn delete_certificate(
        &self,
        credential_id: i64,
        id: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let row = sqlx::query(
            "SELECT revoked_at FROM service_account_certificates \
             WHERE credential_id = $1 AND id = $2",
        )
        .bind(credential_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
        if opt_millis(&row, "revoked_at")?.is_none() {
            return Err(StoreError::Refused(
                "the certificate is not revoked: revoke it first, then delete it".into(),
            ));
        }
        let done = sqlx::query(
            "DELETE FROM service_account_certificates \
             WHERE credential_id = $1 AND id = $2 AND revoked_at IS NOT NULL",
        )
        .bind(credential_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        commit_audited(tx, done.rows_affected(), audit).await
    }

    async fn consume_jti(
        &self,
        client_id: &ClientId,
        jti: &str,
        expires_at: UnixMillis,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO used_assertion_ids (client_id, jti, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (client_id, jti) DO NOTHING",
        )
        .bind(client_id.as_str())
        .bind(jti)
        .bind(expires_at.0)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn purge_expired_jtis(&self, now: UnixMillis) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM used_assertion_ids WHERE expires_at < $1")
            .bind(now.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected())
    }
}
