//! `GET /console/keys` and `POST /console/keys/rotate`: the installation's token-signing keys
//! (SPEC §1). Keys serve every organization, so only admins of the installation's initial
//! organization (the one created on first start) may see or rotate them.

use axum::Json;
use axum::extract::{Query, State};
use latchkey_core::ids::OrgId;
use latchkey_proto::keys::SigningKeyList;
use serde::Deserialize;

use super::auth::Principal;
use super::error::ConsoleError;
use crate::signing::KeysError;
use crate::state::AppState;

/// Query parameters of a rotation.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RotateQuery {
    /// `true`: the new key signs at once instead of after `tokens.key_publish_ahead_secs` (for
    /// a key suspected to be compromised). Resource servers that cached the JWKS refuse the new
    /// tokens until they fetch it again.
    #[serde(default)]
    immediately: bool,
}

/// The list handler.
#[utoipa::path(
    get,
    path = "/console/keys",
    operation_id = "list_signing_keys",
    tag = "console-keys",
    summary = "The token-signing keys: next, active and retired",
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "Every stored key, oldest first (public information only).", body = SigningKeyList),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    p: Principal,
) -> Result<Json<SigningKeyList>, ConsoleError> {
    require_operator(&state, &p)?;
    Ok(Json(
        state
            .keys
            .list(state.store.as_ref())
            .await
            .map_err(console)?,
    ))
}

/// The rotation handler.
#[utoipa::path(
    post,
    path = "/console/keys/rotate",
    operation_id = "rotate_signing_key",
    tag = "console-keys",
    summary = "Publish the next signing key now (or, with immediately=true, sign with it at once)",
    params(RotateQuery),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The keys after the rotation. Without `immediately`, the new key is `next` and signs from its `signs_from`; asking again before then changes nothing.", body = SigningKeyList),
        crate::routes::apidoc::ConsoleErrors,
    )
)]
pub async fn rotate(
    State(state): State<AppState>,
    p: Principal,
    query: Result<Query<RotateQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SigningKeyList>, ConsoleError> {
    require_operator(&state, &p)?;
    let Query(q) =
        query.map_err(|e| ConsoleError::InvalidRequest(format!("bad query: {}", e.body_text())))?;
    let store = state.store.as_ref();
    state
        .keys
        .rotate(store, &p.actor(), q.immediately, p.now)
        .await
        .map_err(console)?;
    Ok(Json(state.keys.list(store).await.map_err(console)?))
}

/// Admins of the initial organization only.
fn require_operator(state: &AppState, p: &Principal) -> Result<(), ConsoleError> {
    let org: Option<&OrgId> = state.keys.installation_org();
    match org {
        Some(org) if p.admin_of(org).is_some() => Ok(()),
        Some(org) => Err(ConsoleError::Forbidden(format!(
            "signing keys serve every organization, so only admins of the installation's initial organization {org} may manage them: use its admin credential (printed by the first `latchkey serve`)"
        ))),
        None => Err(ConsoleError::Forbidden(
            "this installation has no initial organization, so nobody may manage its signing keys here: rotate them with tokens.key_rotation_days".into(),
        )),
    }
}

fn console(e: KeysError) -> ConsoleError {
    match e {
        KeysError::Store(e) => e.into(),
        KeysError::Crypto(detail) => {
            tracing::error!(%detail, "signing key operation failed");
            ConsoleError::Internal
        }
    }
}
