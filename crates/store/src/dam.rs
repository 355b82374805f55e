//! The DAM ([`DamStore`]): folders and assets of each environment's tier.
//!
//! A node is created only when its parent is the DAM root or an existing folder, checked in
//! the node's own transaction (the insert selects from the parent row), so a folder deleted
//! concurrently cannot gain children. Metadata changes are optimistic: the update names the
//! version it read and changes nothing if the version moved on. A subtree is deleted in one
//! statement; the blob keys of its assets are returned for the caller to remove afterwards,
//! so a crash can leave an unreferenced blob but never a row without its blob.

use async_trait::async_trait;
use latchkey_core::aem::dam::{Binary, DamNode, NodeKind};
use latchkey_core::aem::dam_path::DamPath;
use latchkey_core::aem::store::{DamStore, Repo};
use latchkey_core::store::StoreError;
use latchkey_core::time::UnixMillis;
use serde_json::{Map, Value};
use sqlx::any::AnyRow;

use crate::SqlStore;
use crate::errors::db_err;
use crate::products::tier;
use crate::rows::{get, millis};

/// Columns of `dam_nodes` that [`node`] reads.
macro_rules! columns {
    () => {
        "id, product_id, tier, path, kind, title, mime_type, size, blob_key, metadata, version, \
         created_at, modified_at, created_by, modified_by"
    };
}

/// Most children one listing returns.
const MAX_LIMIT: u32 = 1000;

fn node(row: &AnyRow) -> Result<DamNode, StoreError> {
    let tier_text: String = get(row, "tier")?;
    let path: String = get(row, "path")?;
    let kind: String = get(row, "kind")?;
    let metadata: String = get(row, "metadata")?;
    let blob_key: Option<String> = get(row, "blob_key")?;
    let binary = match blob_key {
        Some(blob_key) => Some(Binary {
            blob_key,
            mime_type: get::<Option<String>>(row, "mime_type")?.unwrap_or_default(),
            size: get::<Option<i64>>(row, "size")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(DamNode {
        uuid: get(row, "id")?,
        product_id: get(row, "product_id")?,
        tier: tier(&tier_text, "tier")?,
        path: DamPath::parse(&path)
            .map_err(|e| StoreError::Corrupt(format!("column path: {e}")))?,
        kind: NodeKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("column kind: unknown {kind:?}")))?,
        title: get(row, "title")?,
        binary,
        metadata: serde_json::from_str(&metadata)
            .map_err(|e| StoreError::Corrupt(format!("column metadata: not a JSON object: {e}")))?,
        version: get(row, "version")?,
        created_at: millis(row, "created_at")?,
        modified_at: millis(row, "modified_at")?,
        created_by: get(row, "created_by")?,
        modified_by: get(row, "modified_by")?,
    })
}

/// `LIKE` pattern matching everything below `path` (its `%` and `_` escaped).
fn below(path: &DamPath) -> String {
    let escaped = path
        .as_str()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("{escaped}/%")
}

impl SqlStore {
    async fn fetch_node(
        &self,
        repo: Repo,
        by_path: bool,
        value: &str,
    ) -> Result<Option<DamNode>, StoreError> {
        let query = if by_path {
            sqlx::query(concat!(
                "SELECT ",
                columns!(),
                " FROM dam_nodes WHERE product_id = $1 AND tier = $2 AND path = $3"
            ))
        } else {
            sqlx::query(concat!(
                "SELECT ",
                columns!(),
                " FROM dam_nodes WHERE product_id = $1 AND tier = $2 AND id = $3"
            ))
        };
        let row = query
            .bind(repo.product_id)
            .bind(repo.tier.as_str())
            .bind(value)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(node).transpose()
    }
}

#[async_trait]
impl DamStore for SqlStore {
    async fn create_dam_node(&self, n: &DamNode) -> Result<(), StoreError> {
        let parent = n
            .path
            .parent()
            .ok_or_else(|| StoreError::Conflict("the DAM root".into()))?;
        let metadata = Value::Object(n.metadata.clone()).to_string();
        let (mime, size, blob) = match &n.binary {
            Some(b) => (
                Some(b.mime_type.as_str()),
                Some(b.size),
                Some(b.blob_key.as_str()),
            ),
            None => (None, None, None),
        };
        // One row when the parent is the root or a folder of this repository, none otherwise.
        let inserted = sqlx::query(concat!(
            "INSERT INTO dam_nodes (",
            columns!(),
            ", parent_path) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 \
             WHERE $16 = '/content/dam' OR EXISTS (SELECT 1 FROM dam_nodes \
               WHERE product_id = $2 AND tier = $3 AND path = $16 AND kind = 'folder')"
        ))
        .bind(n.uuid.as_str())
        .bind(n.product_id)
        .bind(n.tier.as_str())
        .bind(n.path.as_str())
        .bind(n.kind.as_str())
        .bind(n.title.clone())
        .bind(mime)
        .bind(size)
        .bind(blob)
        .bind(metadata)
        .bind(n.version)
        .bind(n.created_at.0)
        .bind(n.modified_at.0)
        .bind(n.created_by.as_str())
        .bind(n.modified_by.as_str())
        .bind(parent.as_str())
        .execute(&self.pool)
        .await
        .map_err(|e| match db_err(e) {
            StoreError::Conflict(_) => StoreError::Conflict(format!("a node at {}", n.path)),
            other => other,
        })?
        .rows_affected();
        if inserted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn get_dam_node(&self, repo: Repo, uuid: &str) -> Result<Option<DamNode>, StoreError> {
        self.fetch_node(repo, false, uuid).await
    }

    async fn get_dam_node_by_path(
        &self,
        repo: Repo,
        path: &DamPath,
    ) -> Result<Option<DamNode>, StoreError> {
        self.fetch_node(repo, true, path.as_str()).await
    }

    async fn list_dam_children(
        &self,
        repo: Repo,
        parent: &DamPath,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<DamNode>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM dam_nodes WHERE product_id = $1 AND tier = $2 \
             AND parent_path = $3 AND (CAST($4 AS TEXT) IS NULL OR path > CAST($4 AS TEXT)) \
             ORDER BY path LIMIT $5"
        ))
        .bind(repo.product_id)
        .bind(repo.tier.as_str())
        .bind(parent.as_str())
        .bind(after)
        .bind(i64::from(limit.clamp(1, MAX_LIMIT)))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(node).collect()
    }

    async fn update_dam_metadata(
        &self,
        repo: Repo,
        uuid: &str,
        expected_version: i64,
        metadata: &Map<String, Value>,
        now: UnixMillis,
        by: &str,
    ) -> Result<DamNode, StoreError> {
        let updated = sqlx::query(concat!(
            "UPDATE dam_nodes SET metadata = $1, version = version + 1, modified_at = $2, \
             modified_by = $3 WHERE product_id = $4 AND tier = $5 AND id = $6 AND version = $7 \
             RETURNING ",
            columns!()
        ))
        .bind(Value::Object(metadata.clone()).to_string())
        .bind(now.0)
        .bind(by)
        .bind(repo.product_id)
        .bind(repo.tier.as_str())
        .bind(uuid)
        .bind(expected_version)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        if let Some(row) = updated {
            return node(&row);
        }
        match self.get_dam_node(repo, uuid).await? {
            None => Err(StoreError::NotFound),
            Some(current) => Err(StoreError::Conflict(format!(
                "version {} of {uuid}",
                current.version
            ))),
        }
    }

    async fn delete_dam_subtree(
        &self,
        repo: Repo,
        path: &DamPath,
    ) -> Result<Vec<String>, StoreError> {
        let pattern = below(path);
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let rows = sqlx::query(
            "DELETE FROM dam_nodes WHERE product_id = $1 AND tier = $2 \
             AND (path = $3 OR path LIKE $4 ESCAPE '\\') RETURNING blob_key",
        )
        .bind(repo.product_id)
        .bind(repo.tier.as_str())
        .bind(path.as_str())
        .bind(pattern)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        if rows.is_empty() {
            return Err(StoreError::NotFound);
        }
        tx.commit().await.map_err(db_err)?;
        let mut keys = Vec::new();
        for row in &rows {
            if let Some(k) = get::<Option<String>>(row, "blob_key")? {
                keys.push(k);
            }
        }
        Ok(keys)
    }
}
