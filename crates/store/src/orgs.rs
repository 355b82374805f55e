//! Organizations and projects ([`OrgStore`]).

use async_trait::async_trait;
use latchkey_core::audit::AuditEntry;
use latchkey_core::credentials::{Organization, Project};
use latchkey_core::ids::OrgId;
use latchkey_core::store::{OrgStore, StoreError};
use latchkey_core::time::UnixMillis;
use sqlx::any::AnyRow;

use crate::SqlStore;
use crate::audit::record;
use crate::errors::{db_err, is_foreign_key_violation};
use crate::rows::{get, millis};

fn organization(row: &AnyRow) -> Result<Organization, StoreError> {
    Ok(Organization {
        id: OrgId::from_trusted(get(row, "id")?),
        name: get(row, "name")?,
        created_at: millis(row, "created_at")?,
    })
}

fn project(row: &AnyRow) -> Result<Project, StoreError> {
    Ok(Project {
        id: get(row, "id")?,
        org_id: OrgId::from_trusted(get(row, "org_id")?),
        name: get(row, "name")?,
        created_at: millis(row, "created_at")?,
    })
}

#[async_trait]
impl OrgStore for SqlStore {
    async fn create_organization(
        &self,
        org: &Organization,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query("INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(org.id.as_str())
            .bind(org.name.as_str())
            .bind(org.created_at.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn get_organization(&self, id: &OrgId) -> Result<Option<Organization>, StoreError> {
        let row = sqlx::query("SELECT id, name, created_at FROM organizations WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(organization).transpose()
    }

    async fn list_organizations(&self) -> Result<Vec<Organization>, StoreError> {
        let rows =
            sqlx::query("SELECT id, name, created_at FROM organizations ORDER BY created_at, id")
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
        rows.iter().map(organization).collect()
    }

    async fn create_project(
        &self,
        org_id: &OrgId,
        name: &str,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<Project, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        // Inserts nothing (no row returned) when the organization does not exist; the foreign
        // key covers the remaining race.
        let row = sqlx::query(
            "INSERT INTO projects (org_id, name, created_at) \
             SELECT id, $2, $3 FROM organizations WHERE id = $1 \
             RETURNING id",
        )
        .bind(org_id.as_str())
        .bind(name)
        .bind(now.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| {
            if is_foreign_key_violation(&e) {
                StoreError::NotFound
            } else {
                db_err(e)
            }
        })?
        .ok_or(StoreError::NotFound)?;
        let id = get(&row, "id")?;
        record(&mut tx, audit).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(Project {
            id,
            org_id: org_id.clone(),
            name: name.to_owned(),
            created_at: now,
        })
    }

    async fn get_project(&self, id: i64) -> Result<Option<Project>, StoreError> {
        let row = sqlx::query("SELECT id, org_id, name, created_at FROM projects WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(project).transpose()
    }

    async fn list_projects(&self, org_id: &OrgId) -> Result<Vec<Project>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, org_id, name, created_at FROM projects WHERE org_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(org_id.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(project).collect()
    }
}
