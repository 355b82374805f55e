//! `/.well-known/openid-configuration`, `/.well-known/oauth-authorization-server` (RFC 8414) and
//! the JWKS at `/ims/keys` (the path Adobe's IMS publishes its keys at).
//!
//! Every URL is built from the configured issuer, never from the request's `Host` header.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use latchkey_proto::oauth::ServerMetadata;

use crate::state::AppState;

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The metadata document.
pub fn metadata(state: &AppState) -> ServerMetadata {
    let base = &state.issuer;
    let auth = strings(&["client_secret_post", "client_secret_basic"]);
    let alg = state.keys.current().active.alg().as_str();
    ServerMetadata {
        issuer: base.clone(),
        token_endpoint: format!("{base}/ims/token/v3"),
        jwks_uri: format!("{base}/ims/keys"),
        introspection_endpoint: format!("{base}/ims/introspect"),
        revocation_endpoint: format!("{base}/ims/revoke"),
        grant_types_supported: strings(&["client_credentials"]),
        token_endpoint_auth_methods_supported: auth.clone(),
        introspection_endpoint_auth_methods_supported: auth.clone(),
        revocation_endpoint_auth_methods_supported: auth,
        response_types_supported: Vec::new(),
        access_token_signing_alg_values_supported: strings(&[alg]),
        subject_types_supported: strings(&["public"]),
        id_token_signing_alg_values_supported: strings(&[alg]),
        revocation_endpoint_token_types_supported: strings(&["access_token"]),
    }
}

/// `GET /.well-known/openid-configuration` and `/.well-known/oauth-authorization-server`.
#[utoipa::path(
    get,
    path = "/.well-known/openid-configuration",
    tag = "discovery",
    summary = "Authorization server metadata (RFC 8414)",
    description = "Also served at `/.well-known/oauth-authorization-server`. Every URL is built from the configured public URL.",
    responses(
        (status = 200, description = "The metadata.", body = ServerMetadata),
    )
)]
pub async fn well_known(State(state): State<AppState>) -> Json<ServerMetadata> {
    Json(metadata(&state))
}

/// `GET /ims/keys`: public keys only.
#[utoipa::path(
    get,
    path = "/ims/keys",
    tag = "discovery",
    summary = "The public signing keys (JWKS)",
    responses(
        (status = 200, description = "The key set (`Cache-Control: public, max-age=300`).", body = crate::routes::apidoc::Jwks, content_type = "application/jwk-set+json"),
    )
)]
pub async fn jwks(State(state): State<AppState>) -> Response {
    let mut r = state.keys.current().jwks_json.clone().into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jwk-set+json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}
