//! `POST /ims/exchange/jwt` and `/ims/exchange/jwt/`: the legacy Service Account (JWT) exchange
//! (SPEC §1, reference/adobe-protocol.md §3).
//!
//! Flow: read parameters (urlencoded or multipart, as aemcs-api-client-lib and `@adobe/jwt-auth`
//! send them) → authenticate `client_id`/`client_secret` against a `service_account_jwt`
//! credential → check the assertion against the credential's active certificates
//! ([`latchkey_core::token::jwt_exchange`]) → consume its `jti` (single-use on every node) →
//! token budget → issue the same access token `client_credentials` issues, for the metascopes
//! the assertion asked for. The answer's `expires_in` is in milliseconds, as at Adobe.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Request, State};
use axum::response::{IntoResponse, Response};
use latchkey_core::credentials::CredentialKind;
use latchkey_core::service_account::CertificateStatus;
use latchkey_core::service_account::certificate::rsa_public_key;
use latchkey_core::token::client_credentials::issue;
use latchkey_core::token::error::TokenError;
use latchkey_core::token::jwt_exchange::{
    ADOBE_IMS_ORIGIN, ExchangeError, SKEW_MS, verify_assertion,
};
use latchkey_proto::ims::OAuthError;
use latchkey_proto::service_accounts::JwtExchangeResponse;

use crate::error::ImsError;
use crate::routes::token::{authenticate_client, read_params, throttled};
use crate::state::AppState;

/// The grant label recorded as a secret's last use.
pub const JWT_EXCHANGE: &str = "jwt_exchange";

fn unavailable(e: latchkey_core::store::StoreError) -> ImsError {
    tracing::error!(error = %e, "jwt exchange storage failure");
    ImsError::from(TokenError::Unavailable)
}

async fn exchange(
    state: &AppState,
    peer: SocketAddr,
    req: Request,
) -> Result<JwtExchangeResponse, ImsError> {
    let now = state.clock.now();
    let mut params = read_params(state, req).await?;
    let jwt = params.get("jwt_token").map(str::to_owned);
    let client = authenticate_client(
        state,
        &mut params,
        peer,
        CredentialKind::ServiceAccountJwt,
        now,
    )
    .await
    .map_err(|e| match e {
        ImsError::Token {
            error: TokenError::InvalidClient(f),
            ..
        } => ImsError::ExchangeClient(f),
        other => other,
    })?;
    let credential = &client.credential;
    let jwt = jwt.ok_or_else(|| {
        ImsError::Exchange(ExchangeError::InvalidToken(
            "jwt_token is missing: send the signed JWT in the jwt_token parameter".into(),
        ))
    })?;
    let certificates = state
        .store
        .list_certificates(credential.id)
        .await
        .map_err(unavailable)?;
    let keys: Vec<Vec<u8>> = certificates
        .iter()
        .filter(|c| c.status(now) == CertificateStatus::Active)
        .filter_map(|c| rsa_public_key(&c.der))
        .collect();
    let origins = [ADOBE_IMS_ORIGIN, state.issuer.as_str()];
    let verified =
        verify_assertion(&jwt, credential, &keys, &origins, now).map_err(ImsError::Exchange)?;
    if let Some(jti) = &verified.jti {
        let first = state
            .store
            .consume_jti(
                &credential.client_id,
                jti,
                verified.expires_at.plus_millis(SKEW_MS),
            )
            .await
            .map_err(unavailable)?;
        if !first {
            return Err(ImsError::Exchange(ExchangeError::InvalidJti(
                "this JWT was exchanged before (its jti is used): sign a new JWT with a fresh jti for every exchange".into(),
            )));
        }
    }
    state
        .throttle
        .take_token(credential.client_id.as_str(), now)
        .map_err(|t| ImsError::from(throttled(t)))?;
    let issued = issue(
        &state.settings,
        &state.keys.current().active,
        credential,
        &verified.metascopes,
        now,
    )?;
    state.usage.record(&client.secret_uuid, now, JWT_EXCHANGE);
    tracing::debug!(client_id = %credential.client_id, jti = %issued.claims.jti, "token issued for a JWT");
    Ok(JwtExchangeResponse {
        token_type: "bearer".into(),
        access_token: issued.access_token,
        expires_in: u64::try_from(state.settings.lifetime_ms - 1).unwrap_or(0),
    })
}

/// The handler.
#[utoipa::path(
    post,
    path = "/ims/exchange/jwt",
    tag = "ims",
    summary = "Exchange a service account's signed JWT for an access token (legacy)",
    description = "The deprecated Service Account (JWT) flow, as Adobe IMS answers it; `/ims/exchange/jwt/` (trailing slash, `@adobe/jwt-auth`) is the same endpoint. The JWT is RS256-signed with the private key of a certificate registered on the credential; claims `iss` (organization), `sub` (technical account), `aud` (`<ims>/c/<client_id>`), `exp` (at most 24 h ahead, 30 s skew), metascope claims `<ims>/s/<metascope>: true`, optional single-use `jti`. `<ims>` is `https://ims-na1.adobelogin.com` or this server's base URL. `expires_in` is in **milliseconds**.",
    request_body(content((crate::routes::apidoc::JwtExchangeForm = "application/x-www-form-urlencoded"), (crate::routes::apidoc::JwtExchangeForm = "multipart/form-data")), description = "Parameters in the body (urlencoded or multipart)."),
    responses(
        (status = 200, description = "The token (`expires_in` in milliseconds); `Cache-Control: no-store`.", body = JwtExchangeResponse),
        (status = 400, description = "`invalid_token`, `invalid_signature`, `invalid_scope`, `invalid_jti`, `bad_request`, `invalid_client` (unknown client, or `aud` for another client or IMS), `invalid_request`", body = OAuthError),
        (status = 401, description = "`invalid_client`: wrong client secret, disabled credential, or not a service account credential", body = OAuthError),
        (status = 429, description = "`too_many_requests`: token budget exceeded or too many failed authentications (`Retry-After`)", body = OAuthError),
        (status = 503, description = "`temporarily_unavailable`: storage unavailable (`Retry-After`)", body = OAuthError),
    )
)]
pub async fn exchange_jwt(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    crate::routes::token::metered(&state, exchange(&state, peer, req), |body| {
        Json(body).into_response()
    })
    .await
}
