//! `GET /adobe/latchkey/authorize`: the chain as a dry run, for `latchkey doctor` and for
//! people asking "would this call be allowed?". It runs every stage for the caller's token and
//! the given privilege and path, and answers 200 with the user and groups when the call would
//! pass, or the very denial the real call would get. Nothing is changed except that, as on any
//! call passing the allowlist, the technical-account user is created if it did not exist.

use axum::Json;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use latchkey_core::aem::acl::Privilege;
use latchkey_core::aem::dam_path::DamPath;
use serde::{Deserialize, Serialize};

use crate::aem::chain::Caller;
use crate::aem::problem::Problem;

/// Query of a dry run.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizeQuery {
    /// `read`, `create`, `modify` or `delete` (default `read`).
    #[serde(default)]
    pub privilege: Option<String>,
    /// A DAM path (default `/content/dam`).
    #[serde(default)]
    pub path: Option<String>,
}

/// A positive answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Authorized {
    /// Always true.
    pub allowed: bool,
    /// The bucket addressed.
    pub bucket: String,
    /// The technical-account user.
    pub user: String,
    /// Its groups now.
    pub groups: Vec<String>,
    /// The privilege checked.
    pub privilege: String,
    /// The path checked.
    pub path: String,
}

/// `GET /adobe/latchkey/authorize?privilege=&path=`.
#[utoipa::path(
    get,
    path = "/adobe/latchkey/authorize",
    tag = "assets",
    operation_id = "authorize_dry_run",
    summary = "Would a call be allowed? (Latchkey only)",
    description = "Runs the whole AEM chain for this token, privilege and path without doing anything, and answers 200 or the denial the real call would get.",
    params(
        ("privilege" = Option<String>, Query, description = "`read` (default), `create`, `modify` or `delete`"),
        ("path" = Option<String>, Query, description = "DAM path; default `/content/dam`"),
    ),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The call would pass", body = Authorized),
        crate::routes::apidoc::AemErrors,
    )
)]
pub async fn authorize(
    caller: Caller,
    Query(q): Query<AuthorizeQuery>,
) -> Result<Response, Problem> {
    let privilege = match q.privilege.as_deref() {
        None => Privilege::Read,
        Some(p) => Privilege::parse(p).ok_or_else(|| {
            Problem::BadRequest(format!(
                "privilege {p:?}: use read, create, modify or delete"
            ))
        })?,
    };
    let path = match q.path.as_deref() {
        None => DamPath::root(),
        Some(p) => DamPath::parse(p).map_err(|e| Problem::BadRequest(e.to_string()))?,
    };
    caller.require(&path, privilege)?;
    Ok(Json(Authorized {
        allowed: true,
        bucket: caller.bucket(),
        user: caller.user.clone(),
        groups: caller.groups.iter().map(|g| g.name.clone()).collect(),
        privilege: privilege.as_str().to_owned(),
        path: path.to_string(),
    })
    .into_response())
}
