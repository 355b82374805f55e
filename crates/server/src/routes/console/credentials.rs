//! Projects and credentials of an organization: create, list, show, rename, enable/disable,
//! delete, and "revoke every token of this credential" (which Adobe cannot do, SPEC §6).
//!
//! Changes need an [`OrgAdmin`](super::auth::OrgAdmin); a credential may read its own details.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use latchkey_core::audit::AuditAction;
use latchkey_core::credentials::{Credential, CredentialKind, Project};
use latchkey_core::provision::{self, CredentialSpec};
use latchkey_core::scope::ScopeList;
use latchkey_proto::console::{
    ConsoleErrorBody, CreateCredential, CreateProject, CreatedCredential, CredentialBody,
    ProjectBody, TokensRevoked, UpdateCredential,
};
use serde_json::json;

use super::auth::Principal;
use super::body::JsonBody;
use super::error::ConsoleError;
use super::{load_credential, parse_id, parse_org};
use crate::state::AppState;

/// The console form of a credential.
pub fn credential_body(c: &Credential) -> CredentialBody {
    CredentialBody {
        id: c.id,
        project_id: c.project_id,
        org_id: c.org_id.to_string(),
        kind: c.kind.as_str().to_owned(),
        name: c.name.clone(),
        client_id: c.client_id.to_string(),
        technical_account_id: c.technical_account_id.to_string(),
        technical_account_email: c.technical_account_email.clone(),
        scopes: c.scopes.items().to_vec(),
        admin: c.admin,
        enabled: c.enabled,
        tokens_revoked_before: c.tokens_revoked_before.0.to_string(),
        created_at: c.created_at.0.to_string(),
    }
}

fn project_body(p: &Project) -> ProjectBody {
    ProjectBody {
        id: p.id,
        org_id: p.org_id.to_string(),
        name: p.name.clone(),
        created_at: p.created_at.0.to_string(),
    }
}

fn check_name(name: &str) -> Result<String, ConsoleError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ConsoleError::InvalidRequest(
            "name must be 1 to 200 characters without control characters".into(),
        ));
    }
    Ok(name.to_owned())
}

/// `GET /console/organizations/{org}/projects`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/projects",
    tag = "console-credentials",
    summary = "List projects",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`).")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The projects.", body = Vec<ProjectBody>),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn list_projects(
    State(state): State<AppState>,
    p: Principal,
    Path(org): Path<String>,
) -> Result<Json<Vec<ProjectBody>>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let projects = state.store.list_projects(&admin.org_id).await?;
    Ok(Json(projects.iter().map(project_body).collect()))
}

/// `POST /console/organizations/{org}/projects`.
#[utoipa::path(
    post,
    path = "/console/organizations/{org}/projects",
    tag = "console-credentials",
    summary = "Create a project",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`).")),
    request_body(content = CreateProject, content_type = "application/json"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 201, description = "The project.", body = ProjectBody),
        (status = 409, description = "`conflict`: the name is taken", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
        crate::routes::apidoc::JsonBodyErrors,
    )
)]
pub async fn create_project(
    State(state): State<AppState>,
    p: Principal,
    Path(org): Path<String>,
    JsonBody(req): JsonBody<CreateProject>,
) -> Result<Response, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let name = check_name(&req.name)?;
    let project = provision::create_project(
        state.store.as_ref(),
        &p.actor(),
        &admin.org_id,
        &name,
        p.now,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(project_body(&project))).into_response())
}

/// `POST /console/organizations/{org}/projects/{project}/credentials`: 201 with the first
/// secret, shown once.
#[utoipa::path(
    post,
    path = "/console/organizations/{org}/projects/{project}/credentials",
    tag = "console-credentials",
    summary = "Create an OAuth Server-to-Server credential",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("project" = i64, Path, description = "Numeric project id.")),
    request_body(content = CreateCredential, content_type = "application/json"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 201, description = "The credential and its first client secret, shown once.", body = CreatedCredential),
        (status = 409, description = "`conflict`: a value is taken", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
        crate::routes::apidoc::JsonBodyErrors,
    )
)]
pub async fn create_credential(
    State(state): State<AppState>,
    p: Principal,
    Path((org, project)): Path<(String, String)>,
    JsonBody(req): JsonBody<CreateCredential>,
) -> Result<Response, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let project = state
        .store
        .get_project(parse_id(&project)?)
        .await?
        .filter(|pr| pr.org_id == admin.org_id)
        .ok_or(ConsoleError::NotFound(
            "no such project in this organization",
        ))?;
    let scopes = ScopeList::parse(&req.scopes.join(","))
        .map_err(|e| ConsoleError::InvalidRequest(format!("scopes: {e}")))?;
    let spec = CredentialSpec {
        kind: CredentialKind::OAuthServerToServer,
        name: check_name(&req.name)?,
        scopes,
        admin: req.admin,
    };
    let (cred, secret) = provision::create_credential(
        state.store.as_ref(),
        &state.hasher,
        &p.actor(),
        &project,
        spec,
        p.now,
    )
    .await?;
    let body = CreatedCredential {
        credential: credential_body(&cred),
        client_secret: secret.expose().to_owned(),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `GET /console/organizations/{org}/credentials`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/credentials",
    tag = "console-credentials",
    summary = "List credentials",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`).")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The credentials of the organization.", body = Vec<CredentialBody>),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn list_credentials(
    State(state): State<AppState>,
    p: Principal,
    Path(org): Path<String>,
) -> Result<Json<Vec<CredentialBody>>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let creds = state.store.list_credentials(&admin.org_id).await?;
    Ok(Json(creds.iter().map(credential_body).collect()))
}

/// `GET /console/organizations/{org}/credentials/{id}`: admins, or the credential itself.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/credentials/{cred}",
    tag = "console-credentials",
    summary = "Show a credential (admins, or the credential itself)",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The credential.", body = CredentialBody),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn get_credential(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id)): Path<(String, String)>,
) -> Result<Json<CredentialBody>, ConsoleError> {
    let org = parse_org(&org)?;
    let id = parse_id(&id)?;
    if p.admin_of(&org).is_none() && !(p.credential.id == id && p.credential.org_id == org) {
        return Err(p
            .require_admin(&org)
            .err()
            .unwrap_or(ConsoleError::Internal));
    }
    Ok(Json(credential_body(
        &load_credential(&state, &org, id).await?,
    )))
}

/// `PATCH /console/organizations/{org}/credentials/{id}`: rename and/or enable/disable.
#[utoipa::path(
    patch,
    path = "/console/organizations/{org}/credentials/{cred}",
    tag = "console-credentials",
    summary = "Rename, enable or disable a credential",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id.")),
    request_body(content = UpdateCredential, content_type = "application/json"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The credential as updated.", body = CredentialBody),
        (status = 409, description = "`conflict`: a credential cannot disable itself", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
        crate::routes::apidoc::JsonBodyErrors,
    )
)]
pub async fn update_credential(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id)): Path<(String, String)>,
    JsonBody(req): JsonBody<UpdateCredential>,
) -> Result<Json<CredentialBody>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let cred = load_credential(&state, &admin.org_id, parse_id(&id)?).await?;
    let target = format!("client:{}", cred.client_id);
    if let Some(name) = &req.name {
        let name = check_name(name)?;
        let audit = p.actor().entry(
            p.now,
            Some(&admin.org_id),
            AuditAction::CredentialRenamed,
            target.clone(),
            json!({ "name": name }),
        );
        state
            .store
            .rename_credential(cred.id, &name, p.now, &audit)
            .await?;
    }
    if let Some(enabled) = req.enabled {
        if !enabled && cred.id == p.credential.id {
            return Err(ConsoleError::Conflict(
                "a credential cannot disable itself: use another admin credential".into(),
            ));
        }
        let action = if enabled {
            AuditAction::CredentialEnabled
        } else {
            AuditAction::CredentialDisabled
        };
        let audit = p
            .actor()
            .entry(p.now, Some(&admin.org_id), action, target, json!({}));
        state
            .store
            .set_credential_enabled(cred.id, enabled, p.now, &audit)
            .await?;
    }
    state.credentials.invalidate(cred.client_id.as_str());
    Ok(Json(credential_body(
        &load_credential(&state, &admin.org_id, cred.id).await?,
    )))
}

/// `DELETE /console/organizations/{org}/credentials/{id}`: 204.
#[utoipa::path(
    delete,
    path = "/console/organizations/{org}/credentials/{cred}",
    tag = "console-credentials",
    summary = "Delete a credential with its secrets",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, description = "`conflict`: a credential cannot delete itself", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn delete_credential(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id)): Path<(String, String)>,
) -> Result<StatusCode, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let cred = load_credential(&state, &admin.org_id, parse_id(&id)?).await?;
    if cred.id == p.credential.id {
        return Err(ConsoleError::Conflict(
            "a credential cannot delete itself: use another admin credential".into(),
        ));
    }
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::CredentialDeleted,
        format!("client:{}", cred.client_id),
        json!({ "client_id": cred.client_id.as_str(), "name": cred.name }),
    );
    state.store.delete_credential(cred.id, &audit).await?;
    state.credentials.invalidate(cred.client_id.as_str());
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /console/organizations/{org}/credentials/{id}/revoke_tokens`: every token of the
/// credential created before now is refused from now on, on every node (the check reads the
/// store).
#[utoipa::path(
    post,
    path = "/console/organizations/{org}/credentials/{cred}/revoke_tokens",
    tag = "console-credentials",
    summary = "Revoke every token of a credential created before now",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "Tokens created before `revoked_before` are refused from now on, on every node.", body = TokensRevoked),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn revoke_tokens(
    State(state): State<AppState>,
    p: Principal,
    Path((org, id)): Path<(String, String)>,
) -> Result<Json<TokensRevoked>, ConsoleError> {
    let admin = p.require_admin(&parse_org(&org)?)?;
    let cred = load_credential(&state, &admin.org_id, parse_id(&id)?).await?;
    let audit = p.actor().entry(
        p.now,
        Some(&admin.org_id),
        AuditAction::CredentialTokensRevoked,
        format!("client:{}", cred.client_id),
        json!({ "client_id": cred.client_id.as_str(), "before": p.now.0 }),
    );
    state
        .store
        .revoke_credential_tokens(cred.id, p.now, &audit)
        .await?;
    state.credentials.invalidate(cred.client_id.as_str());
    tracing::info!(client_id = %cred.client_id, actor = %p.credential.client_id, "all tokens of a credential revoked");
    Ok(Json(TokensRevoked {
        revoked_before: p.now.0.to_string(),
    }))
}
