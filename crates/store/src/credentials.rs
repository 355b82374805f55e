//! Credentials ([`CredentialStore`]): creation together with the first secret, lookups by id,
//! client id and organization, enabling/disabling, renaming, deletion (with the secrets and
//! profile assignments), and "revoke every token issued before". Every change writes its audit
//! entry in its transaction.

use async_trait::async_trait;
use latchkey_core::audit::AuditEntry;
use latchkey_core::credentials::{Credential, NewCredential, StoredSecret};
use latchkey_core::ids::{ClientId, OrgId};
use latchkey_core::secret::SecretHash;
use latchkey_core::store::{CredentialStore, StoreError};
use latchkey_core::time::UnixMillis;
use sqlx::AnyConnection;

use crate::SqlStore;
use crate::audit::{commit_audited, record};
use crate::errors::{db_err, is_foreign_key_violation};
use crate::rows::{self, credential_columns, flag_value, get, secret_columns};
use crate::secrets::insert_secret;

/// Inserts a credential row inside the caller's transaction and returns its id; `NotFound` when
/// the project does not exist in that organization.
pub(crate) async fn insert_credential(
    conn: &mut AnyConnection,
    new: &NewCredential,
    now: UnixMillis,
) -> Result<i64, StoreError> {
    // The SELECT inserts nothing when the project does not exist in that organization.
    let row = sqlx::query(
        "INSERT INTO credentials (project_id, org_id, kind, name, client_id, \
         technical_account_id, technical_account_email, scopes, admin, enabled, \
         tokens_revoked_before, created_at, updated_at) \
         SELECT id, org_id, $3, $4, $5, $6, $7, $8, $10, 1, 0, $9, $9 \
         FROM projects WHERE id = $1 AND org_id = $2 \
         RETURNING id",
    )
    .bind(new.project_id)
    .bind(new.org_id.as_str())
    .bind(new.kind.as_str())
    .bind(new.name.as_str())
    .bind(new.client_id.as_str())
    .bind(new.technical_account_id.as_str())
    .bind(new.technical_account_email.as_str())
    .bind(rows::scopes_value(&new.scopes))
    .bind(now.0)
    .bind(flag_value(new.admin))
    .fetch_optional(conn)
    .await
    .map_err(|e| {
        if is_foreign_key_violation(&e) {
            StoreError::NotFound
        } else {
            db_err(e)
        }
    })?
    .ok_or(StoreError::NotFound)?;
    get(&row, "id")
}

/// The credential `new` became, as stored at `now` with id `id`.
pub(crate) fn created(id: i64, new: &NewCredential, now: UnixMillis) -> Credential {
    Credential {
        id,
        project_id: new.project_id,
        org_id: new.org_id.clone(),
        kind: new.kind,
        name: new.name.clone(),
        client_id: new.client_id.clone(),
        technical_account_id: new.technical_account_id.clone(),
        technical_account_email: new.technical_account_email.clone(),
        scopes: new.scopes.clone(),
        admin: new.admin,
        enabled: true,
        tokens_revoked_before: UnixMillis(0),
        created_at: now,
    }
}

#[async_trait]
impl CredentialStore for SqlStore {
    async fn create_credential(
        &self,
        new: &NewCredential,
        first_secret_uuid: &str,
        first_secret_hash: &SecretHash,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<Credential, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let id = insert_credential(&mut tx, new, now).await?;

        insert_secret(&mut tx, first_secret_uuid, id, first_secret_hash, now).await?;
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;

        Ok(created(id, new, now))
    }

    async fn get_credential(&self, id: i64) -> Result<Option<Credential>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            credential_columns!(),
            " FROM credentials c WHERE c.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.as_ref().map(rows::credential).transpose()
    }

    async fn find_credential_for_auth(
        &self,
        client_id: &ClientId,
    ) -> Result<Option<(Credential, Vec<StoredSecret>)>, StoreError> {
        // One statement, so the credential and its secrets come from one consistent snapshot
        // in one round trip (this is the token endpoint's hot path).
        let found = sqlx::query(concat!(
            "SELECT ",
            credential_columns!(),
            ", ",
            secret_columns!(),
            " FROM credentials c LEFT JOIN client_secrets s ON s.credential_id = c.id \
             WHERE c.client_id = $1 ORDER BY s.created_at, s.uuid"
        ))
        .bind(client_id.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let Some(first) = found.first() else {
            return Ok(None);
        };
        let credential = rows::credential(first)?;
        let mut secrets = Vec::with_capacity(found.len());
        for row in &found {
            // A credential without secrets yields one row of NULL secret columns.
            if get::<Option<String>>(row, "s_uuid")?.is_some() {
                secrets.push(rows::secret(row)?);
            }
        }
        Ok(Some((credential, secrets)))
    }

    async fn list_credentials(&self, org_id: &OrgId) -> Result<Vec<Credential>, StoreError> {
        let found = sqlx::query(concat!(
            "SELECT ",
            credential_columns!(),
            " FROM credentials c WHERE c.org_id = $1 ORDER BY c.created_at, c.id"
        ))
        .bind(org_id.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        found.iter().map(rows::credential).collect()
    }

    async fn set_credential_enabled(
        &self,
        id: i64,
        enabled: bool,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let done = sqlx::query(
            "UPDATE credentials SET enabled = $2, \
             updated_at = CASE WHEN updated_at < $3 THEN $3 ELSE updated_at END \
             WHERE id = $1",
        )
        .bind(id)
        .bind(flag_value(enabled))
        .bind(now.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        commit_audited(tx, done.rows_affected(), audit).await
    }

    async fn rename_credential(
        &self,
        id: i64,
        name: &str,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let done = sqlx::query(
            "UPDATE credentials SET name = $2, \
             updated_at = CASE WHEN updated_at < $3 THEN $3 ELSE updated_at END \
             WHERE id = $1",
        )
        .bind(id)
        .bind(name)
        .bind(now.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        commit_audited(tx, done.rows_affected(), audit).await
    }

    async fn delete_credential(&self, id: i64, audit: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // The credential row goes first: that takes its row lock (PostgreSQL) or the write lock
        // (SQLite) in the same order as adding or deleting a secret does, so a concurrent add
        // either finishes before (and its secret is deleted here) or finds no credential.
        let done = sqlx::query("DELETE FROM credentials WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        // The foreign keys cascade already; this keeps the promise without relying on them.
        sqlx::query("DELETE FROM client_secrets WHERE credential_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query("DELETE FROM profile_assignments WHERE credential_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query("DELETE FROM service_account_certificates WHERE credential_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn revoke_credential_tokens(
        &self,
        id: i64,
        before: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // The cut-off only moves forward: a late or repeated call (for example from a node with
        // a slow clock) must not make already refused tokens valid again.
        let done = sqlx::query(
            "UPDATE credentials SET tokens_revoked_before = \
             CASE WHEN tokens_revoked_before < $2 THEN $2 ELSE tokens_revoked_before END \
             WHERE id = $1",
        )
        .bind(id)
        .bind(before.0)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        commit_audited(tx, done.rows_affected(), audit).await
    }
}
