//! Organizations: every credential belongs to exactly one, and may read it. Listing returns the
//! caller's own organization; organizations are created at an installation's first start.

use axum::Json;
use axum::extract::{Path, State};
use latchkey_core::credentials::Organization;
use latchkey_proto::console::{ConsoleErrorBody, OrganizationBody};

use super::auth::Principal;
use super::error::ConsoleError;
use super::parse_org;
use crate::state::AppState;

fn body(o: &Organization) -> OrganizationBody {
    OrganizationBody {
        id: o.id.to_string(),
        name: o.name.clone(),
        created_at: o.created_at.0.to_string(),
    }
}

/// `GET /console/organizations`: the caller's organization.
#[utoipa::path(
    get,
    path = "/console/organizations",
    tag = "console-credentials",
    summary = "List the caller's organizations",
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The organization of the calling credential.", body = Vec<OrganizationBody>),
        (status = 401, description = "`invalid_token`: no bearer token, or invalid, expired or revoked (`WWW-Authenticate: Bearer`)", body = ConsoleErrorBody),
        (status = 403, description = "`missing_api_key` or `api_key_mismatch`", body = ConsoleErrorBody),
        (status = 500, description = "`internal`: a bug; report the `x-debug-id`", body = ConsoleErrorBody),
        (status = 503, description = "`unavailable`: the database does not answer (`Retry-After`)", body = ConsoleErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
) -> Result<Json<Vec<OrganizationBody>>, ConsoleError> {
    let org = state.store.get_organization(&p.credential.org_id).await?;
    Ok(Json(org.iter().map(body).collect()))
}

/// `GET /console/organizations/{org}`: any credential of the organization.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}",
    tag = "console-credentials",
    summary = "Show an organization",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`).")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The organization.", body = OrganizationBody),
        (status = 400, description = "`invalid_request`: malformed id", body = ConsoleErrorBody),
        (status = 401, description = "`invalid_token`: no bearer token, or invalid, expired or revoked (`WWW-Authenticate: Bearer`)", body = ConsoleErrorBody),
        (status = 403, description = "`missing_api_key`, `api_key_mismatch` or `forbidden` (another organization)", body = ConsoleErrorBody),
        (status = 404, description = "`not_found`", body = ConsoleErrorBody),
        (status = 500, description = "`internal`: a bug; report the `x-debug-id`", body = ConsoleErrorBody),
        (status = 503, description = "`unavailable`: the database does not answer (`Retry-After`)", body = ConsoleErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    p: Principal,
    Path(org): Path<String>,
) -> Result<Json<OrganizationBody>, ConsoleError> {
    let org = parse_org(&org)?;
    if p.credential.org_id != org {
        return Err(ConsoleError::Forbidden(
            "this credential belongs to another organization: use a credential of the organization in the URL".into(),
        ));
    }
    let found = state
        .store
        .get_organization(&org)
        .await?
        .ok_or(ConsoleError::NotFound("no such organization"))?;
    Ok(Json(body(&found)))
}
