//! Token status: RFC 7662 introspection (`POST /ims/introspect`) and IMS
//! `POST /ims/validate_token/v1` (reference/adobe-protocol.md §1.6).
//!
//! A token is active when it verifies (signature, header, claims, expiry), is not revoked, and
//! its credential still exists, is enabled and has not had all its tokens revoked since. The
//! checks read the store directly, so a revocation made on any node is seen at once.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Request, State};
use axum::response::{IntoResponse, Response};
use latchkey_core::credentials::{Credential, CredentialKind};
use latchkey_core::ids::ClientId;
use latchkey_core::time::UnixMillis;
use latchkey_core::token::claims::AccessTokenClaims;
use latchkey_core::token::error::TokenError;
use latchkey_proto::ims::{OAuthError, ValidateTokenResponse};
use latchkey_proto::oauth::IntrospectionResponse;

use crate::error::{ImsError, no_store};
use crate::routes::token::{authenticate_client, read_params};
use crate::state::AppState;

/// Why a token that verified is nevertheless not active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inactive {
    /// Verification failed.
    Invalid,
    /// Revoked individually.
    Revoked,
    /// Its credential is gone, disabled, or had every token revoked.
    CredentialRevoked,
}

impl Inactive {
    /// A short reason for IMS `validate_token`.
    pub fn reason(self) -> &'static str {
        match self {
            Inactive::Invalid => "the token is malformed, expired, or not signed by this server",
            Inactive::Revoked => "the token has been revoked",
            Inactive::CredentialRevoked => {
                "the token's credential is disabled, deleted, or had its tokens revoked"
            }
        }
    }
}

/// Whether `c` still stands behind a token with `claims`: enabled, of the token's
/// organization, and without a "revoke all tokens" after the token was issued.
pub fn credential_accepts(c: &Credential, claims: &AccessTokenClaims) -> bool {
    // `created_at` is the issue time in milliseconds: exact, unlike `iat` in seconds.
    let created = claims
        .created_at
        .parse::<i64>()
        .map(UnixMillis)
        .unwrap_or(UnixMillis(i64::MIN));
    c.enabled && created >= c.tokens_revoked_before && c.org_id.as_str() == claims.org
}

/// Full check of a token at `now`. `Err(None)` means storage failed.
pub async fn check_token(
    state: &AppState,
    token: &str,
    now: UnixMillis,
) -> Result<Result<AccessTokenClaims, Inactive>, TokenError> {
    let claims = match state.keys.verify(state.store.as_ref(), token, now).await {
        Ok(c) => c,
        Err(e) => {
            tracing::debug!(reason = %e, "token did not verify");
            return Ok(Err(Inactive::Invalid));
        }
    };
    let unavailable = |e| {
        tracing::error!(error = %e, "token status lookup failed");
        TokenError::Unavailable
    };
    // Through the node's caches, as the AEM gateway reads them: a revocation or credential
    // change made on this node is seen at once, one made on another within
    // `cluster.credential_cache_ms`.
    let store = state.store.as_ref();
    if state
        .aem
        .is_revoked(store, &claims.jti)
        .await
        .map_err(unavailable)?
    {
        return Ok(Err(Inactive::Revoked));
    }
    let Some(client_id) = ClientId::parse(&claims.client_id) else {
        return Ok(Err(Inactive::Invalid));
    };
    let found = state
        .credentials
        .get(store, &client_id)
        .await
        .map_err(unavailable)?;
    let live = found
        .as_ref()
        .as_ref()
        .is_some_and(|(c, _)| credential_accepts(c, &claims));
    if !live {
        return Ok(Err(Inactive::CredentialRevoked));
    }
    Ok(Ok(claims))
}

fn introspection_body(c: &AccessTokenClaims) -> IntrospectionResponse {
    IntrospectionResponse {
        active: true,
        scope: Some(c.scopes().collect::<Vec<_>>().join(" ")),
        client_id: Some(c.client_id.clone()),
        token_type: Some("Bearer".into()),
        exp: Some(c.exp),
        iat: Some(c.iat),
        sub: Some(c.sub.clone()),
        aud: Some(c.aud.clone()),
        iss: Some(c.iss.clone()),
        jti: Some(c.jti.clone()),
        org: Some(c.org.clone()),
    }
}

async fn introspect_inner(
    state: &AppState,
    peer: SocketAddr,
    req: Request,
) -> Result<IntrospectionResponse, ImsError> {
    let now = state.clock.now();
    let mut params = read_params(state, req).await?;
    // RFC 7662 §2.1: the caller must authenticate; failures are 401 like HTTP Basic ones.
    let caller = authenticate_client(
        state,
        &mut params,
        peer,
        CredentialKind::OAuthServerToServer,
        now,
    )
    .await
    .map_err(|e| match e {
        ImsError::Token {
            error: error @ TokenError::InvalidClient(_),
            ..
        } => ImsError::Token {
            error,
            basic_auth: true,
        },
        other => other,
    })?;
    let token = params.get("token").ok_or_else(|| {
        ImsError::from(TokenError::InvalidRequest(
            "token is missing: send the token to introspect".into(),
        ))
    })?;
    Ok(match check_token(state, token, now).await? {
        // A caller sees only tokens of its own organization (RFC 7662 §2.2: "not allowed" is inactive).
        Ok(c) if c.org == caller.credential.org_id.as_str() => introspection_body(&c),
        Ok(_) | Err(_) => IntrospectionResponse::default(),
    })
}

/// `POST /ims/introspect`.
#[utoipa::path(
    post,
    path = "/ims/introspect",
    tag = "ims",
    summary = "Introspect a token (RFC 7662)",
    description = "The caller authenticates with its client credentials and sees only tokens of its own organization; any other token is `{\"active\": false}`.",
    request_body(content((crate::routes::apidoc::TokenCheckForm = "application/x-www-form-urlencoded"), (crate::routes::apidoc::TokenCheckForm = "multipart/form-data")), description = "Parameters in the body (urlencoded or multipart) or the query string."),
    security((), ("client_basic" = [])),
    responses(
        (status = 200, description = "The token's status; an inactive token is `{\"active\": false}` only.", body = IntrospectionResponse),
        (status = 401, description = "`invalid_client` with HTTP Basic (`WWW-Authenticate: Basic`)", body = OAuthError),
        (status = 429, description = "`too_many_requests`: token budget exceeded or too many failed authentications (`Retry-After`)", body = OAuthError),
        crate::routes::apidoc::ImsErrors,
    )
)]
pub async fn introspect(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    match introspect_inner(&state, peer, req).await {
        Ok(body) => {
            let mut r = Json(body).into_response();
            no_store(&mut r);
            r
        }
        Err(e) => e.into_response(),
    }
}

async fn validate_inner(state: &AppState, req: Request) -> Result<ValidateTokenResponse, ImsError> {
    let now = state.clock.now();
    let params = read_params(state, req).await?;
    let token = params
        .bearer
        .as_deref()
        .or_else(|| params.get("token"))
        .ok_or_else(|| {
            ImsError::from(TokenError::InvalidRequest(
                "token is missing: send it as Authorization: Bearer or as the token parameter"
                    .into(),
            ))
        })?;
    let client_id = params
        .get("client_id")
        .ok_or_else(|| ImsError::from(TokenError::InvalidRequest("client_id is missing".into())))?;
    if params.get("type").is_some_and(|t| t != "access_token") {
        return Ok(ValidateTokenResponse {
            valid: false,
            token: None,
            reason: Some("only access tokens are issued by this server".into()),
        });
    }
    Ok(match check_token(state, token, now).await? {
        Ok(c) if c.client_id == client_id => ValidateTokenResponse {
            valid: true,
            token: serde_json::to_value(&c).ok(),
            reason: None,
        },
        Ok(_) => ValidateTokenResponse {
            valid: false,
            token: None,
            reason: Some("the token was issued to another client".into()),
        },
        Err(why) => ValidateTokenResponse {
            valid: false,
            token: None,
            reason: Some(why.reason().into()),
        },
    })
}

/// `POST /ims/validate_token/v1`.
#[utoipa::path(
    post,
    path = "/ims/validate_token/v1",
    tag = "ims",
    summary = "Validate a token (IMS)",
    description = "The token goes in `Authorization: Bearer` or as `token`; `client_id` names the client it must have been issued to.",
    request_body(content((crate::routes::apidoc::ValidateTokenForm = "application/x-www-form-urlencoded"), (crate::routes::apidoc::ValidateTokenForm = "multipart/form-data")), description = "Parameters in the body (urlencoded or multipart) or the query string."),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "`{\"valid\": true, \"token\": {claims}}`, or `valid: false` with a `reason`.", body = ValidateTokenResponse),
        crate::routes::apidoc::ImsErrors,
    )
)]
pub async fn validate_token(State(state): State<AppState>, req: Request) -> Response {
    match validate_inner(&state, req).await {
        Ok(body) => {
            let mut r = Json(body).into_response();
            no_store(&mut r);
            r
        }
        Err(e) => e.into_response(),
    }
}
