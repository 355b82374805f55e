//! Products, product profiles and credential assignments ([`ProductStore`]).
//!
//! Storage forms: a product's tiers are the comma-joined tier names in the order author,
//! publish, preview; a profile's services are a JSON array of names (they contain spaces).
//! Both are normalized on the way in (sorted, duplicates dropped) and again on the way out, so
//! what a call returns is what a later read returns. Unknown tier names or services that are
//! not a JSON array of strings read back as [`StoreError::Corrupt`].
//!
//! Every change writes its audit entry in its transaction, and only when it succeeds.
//! [`ProductStore::assign_profile`] is idempotent: assigning an existing pair changes nothing
//! and therefore writes no audit entry either (the entry records a change, not a request).
//!
//! The foreign keys cascade (deleting a product removes its profiles, deleting a profile or a
//! credential removes its assignments); the deletes here also remove the dependent rows
//! explicitly, so the promise does not rest on the cascade alone.

use async_trait::async_trait;
use latchkey_core::audit::AuditEntry;
use latchkey_core::ids::OrgId;
use latchkey_core::products::{EnvType, NewProduct, NewProfile, Product, ProductProfile, Tier};
use latchkey_core::store::{ProductStore, StoreError};
use latchkey_core::time::UnixMillis;
use sqlx::any::AnyRow;

use crate::SqlStore;
use crate::audit::{commit_audited, record};
use crate::errors::{db_err, is_foreign_key_violation};
use crate::rows::{get, millis};

/// Columns of `products` that [`product`] reads.
macro_rules! product_columns {
    () => {
        "id, org_id, name, program_id, environment_id, tiers, env_type, created_at"
    };
}
pub(crate) use product_columns;

/// Columns of `product_profiles` (aliased `p`) that [`profile`] reads.
macro_rules! profile_columns {
    () => {
        "p.id, p.product_id, p.org_id, p.name, p.tier, p.services, p.created_at"
    };
}

/// Tiers in their canonical order (author, publish, preview), each once.
fn normalized_tiers(tiers: &[Tier]) -> Vec<Tier> {
    let mut tiers = tiers.to_vec();
    // `Tier`'s order is its declaration order: author, publish, preview.
    tiers.sort_unstable();
    tiers.dedup();
    tiers
}

/// Storage form of a tier list: comma-joined names, canonical order.
fn tiers_value(tiers: &[Tier]) -> String {
    tiers
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Services sorted, each once.
fn normalized_services(services: &[String]) -> Vec<String> {
    let mut services = services.to_vec();
    services.sort_unstable();
    services.dedup();
    services
}

/// Storage form of a service list: a JSON array of names.
fn services_value(services: &[String]) -> String {
    serde_json::Value::from(services.to_vec()).to_string()
}

pub(crate) fn tier(text: &str, column: &str) -> Result<Tier, StoreError> {
    Tier::parse(text)
        .ok_or_else(|| StoreError::Corrupt(format!("column {column}: unknown tier {text:?}")))
}

pub(crate) fn product(row: &AnyRow) -> Result<Product, StoreError> {
    let text: String = get(row, "tiers")?;
    let tiers = text
        .split(',')
        .filter(|t| !t.is_empty())
        .map(|t| tier(t, "tiers"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Product {
        id: get(row, "id")?,
        org_id: OrgId::from_trusted(get(row, "org_id")?),
        name: get(row, "name")?,
        program_id: get(row, "program_id")?,
        environment_id: get(row, "environment_id")?,
        tiers: normalized_tiers(&tiers),
        env_type: {
            let text: String = get(row, "env_type")?;
            EnvType::parse(&text).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "column env_type: unknown environment type {text:?}"
                ))
            })?
        },
        created_at: millis(row, "created_at")?,
    })
}

fn profile(row: &AnyRow) -> Result<ProductProfile, StoreError> {
    let tier_text: String = get(row, "tier")?;
    let services_text: String = get(row, "services")?;
    let services: Vec<String> = serde_json::from_str(&services_text).map_err(|e| {
        StoreError::Corrupt(format!("column services: not a JSON array of strings: {e}"))
    })?;
    Ok(ProductProfile {
        id: get(row, "id")?,
        product_id: get(row, "product_id")?,
        org_id: OrgId::from_trusted(get(row, "org_id")?),
        name: get(row, "name")?,
        tier: tier(&tier_text, "tier")?,
        services: normalized_services(&services),
        created_at: millis(row, "created_at")?,
    })
}

/// A missing referenced row (the parent vanished between the check and the insert) is
/// `NotFound`; everything else maps as usual.
fn missing_parent_is_not_found(e: sqlx::Error) -> StoreError {
    if is_foreign_key_violation(&e) {
        StoreError::NotFound
    } else {
        db_err(e)
    }
}

#[async_trait]
impl ProductStore for SqlStore {
    async fn create_product(
        &self,
        new: &NewProduct,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<Product, StoreError> {
        let tiers = normalized_tiers(&new.tiers);
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Inserts nothing (no row returned) when the organization does not exist; the foreign
        // key covers the remaining race.
        let row = sqlx::query(
            "INSERT INTO products (org_id, name, program_id, environment_id, tiers, created_at, env_type) \
             SELECT id, $2, $3, $4, $5, $6, $7 FROM organizations WHERE id = $1 \
             RETURNING id",
        )
        .bind(new.org_id.as_str())
        .bind(new.name.as_str())
        .bind(new.program_id)
        .bind(new.environment_id)
        .bind(tiers_value(&tiers))
        .bind(now.0)
        .bind(new.env_type.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(missing_parent_is_not_found)?
        .ok_or(StoreError::NotFound)?;
        let id = get(&row, "id")?;
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(Product {
            id,
            org_id: new.org_id.clone(),
            name: new.name.clone(),
            program_id: new.program_id,
            environment_id: new.environment_id,
            tiers,
            env_type: new.env_type,
            created_at: now,
        })
    }

    async fn get_product(&self, id: i64) -> Result<Option<Product>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            product_columns!(),
            " FROM products WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.as_ref().map(product).transpose()
    }

    async fn list_products(&self, org_id: &OrgId) -> Result<Vec<Product>, StoreError> {
        let found = sqlx::query(concat!(
            "SELECT ",
            product_columns!(),
            " FROM products WHERE org_id = $1 ORDER BY created_at, id"
        ))
        .bind(org_id.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        found.iter().map(product).collect()
    }

    async fn delete_product(&self, id: i64, audit: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let done = sqlx::query("DELETE FROM products WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        // The foreign keys cascade already; this keeps the promise without relying on it.
        sqlx::query(
            "DELETE FROM profile_assignments WHERE profile_id IN \
             (SELECT id FROM product_profiles WHERE product_id = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        sqlx::query("DELETE FROM product_profiles WHERE product_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn create_profile(
        &self,
        new: &NewProfile,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<ProductProfile, StoreError> {
        let services = normalized_services(&new.services);
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Inserts nothing when the product does not exist; the organization is the product's.
        let row = sqlx::query(
            "INSERT INTO product_profiles \
             (product_id, org_id, name, tier, services, created_at) \
             SELECT id, org_id, $2, $3, $4, $5 FROM products WHERE id = $1 \
             RETURNING id, org_id",
        )
        .bind(new.product_id)
        .bind(new.name.as_str())
        .bind(new.tier.as_str())
        .bind(services_value(&services))
        .bind(now.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(missing_parent_is_not_found)?
        .ok_or(StoreError::NotFound)?;
        let id = get(&row, "id")?;
        let org_id = OrgId::from_trusted(get(&row, "org_id")?);
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(ProductProfile {
            id,
            product_id: new.product_id,
            org_id,
            name: new.name.clone(),
            tier: new.tier,
            services,
            created_at: now,
        })
    }

    async fn get_profile(&self, id: i64) -> Result<Option<ProductProfile>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            profile_columns!(),
            " FROM product_profiles p WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.as_ref().map(profile).transpose()
    }

    async fn list_profiles(&self, product_id: i64) -> Result<Vec<ProductProfile>, StoreError> {
        let found = sqlx::query(concat!(
            "SELECT ",
            profile_columns!(),
            " FROM product_profiles p WHERE p.product_id = $1 ORDER BY p.created_at, p.id"
        ))
        .bind(product_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        found.iter().map(profile).collect()
    }

    async fn set_profile_services(
        &self,
        id: i64,
        services: &[String],
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let services = normalized_services(services);
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let done = sqlx::query("UPDATE product_profiles SET services = $2 WHERE id = $1")
            .bind(id)
            .bind(services_value(&services))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        commit_audited(tx, done.rows_affected(), audit).await
    }

    async fn delete_profile(&self, id: i64, audit: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let done = sqlx::query("DELETE FROM product_profiles WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        // The foreign key cascades already; this keeps the promise without relying on it.
        sqlx::query("DELETE FROM profile_assignments WHERE profile_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn assign_profile(
        &self,
        credential_id: i64,
        profile_id: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // The write comes first, so SQLite takes its write lock before anything is read (a
        // read-then-write transaction could fail to upgrade). It inserts nothing when either
        // side is missing or the pair exists; the foreign keys cover a concurrent delete.
        // (SQLite needs the WHERE to parse `INSERT ... SELECT ... ON CONFLICT`.)
        let inserted = sqlx::query(
            "INSERT INTO profile_assignments (credential_id, profile_id) \
             SELECT c.id, p.id FROM credentials c, product_profiles p \
             WHERE c.id = $1 AND p.id = $2 \
             ON CONFLICT (credential_id, profile_id) DO NOTHING",
        )
        .bind(credential_id)
        .bind(profile_id)
        .execute(&mut *tx)
        .await
        .map_err(missing_parent_is_not_found)?;
        if inserted.rows_affected() == 0 {
            // Either already assigned (nothing changed: no audit entry) or a side is missing.
            let existing = sqlx::query(
                "SELECT 1 AS one FROM profile_assignments \
                 WHERE credential_id = $1 AND profile_id = $2",
            )
            .bind(credential_id)
            .bind(profile_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
            return match existing {
                Some(_) => Ok(()),
                None => Err(StoreError::NotFound),
            };
        }
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn unassign_profile(
        &self,
        credential_id: i64,
        profile_id: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let done = sqlx::query(
            "DELETE FROM profile_assignments WHERE credential_id = $1 AND profile_id = $2",
        )
        .bind(credential_id)
        .bind(profile_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        commit_audited(tx, done.rows_affected(), audit).await
    }

    async fn credential_profiles(
        &self,
        credential_id: i64,
    ) -> Result<Vec<ProductProfile>, StoreError> {
        // Oldest profile first (assignments carry no time of their own).
        let found = sqlx::query(concat!(
            "SELECT ",
            profile_columns!(),
            " FROM profile_assignments a JOIN product_profiles p ON p.id = a.profile_id \
             WHERE a.credential_id = $1 ORDER BY p.created_at, p.id"
        ))
        .bind(credential_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        found.iter().map(profile).collect()
    }

    async fn profile_credentials(&self, profile_id: i64) -> Result<Vec<i64>, StoreError> {
        let found = sqlx::query(
            "SELECT credential_id FROM profile_assignments WHERE profile_id = $1 \
             ORDER BY credential_id",
        )
        .bind(profile_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        found.iter().map(|row| get(row, "credential_id")).collect()
    }
}
