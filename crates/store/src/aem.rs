//! The AEM side's configuration and identities ([`AemStore`]): deployed `api.yaml` files,
//! technical-account users and group ACLs.
//!
//! [`AemStore::ensure_aem_user`] is race-free by construction: the insert is
//! `ON CONFLICT DO NOTHING` on the unique (environment, tier, technical account) key, so of any
//! number of concurrent first calls exactly one inserts (and writes the audit entry) and the
//! others read the row it wrote.

use async_trait::async_trait;
use latchkey_core::aem::acl::{AclEntry, NewAcl, Privileges};
use latchkey_core::aem::dam_path::DamPath;
use latchkey_core::aem::store::{AemStore, StoredApiConfig};
use latchkey_core::aem::users::{AemUser, NewAemUser};
use latchkey_core::audit::AuditEntry;
use latchkey_core::ids::TechnicalAccountId;
use latchkey_core::products::{Product, Tier};
use latchkey_core::store::StoreError;
use latchkey_core::time::UnixMillis;
use sqlx::any::AnyRow;

use crate::SqlStore;
use crate::audit::{commit_audited, record};
use crate::errors::{db_err, is_foreign_key_violation};
use crate::products::{product, product_columns, tier};
use crate::rows::{get, millis};

fn user(row: &AnyRow) -> Result<AemUser, StoreError> {
    let tier_text: String = get(row, "tier")?;
    Ok(AemUser {
        id: get(row, "id")?,
        product_id: get(row, "product_id")?,
        tier: tier(&tier_text, "tier")?,
        technical_account_id: TechnicalAccountId::from_trusted(get(row, "technical_account_id")?),
        email: get(row, "email")?,
        credential_id: get(row, "credential_id")?,
        created_at: millis(row, "created_at")?,
    })
}

fn acl(row: &AnyRow) -> Result<AclEntry, StoreError> {
    let tier_text: String = get(row, "tier")?;
    let path: String = get(row, "path")?;
    let privileges: String = get(row, "privileges")?;
    Ok(AclEntry {
        id: get(row, "id")?,
        product_id: get(row, "product_id")?,
        tier: tier(&tier_text, "tier")?,
        group: get(row, "group_name")?,
        path: DamPath::parse(&path)
            .map_err(|e| StoreError::Corrupt(format!("column path: {e}")))?,
        privileges: Privileges::parse(privileges.split(',').filter(|p| !p.is_empty()))
            .map_err(|p| StoreError::Corrupt(format!("column privileges: unknown {p:?}")))?,
        created_at: millis(row, "created_at")?,
    })
}

fn api_config(row: &AnyRow) -> Result<StoredApiConfig, StoreError> {
    Ok(StoredApiConfig {
        product_id: get(row, "product_id")?,
        source: get(row, "source")?,
        deployed_at: millis(row, "deployed_at")?,
        deployed_by: get(row, "deployed_by")?,
    })
}

/// A missing product (foreign key) is `NotFound`.
fn missing_product(e: sqlx::Error) -> StoreError {
    if is_foreign_key_violation(&e) {
        StoreError::NotFound
    } else {
        db_err(e)
    }
}

/// Columns of `aem_users` that [`user`] reads.
macro_rules! user_columns {
    () => {
        "id, product_id, tier, technical_account_id, email, credential_id, created_at"
    };
}

#[async_trait]
impl AemStore for SqlStore {
    async fn find_products_by_environment(
        &self,
        program_id: i64,
        environment_id: i64,
    ) -> Result<Vec<Product>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            product_columns!(),
            " FROM products WHERE program_id = $1 AND environment_id = $2 ORDER BY id"
        ))
        .bind(program_id)
        .bind(environment_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(product).collect()
    }

    async fn deploy_api_config(
        &self,
        config: &StoredApiConfig,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query(
            "INSERT INTO api_configs (product_id, source, deployed_at, deployed_by) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (product_id) DO UPDATE SET source = excluded.source, \
             deployed_at = excluded.deployed_at, deployed_by = excluded.deployed_by",
        )
        .bind(config.product_id)
        .bind(config.source.as_str())
        .bind(config.deployed_at.0)
        .bind(config.deployed_by.as_str())
        .execute(&mut *tx)
        .await
        .map_err(missing_product)?;
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn get_api_config(&self, product_id: i64) -> Result<Option<StoredApiConfig>, StoreError> {
        let row = sqlx::query(
            "SELECT product_id, source, deployed_at, deployed_by FROM api_configs \
             WHERE product_id = $1",
        )
        .bind(product_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.as_ref().map(api_config).transpose()
    }

    async fn delete_api_config(
        &self,
        product_id: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let done = sqlx::query("DELETE FROM api_configs WHERE product_id = $1")
            .bind(product_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        commit_audited(tx, done.rows_affected(), audit).await
    }

    async fn ensure_aem_user(
        &self,
        new: &NewAemUser,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<(AemUser, bool), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let inserted = sqlx::query(
            "INSERT INTO aem_users \
             (product_id, tier, technical_account_id, email, credential_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (product_id, tier, technical_account_id) DO NOTHING",
        )
        .bind(new.product_id)
        .bind(new.tier.as_str())
        .bind(new.technical_account_id.as_str())
        .bind(new.email.as_str())
        .bind(new.credential_id)
        .bind(now.0)
        .execute(&mut *tx)
        .await
        .map_err(missing_product)?
        .rows_affected()
            > 0;
        if inserted {
            record(&mut tx, audit).await?;
        }
        tx.commit().await.map_err(db_err)?;
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM aem_users WHERE product_id = $1 AND tier = $2 AND technical_account_id = $3"
        ))
        .bind(new.product_id)
        .bind(new.tier.as_str())
        .bind(new.technical_account_id.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        // Deleted between the insert and the read (its product went away).
        .ok_or(StoreError::NotFound)?;
        Ok((user(&row)?, inserted))
    }

    async fn list_aem_users(
        &self,
        product_id: i64,
        tier: Option<Tier>,
    ) -> Result<Vec<AemUser>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM aem_users WHERE product_id = $1 \
             AND (CAST($2 AS TEXT) IS NULL OR tier = CAST($2 AS TEXT)) ORDER BY id"
        ))
        .bind(product_id)
        .bind(tier.map(Tier::as_str))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(user).collect()
    }

    async fn add_acl(
        &self,
        new: &NewAcl,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<AclEntry, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let row = sqlx::query(
            "INSERT INTO aem_acls (product_id, tier, group_name, path, privileges, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.product_id)
        .bind(new.tier.as_str())
        .bind(new.group.as_str())
        .bind(new.path.as_str())
        .bind(new.privileges.to_names())
        .bind(now.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(missing_product)?;
        let id = get(&row, "id")?;
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(AclEntry {
            id,
            product_id: new.product_id,
            tier: new.tier,
            group: new.group.clone(),
            path: new.path.clone(),
            privileges: new.privileges,
            created_at: now,
        })
    }

    async fn list_acls(&self, product_id: i64) -> Result<Vec<AclEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, product_id, tier, group_name, path, privileges, created_at \
             FROM aem_acls WHERE product_id = $1 ORDER BY id",
        )
        .bind(product_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(acl).collect()
    }

    async fn delete_acl(
        &self,
        product_id: i64,
        id: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let done = sqlx::query("DELETE FROM aem_acls WHERE id = $1 AND product_id = $2")
            .bind(id)
            .bind(product_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        commit_audited(tx, done.rows_affected(), audit).await
    }
}
