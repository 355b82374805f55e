//! Stage 1 of the chain, the Adobe I/O gateway: an `x-api-key`, a bearer token that verifies,
//! has not expired, has not been revoked and whose credential is live, and a key equal to the
//! token's client (reference/adobe-protocol.md §7.2). Revocation and credential state come
//! from the node's caches, so this stage reads no database in the common case.

use axum::http::HeaderMap;
use latchkey_core::aem::denial::{Denial, Reason};
use latchkey_core::credentials::Credential;
use latchkey_core::ids::ClientId;
use latchkey_core::time::UnixMillis;
use latchkey_core::token::claims::AccessTokenClaims;
use latchkey_core::token::verify::VerifyError;

use super::problem::Problem;
use crate::headers::bearer;
use crate::routes::introspection::credential_accepts;
use crate::state::AppState;

/// What passed the gateway.
#[derive(Debug, Clone)]
pub struct Passed {
    /// The token's claims.
    pub claims: AccessTokenClaims,
    /// Its credential, as this node knows it.
    pub credential: Credential,
}

const GET_TOKEN: &str = "request a token with grant_type=client_credentials at /ims/token/v3 and send it as Authorization: Bearer <token>";

/// Runs the gateway checks.
pub async fn check(
    state: &AppState,
    headers: &HeaderMap,
    now: UnixMillis,
) -> Result<Passed, Problem> {
    let api_key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            Denial::new(
                Reason::ApiKeyMissing,
                "The request has no x-api-key header.",
                "send x-api-key: <the Client ID of the credential that obtained the token>",
            )
        })?;
    let token = bearer(headers).ok_or_else(|| {
        Denial::new(
            Reason::TokenMissing,
            "The request has no Authorization: Bearer token.",
            GET_TOKEN,
        )
    })?;
    let claims = match state.keys.verify(state.store.as_ref(), token, now).await {
        Ok(c) => c,
        Err(VerifyError::Expired) => {
            return Err(Denial::new(
                Reason::TokenExpired,
                "The access token has expired.",
                "request a new token (tokens live 24 hours; clients should refresh before expires_in runs out)",
            )
            .into());
        }
        Err(e) => {
            return Err(Denial::new(
                Reason::TokenInvalid,
                format!("The bearer token is not a valid access token of this server: {e}."),
                GET_TOKEN,
            )
            .into());
        }
    };
    if api_key != claims.client_id {
        return Err(Denial::new(
            Reason::ApiKeyInvalid,
            format!(
                "x-api-key is {api_key:?}, but the token was issued to client {}.",
                claims.client_id
            ),
            "send the Client ID of the token's credential as x-api-key (or a token of the credential named by x-api-key)",
        )
        .into());
    }
    let store = state.store.as_ref();
    if state.aem.is_revoked(store, &claims.jti).await? {
        return Err(Denial::new(
            Reason::TokenRevoked,
            "The access token has been revoked.",
            GET_TOKEN,
        )
        .into());
    }
    let client_id = ClientId::parse(&claims.client_id).ok_or_else(|| {
        Denial::new(
            Reason::TokenInvalid,
            "The token names no valid client.",
            GET_TOKEN,
        )
    })?;
    let record = state.credentials.get(store, &client_id).await?;
    let credential = match record.as_ref() {
        Some((c, _)) if credential_accepts(c, &claims) => c.clone(),
        _ => {
            return Err(Denial::new(
                Reason::CredentialRevoked,
                format!(
                    "The credential of client {} is disabled or deleted, or all its tokens were revoked after this one was issued.",
                    claims.client_id
                ),
                "enable the credential (latchkey admin credentials enable) or request a new token",
            )
            .into());
        }
    };
    Ok(Passed { claims, credential })
}
