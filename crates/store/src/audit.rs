//! The audit log ([`AuditStore`]): [`record`] writes an entry inside the caller's transaction
//! (every mutating call does so just before committing), and [`AuditStore::list_audit`] reads
//! entries back, newest first, narrowed by an [`AuditFilter`].

use async_trait::async_trait;
use latchkey_core::audit::{AuditAction, AuditEntry, AuditFilter, AuditRecord};
use latchkey_core::ids::OrgId;
use latchkey_core::store::{AuditStore, StoreError};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::SqlStore;
use crate::errors::db_err;
use crate::rows::{get, millis};

/// Entries listed when the filter asks for 0.
const DEFAULT_LIMIT: u32 = 100;
/// Most entries one listing returns.
const MAX_LIMIT: u32 = 1000;

/// Ends a change that touched `affected` rows: none means the addressed record does not exist
/// (`NotFound`; dropping the transaction rolls it back), otherwise the audit entry is written and
/// the transaction commits.
pub(crate) async fn commit_audited(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    affected: u64,
    entry: &AuditEntry,
) -> Result<(), StoreError> {
    if affected == 0 {
        return Err(StoreError::NotFound);
    }
    record(&mut tx, entry).await?;
    tx.commit().await.map_err(db_err)
}

/// Writes `entry` on `conn`, which must be the transaction of the change it records, so the
/// change and its record commit (or roll back) together.
pub(crate) async fn record(conn: &mut AnyConnection, entry: &AuditEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, org_id, actor, action, target, peer, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.at.0)
    .bind(entry.org_id.as_ref().map(|id| id.as_str().to_owned()))
    .bind(entry.actor.as_str())
    .bind(entry.action.as_str())
    .bind(entry.target.as_str())
    .bind(entry.peer.clone())
    // `Value::Null` becomes the text `null`.
    .bind(entry.detail.to_string())
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

fn audit_record(row: &AnyRow) -> Result<AuditRecord, StoreError> {
    let action: String = get(row, "action")?;
    let detail: String = get(row, "detail")?;
    Ok(AuditRecord {
        id: get(row, "id")?,
        entry: AuditEntry {
            at: millis(row, "at")?,
            org_id: get::<Option<String>>(row, "org_id")?.map(OrgId::from_trusted),
            actor: get(row, "actor")?,
            action: AuditAction::parse(&action).ok_or_else(|| {
                StoreError::Corrupt(format!("column action: unknown audit action {action:?}"))
            })?,
            target: get(row, "target")?,
            peer: get(row, "peer")?,
            detail: serde_json::from_str(&detail)
                .map_err(|e| StoreError::Corrupt(format!("column detail: not JSON: {e}")))?,
        },
    })
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn list_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
        let limit = match filter.limit {
            0 => DEFAULT_LIMIT,
            n => n.min(MAX_LIMIT),
        };
        // Every condition is `(<bind> IS NULL OR <test>)`, so an absent filter field matches
        // everything and no value is ever spliced into the text. The CASTs give PostgreSQL a
        // type for a NULL bind (it cannot infer one from `IS NULL` alone); SQLite accepts them.
        let found = sqlx::query(
            "SELECT id, at, org_id, actor, action, target, peer, detail FROM audit_log \
             WHERE (CAST($1 AS TEXT) IS NULL OR org_id = CAST($1 AS TEXT)) \
             AND (CAST($2 AS TEXT) IS NULL OR action = CAST($2 AS TEXT)) \
             AND (CAST($3 AS TEXT) IS NULL OR actor = CAST($3 AS TEXT)) \
             AND (CAST($4 AS TEXT) IS NULL OR target = CAST($4 AS TEXT)) \
             AND (CAST($5 AS BIGINT) IS NULL OR at >= CAST($5 AS BIGINT)) \
             AND (CAST($6 AS BIGINT) IS NULL OR at < CAST($6 AS BIGINT)) \
             AND (CAST($7 AS BIGINT) IS NULL OR id < CAST($7 AS BIGINT)) \
             ORDER BY id DESC LIMIT $8",
        )
        .bind(filter.org_id.as_ref().map(|id| id.as_str().to_owned()))
        .bind(filter.action.map(AuditAction::as_str))
        .bind(filter.actor.clone())
        .bind(filter.target.clone())
        .bind(filter.since.map(|t| t.0))
        .bind(filter.until.map(|t| t.0))
        .bind(filter.before_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        found.iter().map(audit_record).collect()
    }
}
