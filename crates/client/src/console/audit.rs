//! The audit log: `GET .../audit` with its filters, newest first (organization admins only).

use latchkey_proto::console::AuditPage;
use reqwest::Method;
use serde::Serialize;

use super::ConsoleClient;
use crate::error::Error;
use crate::http;

/// Filters of an audit listing; `None` leaves a filter out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditQuery {
    /// Only this action (`secret.added`, `credential.created`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Only this actor (a client id, or `system`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Only this target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Not before this instant (milliseconds since the epoch).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<i64>,
    /// Not after this instant (milliseconds since the epoch).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    /// Entries older than this id (the `next_before` of the previous page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<i64>,
    /// At most this many entries (the server caps it at 1000; default 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl ConsoleClient {
    /// One page of the organization's audit log.
    pub async fn audit(&self, org: &str, query: &AuditQuery) -> Result<AuditPage, Error> {
        let url = self.url(org, &["audit"]);
        http::json(http::send(self.request(Method::GET, &url).query(query), &url).await?).await
    }
}
