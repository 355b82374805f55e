//! The router: every route of the server in one table, plus the request middleware that gives
//! each response an `x-debug-id` and writes one access-log line.
//!
//! | route | handler |
//! |---|---|
//! | `POST /ims/token/v1..v4` | [`token::token`] |
//! | `POST /ims/exchange/jwt`, `/ims/exchange/jwt/` | [`jwt_exchange::exchange_jwt`] (legacy service accounts) |
//! | `POST /ims/introspect` | [`introspection::introspect`] (RFC 7662) |
//! | `POST /ims/validate_token/v1` | [`introspection::validate_token`] (IMS) |
//! | `POST /ims/revoke`, `POST /ims/invalidate_token/v2` | [`revocation::revoke`] |
//! | `GET /ims/keys` | [`discovery::jwks`] |
//! | `GET /.well-known/openid-configuration`, `/.well-known/oauth-authorization-server` | [`discovery::well_known`] |
//! | `GET /health`, `/ready`, `/metrics` | [`health`] |
//! | `/console/...` | [`console`] (see its own table) |
//! | `/adobe/...` (and `/assets`, `/folders`) | [`aem`]: Assets and Folders APIs behind the AEM chain |
//! | `GET /openapi.json`, `/docs/` | [`apidoc`]: the OpenAPI document and the API reference |

pub mod aem;
pub mod apidoc;
pub mod console;
pub mod discovery;
pub mod health;
pub mod introspection;
pub mod jwt_exchange;
pub mod revocation;
pub mod token;

use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use serde_json::json;

use crate::state::AppState;

/// Builds the router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/ims/token/v1", ims(token::token))
        .route("/ims/token/v2", ims(token::token))
        .route("/ims/token/v3", ims(token::token))
        .route("/ims/token/v4", ims(token::token))
        .route("/ims/exchange/jwt", ims(jwt_exchange::exchange_jwt))
        .route("/ims/exchange/jwt/", ims(jwt_exchange::exchange_jwt))
        .route("/ims/introspect", ims(introspection::introspect))
        .route("/ims/validate_token/v1", ims(introspection::validate_token))
        .route("/ims/revoke", ims(revocation::revoke))
        .route("/ims/invalidate_token/v2", ims(revocation::revoke))
        .route("/ims/keys", get(discovery::jwks))
        .route(
            "/.well-known/openid-configuration",
            get(discovery::well_known),
        )
        .route(
            "/.well-known/oauth-authorization-server",
            get(discovery::well_known),
        )
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .route("/metrics", get(health::metrics))
        .merge(console::routes(state.clone()))
        .merge(aem::routes())
        .merge(apidoc::routes())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), debug_id))
        .with_state(state)
}

/// A POST-only IMS route: other methods get 405 with `Allow: POST` and a JSON body.
fn ims<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    post(handler).fallback(token::method_not_allowed)
}

async fn not_found() -> Response {
    (
        axum::http::StatusCode::NOT_FOUND,
        axum::Json(json!({"error": "not_found", "error_description": "no such endpoint: see /.well-known/oauth-authorization-server for the endpoints of this server"})),
    )
        .into_response()
}

/// Gives every response an `x-debug-id` (aio-lib-core-auth reads it) and logs one line per
/// request: method, path (never the query string, which may hold a refused secret), status,
/// latency, debug id. Headers are never logged.
async fn debug_id(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // aws-lc's user-space DRBG: no system call per request, unlike a v4 UUID from getrandom.
    let mut raw = [0u8; 16];
    let id = match latchkey_core::ids::random_bytes(&mut raw) {
        Ok(()) => latchkey_core::ids::hex_upper(&raw).to_ascii_lowercase(),
        Err(_) => String::from("unavailable"),
    };
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let mut resp = next.run(req).await;
    let status = resp.status().as_u16();
    state.metrics.response(status);
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-debug-id", v);
    }
    tracing::info!(
        target: "latchkey::access",
        debug_id = %id,
        method = %method,
        path = %path,
        status,
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
    );
    resp
}
