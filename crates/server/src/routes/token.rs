//! `POST /ims/token/v1|v2|v3|v4`: the `client_credentials` grant (SPEC §1,
//! reference/adobe-protocol.md §1).
//!
//! Flow: read parameters → grant type → throttle check for failures → authenticate the client
//! (cache, then store) → `org_id` → scopes → token budget → sign → record the secret's use.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::credentials::CredentialKind;
use latchkey_core::ids::ClientId;
use latchkey_core::scope::ScopeList;
use latchkey_core::throttle::{ThrottleKind, Throttled};
use latchkey_core::time::UnixMillis;
use latchkey_core::token::client_auth::{AuthenticatedClient, authenticate};
use latchkey_core::token::client_credentials::{check_org, decide_scopes, issue};
use latchkey_core::token::error::{ClientAuthFailure, TokenError};
use latchkey_proto::ims::{OAuthError, TokenResponse};

use crate::error::{ImsError, no_store};
use crate::params::ImsParams;
use crate::state::AppState;

/// The grant this endpoint implements.
pub const CLIENT_CREDENTIALS: &str = "client_credentials";

/// Turns a throttle refusal into the endpoint's 429.
pub fn throttled(t: Throttled) -> TokenError {
    let message = match t.limit {
        ThrottleKind::TokenBudget => {
            "this client has requested too many tokens: reuse the token you have until shortly before it expires (it is valid for 24 hours)"
        }
        ThrottleKind::PeerFailures => {
            "too many failed authentications from this address: check the client id and secret, then retry later"
        }
        ThrottleKind::ClientFailures => {
            "too many failed authentications for this client from this address: check the client secret, then retry later"
        }
    };
    TokenError::TooManyRequests {
        retry_after_secs: t.retry_after_secs,
        message: message.into(),
    }
}

/// Reads the request's parameters with the configured limits.
pub async fn read_params(state: &AppState, req: Request) -> Result<ImsParams, ImsError> {
    let http = &state.config.http;
    ImsParams::read(
        req,
        http.max_body_bytes,
        Duration::from_secs(http.body_read_timeout_secs),
    )
    .await
}

/// Authenticates the client of `params` for credentials of `kind`, applying the failure
/// throttle. Shared by every endpoint that takes client credentials.
pub async fn authenticate_client(
    state: &AppState,
    params: &mut ImsParams,
    peer: SocketAddr,
    kind: CredentialKind,
    now: UnixMillis,
) -> Result<AuthenticatedClient, ImsError> {
    let basic_auth = params.basic.is_some();
    let wrap = |error| ImsError::Token { error, basic_auth };
    let (raw_id, secret) = params.client_credentials()?;
    state
        .throttle
        .check_failures(&raw_id, peer.ip(), now)
        .map_err(|t| wrap(throttled(t)))?;
    let found = match ClientId::parse(&raw_id) {
        Some(id) => Some(
            state
                .credentials
                .get(state.store.as_ref(), &id)
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "credential lookup failed");
                    wrap(TokenError::Unavailable)
                })?,
        ),
        None => None,
    };
    let record = found.as_deref().and_then(Option::as_ref);
    match authenticate(&state.hasher, record, &secret, kind) {
        Ok(client) => Ok(client),
        Err(failure) => {
            if matches!(
                failure,
                ClientAuthFailure::UnknownClient | ClientAuthFailure::WrongSecret
            ) {
                state.throttle.record_failure(&raw_id, peer.ip(), now);
            }
            Err(wrap(TokenError::InvalidClient(failure)))
        }
    }
}

async fn grant(
    state: &AppState,
    peer: SocketAddr,
    req: Request,
) -> Result<TokenResponse, ImsError> {
    let now = state.clock.now();
    let mut params = read_params(state, req).await?;
    match params.get("grant_type") {
        None => {
            return Err(TokenError::InvalidRequest(
                "grant_type is missing: send grant_type=client_credentials".into(),
            )
            .into());
        }
        Some(CLIENT_CREDENTIALS) => {}
        Some(_) => return Err(TokenError::UnsupportedGrantType.into()),
    }
    let basic_auth = params.basic.is_some();
    let wrap = |error| ImsError::Token { error, basic_auth };
    let client = authenticate_client(
        state,
        &mut params,
        peer,
        CredentialKind::OAuthServerToServer,
        now,
    )
    .await?;
    let credential = &client.credential;
    check_org(credential, params.get("org_id")).map_err(wrap)?;
    let raw_scope = params
        .get("scope")
        .or_else(|| params.get("scopes"))
        .unwrap_or("");
    let requested =
        ScopeList::parse(raw_scope).map_err(|e| wrap(TokenError::InvalidScope(e.to_string())))?;
    let scopes = decide_scopes(credential, requested).map_err(wrap)?;
    state
        .throttle
        .take_token(credential.client_id.as_str(), now)
        .map_err(|t| wrap(throttled(t)))?;
    let issued = issue(
        &state.settings,
        &state.keys.current().active,
        credential,
        &scopes,
        now,
    )
    .map_err(wrap)?;
    state
        .usage
        .record(&client.secret_uuid, now, CLIENT_CREDENTIALS);
    tracing::debug!(client_id = %credential.client_id, jti = %issued.claims.jti, "token issued");
    Ok(TokenResponse {
        access_token: issued.access_token,
        token_type: "bearer".into(),
        expires_in: issued.expires_in_secs,
    })
}

/// The success body, serialized into a buffer sized for the token up front (a growing buffer
/// showed up in profiles as repeated reallocation).
fn token_json(body: &TokenResponse) -> Response {
    let mut buf = Vec::with_capacity(body.access_token.len() + 64);
    match serde_json::to_writer(&mut buf, body) {
        Ok(()) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            buf,
        )
            .into_response(),
        Err(_) => ImsError::from(TokenError::Internal).into_response(),
    }
}

/// The handler.
#[utoipa::path(
    post,
    path = "/ims/token/v3",
    tag = "ims",
    summary = "Issue an access token (client_credentials grant)",
    description = "The `client_credentials` grant, as Adobe IMS answers it. `/ims/token/v1`, `v2`, `v3` and `v4` are the same endpoint. Client credentials go in the parameters or as HTTP Basic; `scope` (or `scopes`) is separated by commas and/or spaces and is never silently narrowed.",
    request_body(content((crate::routes::apidoc::TokenForm = "application/x-www-form-urlencoded"), (crate::routes::apidoc::TokenForm = "multipart/form-data")), description = "Parameters in the body (urlencoded or multipart) or the query string."),
    security((), ("client_basic" = [])),
    responses(
        (status = 200, description = "The token (`expires_in` in seconds); `Cache-Control: no-store`.", body = TokenResponse),
        (status = 401, description = "`invalid_client` with HTTP Basic (`WWW-Authenticate: Basic`)", body = OAuthError),
        (status = 429, description = "`too_many_requests`: token budget exceeded or too many failed authentications (`Retry-After`)", body = OAuthError),
        crate::routes::apidoc::ImsErrors,
    )
)]
pub async fn token(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    metered(&state, grant(&state, peer, req), |body| token_json(&body)).await
}

/// Answers a token request (this endpoint's or the JWT exchange's): the body with
/// `Cache-Control: no-store`, or the error, counted and timed in the metrics.
pub async fn metered<T>(
    state: &AppState,
    outcome: impl std::future::Future<Output = Result<T, ImsError>>,
    body: impl FnOnce(T) -> Response,
) -> Response {
    let started = Instant::now();
    let resp = match outcome.await {
        Ok(value) => {
            state.metrics.token_issued();
            let mut r = body(value);
            no_store(&mut r);
            r
        }
        Err(e) => {
            state.metrics.token_failed(e.label());
            e.into_response()
        }
    };
    state.metrics.token_latency(started.elapsed());
    resp
}

/// Any method but POST on an IMS endpoint.
pub async fn method_not_allowed() -> Response {
    ImsError::MethodNotAllowed.into_response()
}
