//! Revocation: RFC 7009 (`POST /ims/revoke`) and IMS `POST /ims/invalidate_token/v2`.
//!
//! The caller authenticates; a token that does not verify (garbage, expired, foreign) is
//! answered 200 as RFC 7009 §2.2 asks; a token issued to another client is refused with 400
//! `invalid_request` and stays active (T-42); a storage failure is 503, never a false 200
//! (CVE-2020-15223).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use latchkey_core::credentials::CredentialKind;
use latchkey_core::store::RevokedToken;
use latchkey_core::time::UnixMillis;
use latchkey_core::token::error::TokenError;
use latchkey_proto::ims::OAuthError;

use crate::error::{ImsError, no_store};
use crate::routes::token::{authenticate_client, read_params};
use crate::state::AppState;

async fn revoke_inner(state: &AppState, peer: SocketAddr, req: Request) -> Result<(), ImsError> {
    let now = state.clock.now();
    let mut params = read_params(state, req).await?;
    let caller = authenticate_client(
        state,
        &mut params,
        peer,
        CredentialKind::OAuthServerToServer,
        now,
    )
    .await?;
    let token = params.get("token").ok_or_else(|| {
        ImsError::from(TokenError::InvalidRequest(
            "token is missing: send the token to revoke".into(),
        ))
    })?;
    let Ok(claims) = state.keys.verify(state.store.as_ref(), token, now).await else {
        return Ok(());
    };
    if claims.client_id != caller.credential.client_id.as_str() {
        return Err(TokenError::InvalidRequest(
            "the token was not issued to this client: a client can revoke only its own tokens"
                .into(),
        )
        .into());
    }
    let record = RevokedToken {
        jti: claims.jti.clone(),
        expires_at: UnixMillis::from_secs(claims.exp),
        revoked_at: now,
    };
    state.store.revoke_token(&record).await.map_err(|e| {
        tracing::error!(error = %e, "revocation could not be stored");
        ImsError::RevocationUnavailable
    })?;
    state.aem.forget_token(&claims.jti);
    tracing::info!(client_id = %claims.client_id, jti = %claims.jti, "token revoked");
    Ok(())
}

/// `POST /ims/revoke` and `POST /ims/invalidate_token/v2`.
#[utoipa::path(
    post,
    path = "/ims/revoke",
    tag = "ims",
    summary = "Revoke one of the caller's tokens (RFC 7009)",
    description = "Also served as IMS `POST /ims/invalidate_token/v2` (`token`, `client_id`, `client_secret`). A token that does not verify is answered 200 (RFC 7009 §2.2); a token of another client is refused and stays active.",
    request_body(content((crate::routes::apidoc::TokenCheckForm = "application/x-www-form-urlencoded"), (crate::routes::apidoc::TokenCheckForm = "multipart/form-data")), description = "Parameters in the body (urlencoded or multipart) or the query string."),
    security((), ("client_basic" = [])),
    responses(
        (status = 200, description = "Revoked, or the token was not valid anyway; empty body."),
        (status = 401, description = "`invalid_client` with HTTP Basic (`WWW-Authenticate: Basic`)", body = OAuthError),
        (status = 429, description = "`too_many_requests`: token budget exceeded or too many failed authentications (`Retry-After`)", body = OAuthError),
        crate::routes::apidoc::ImsErrors,
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    match revoke_inner(&state, peer, req).await {
        Ok(()) => {
            let mut r = StatusCode::OK.into_response();
            no_store(&mut r);
            r
        }
        Err(e) => e.into_response(),
    }
}
