//! Client secrets, wire-compatible with Adobe's I/O Management API (reference/adobe-protocol.md
//! §5): `GET|POST /console/organizations/{orgId}/credentials/{credentialId}/secrets` and
//! `DELETE .../secrets/{uuid}`.
//!
//! Allowed to the credential's own token when it carries `manage_client_secrets`
//! (`read_client_secret` suffices to list), and to admins of the organization; anything else is
//! 403, and a credential never sees another's secrets. A change invalidates this node's
//! credential cache at once; other nodes see it within `cluster.credential_cache_ms`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use latchkey_core::audit::AuditAction;
use latchkey_core::credentials::{Credential, StoredSecret};
use latchkey_core::ids::{OrgId, generate_secret_uuid};
use latchkey_core::secret::ClientSecret;
use latchkey_core::time::ims_date_string;
use latchkey_proto::console::{
    ConsoleErrorBody, NewSecret, SecretInfo, SecretList, SecretUsageInfo,
};
use serde_json::json;

use super::auth::Principal;
use super::error::ConsoleError;
use super::{load_credential, parse_id, parse_org};
use crate::state::AppState;

const MANAGE: &str = "manage_client_secrets";
const READ: &str = "read_client_secret";

fn authorize(
    p: &Principal,
    org: &OrgId,
    cred: &Credential,
    write: bool,
) -> Result<(), ConsoleError> {
    if p.admin_of(org).is_some() {
        return Ok(());
    }
    if p.credential.id != cred.id {
        return Err(ConsoleError::Forbidden(
            "a credential can manage only its own secrets: use this credential's own token, or an organization admin's".into(),
        ));
    }
    let allowed = if write {
        p.has_scope(MANAGE)
    } else {
        p.has_scope(READ) || p.has_scope(MANAGE)
    };
    if allowed {
        Ok(())
    } else {
        Err(ConsoleError::InsufficientScope(if write {
            MANAGE
        } else {
            READ
        }))
    }
}

/// Resolves the path and checks access; the organization is checked before any lookup so that
/// callers of other organizations learn nothing about its credentials.
async fn resolve(
    state: &AppState,
    p: &Principal,
    org: &str,
    cred: &str,
    write: bool,
) -> Result<(OrgId, Credential), ConsoleError> {
    let org = parse_org(org)?;
    if p.credential.org_id != org {
        return Err(ConsoleError::Forbidden(
            "this credential belongs to another organization: use a credential of the organization in the URL".into(),
        ));
    }
    let cred = load_credential(state, &org, parse_id(cred)?).await?;
    authorize(p, &org, &cred, write)?;
    Ok((org, cred))
}

fn info(state: &AppState, s: &StoredSecret) -> SecretInfo {
    let stored = s
        .last_used_at
        .map(|at| (at, s.last_grant_type.clone().unwrap_or_default()));
    let pending = state
        .usage
        .pending(&s.uuid)
        .map(|(at, g)| (at, g.to_owned()));
    let last = match (stored, pending) {
        (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
        (a, b) => a.or(b),
    };
    SecretInfo {
        expires_at: "PERMANENT".into(),
        expires_at_str: "PERMANENT".into(),
        created_at: s.created_at.0.to_string(),
        created_at_str: ims_date_string(s.created_at),
        uuid: s.uuid.clone(),
        secret_usages: last.map(|(at, grant_type)| {
            vec![SecretUsageInfo {
                last_used_at: at.0.to_string(),
                grant_type,
            }]
        }),
    }
}

/// `GET .../secrets`.
#[utoipa::path(
    get,
    path = "/console/organizations/{org}/credentials/{cred}/secrets",
    operation_id = "list_secrets",
    tag = "console-secrets",
    summary = "List a credential's client secrets (never their values)",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The secrets, oldest first.", body = SecretList),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
    Path((org, cred)): Path<(String, String)>,
) -> Result<Json<SecretList>, ConsoleError> {
    let (_, cred) = resolve(&state, &p, &org, &cred, false).await?;
    let secrets = state.store.list_secrets(cred.id).await?;
    Ok(Json(SecretList {
        client_id: cred.client_id.to_string(),
        client_secrets: secrets.iter().map(|s| info(&state, s)).collect(),
    }))
}

/// `POST .../secrets`: 201 with the plaintext, once.
#[utoipa::path(
    post,
    path = "/console/organizations/{org}/credentials/{cred}/secrets",
    operation_id = "add_secret",
    tag = "console-secrets",
    summary = "Add a client secret (the value is shown once)",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 201, description = "The new secret, in plaintext: the only time it is shown.", body = NewSecret),
        (status = 409, description = "`secret_limit_reached`: delete an unused secret first", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn add(
    State(state): State<AppState>,
    p: Principal,
    Path((org, cred)): Path<(String, String)>,
) -> Result<Response, ConsoleError> {
    let (org, cred) = resolve(&state, &p, &org, &cred, true).await?;
    let secret = ClientSecret::generate().map_err(|_| ConsoleError::Internal)?;
    let uuid = generate_secret_uuid().map_err(|_| ConsoleError::Internal)?;
    let max = usize::try_from(state.config.limits.max_secrets_per_credential).unwrap_or(2);
    let audit = p.actor().entry(
        p.now,
        Some(&org),
        AuditAction::SecretAdded,
        format!("secret:{uuid}"),
        json!({ "credential_id": cred.id, "client_id": cred.client_id.as_str() }),
    );
    let stored = state
        .store
        .add_secret(
            cred.id,
            &uuid,
            &state.hasher.hash(&secret),
            max,
            p.now,
            &audit,
        )
        .await
        .map_err(|e| match ConsoleError::from(e) {
            ConsoleError::SecretLimitReached(_) => ConsoleError::SecretLimitReached(max),
            other => other,
        })?;
    state.credentials.invalidate(cred.client_id.as_str());
    tracing::info!(client_id = %cred.client_id, secret_uuid = %uuid, actor = %p.credential.client_id, "client secret added");
    let body = NewSecret {
        client_secret: secret.expose().to_owned(),
        info: info(&state, &stored),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `DELETE .../secrets/{uuid}`: 204.
#[utoipa::path(
    delete,
    path = "/console/organizations/{org}/credentials/{cred}/secrets/{uuid}",
    operation_id = "delete_secret",
    tag = "console-secrets",
    summary = "Delete a client secret",
    params(("org" = String, Path, description = "Organization id (`<24 hex>@AdobeOrg`)."), ("cred" = i64, Path, description = "Numeric credential id."), ("uuid" = String, Path, description = "Secret uuid, from the secret listing.")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 204, description = "Deleted. Tokens it obtained stay valid (use revoke_tokens)."),
        (status = 409, description = "`last_secret`: the credential's only secret; add a new one first", body = ConsoleErrorBody),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    p: Principal,
    Path((org, cred, uuid)): Path<(String, String, String)>,
) -> Result<StatusCode, ConsoleError> {
    let (org, cred) = resolve(&state, &p, &org, &cred, true).await?;
    let audit = p.actor().entry(
        p.now,
        Some(&org),
        AuditAction::SecretDeleted,
        format!("secret:{uuid}"),
        json!({ "credential_id": cred.id, "client_id": cred.client_id.as_str() }),
    );
    state
        .store
        .delete_secret(cred.id, &uuid, &audit)
        .await
        .map_err(|e| match e {
            latchkey_core::store::StoreError::NotFound => ConsoleError::NotFound(
                "no secret with this uuid on this credential: list the secrets to see their uuids",
            ),
            other => other.into(),
        })?;
    state.credentials.invalidate(cred.client_id.as_str());
    tracing::info!(client_id = %cred.client_id, secret_uuid = %uuid, actor = %p.credential.client_id, "client secret deleted");
    Ok(StatusCode::NO_CONTENT)
}
