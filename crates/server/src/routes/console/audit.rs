//! `GET /console/organizations/{org}/audit`: the organization's audit log, newest first,
//! filterable by `action`, `actor`, `target`, `since`/`until` (ms), paged with `before` and
//! `limit` (at most 1000). Admins only.

use axum::Json;
use axum::extract::{Path, Query, State};
use latchkey_core::audit::{AuditAction, AuditFilter};
use latchkey_core::time::UnixMillis;
use latchkey_proto::console::{AuditEntryBody, AuditPage};
use serde::Deserialize;

use super::auth::Principal;
use super::error::ConsoleError;
use super::parse_org;
use crate::state::AppState;

/// Query parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only this action (`secret.added`, `credential.deleted`, ...).
    action: Option<String>,
    /// Only this actor (a client id, or `system`).
    actor: Option<String>,
    /// Only this target (`client:<id>`, `secret:<uuid>`, ...).
    target: Option<String>,
    /// Only entries at or after this instant (ms since the epoch).
    since: Option<i64>,
    /// Only entries before this instant (ms since the epoch).
    until: Option<i64>,
    /// Only entries with a smaller id: `next_before` of the previous page.
    before: Option<i64>,
    /// Page size, 1 to 1000 (default 100).
    limit: Option<u32>,
}

/// The handler.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/audit",
    operation_id = "list_audit",
    tag = "console-audit",
    summary = "The organization's audit log, newest first",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), AuditQuery),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "One page of entries; pass `next_before` as `before` for the next.", body = AuditPage),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    Path(org): Path<String>,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditPage>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let Query(q) =
        query.map_err(|e| ConsoleError::InvalidRequest(format!("bad query: {}", e.body_text())))?;
    let action = match q.action.as_deref() {
        None => None,
        Some(a) => Some(AuditAction::parse(a).ok_or_else(|| {
            let known: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
            ConsoleError::InvalidRequest(format!("unknown action: use one of {}", known.join(", ")))
        })?),
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let filter = AuditFilter {
        org_id: Some(admin.org_id.clone()),
        action,
        actor: q.actor,
        target: q.target,
        since: q.since.map(UnixMillis),
        until: q.until.map(UnixMillis),
        before_id: q.before,
        limit,
    };
    let records = state.store.list_audit(&filter).await?;
    let next_before = (records.len() == limit as usize)
        .then(|| records.last().map(|r| r.id))
        .flatten();
    let entries = records
        .into_iter()
        .map(|r| AuditEntryBody {
            id: r.id,
            at: r.entry.at.0.to_string(),
            org_id: r.entry.org_id.map(|o| o.to_string()),
            actor: r.entry.actor,
            action: r.entry.action.as_str().to_owned(),
            target: r.entry.target,
            peer: r.entry.peer,
            detail: r.entry.detail,
        })
        .collect();
    Ok(Json(AuditPage {
        entries,
        next_before,
    }))
}
