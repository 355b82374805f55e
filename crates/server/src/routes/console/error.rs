//! The one place console errors become HTTP responses: `{"error_code", "message"}` with a stable
//! code per case (documented in the README). The match is exhaustive; internal details are
//! logged, never returned.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::store::StoreError;
use latchkey_proto::console::ConsoleErrorBody;

/// A refusal of a console endpoint.
#[derive(Debug)]
pub enum ConsoleError {
    /// No bearer token, or one that is invalid, expired or revoked (401).
    InvalidToken(&'static str),
    /// No `x-api-key` header (403).
    MissingApiKey,
    /// `x-api-key` differs from the token's client (403).
    ApiKeyMismatch,
    /// The caller may not do this (403).
    Forbidden(String),
    /// The token lacks a scope this call needs (403).
    InsufficientScope(&'static str),
    /// The addressed resource does not exist (404).
    NotFound(&'static str),
    /// The credential already holds the maximum number of secrets (409).
    SecretLimitReached(usize),
    /// The last secret cannot be deleted (409).
    LastSecret,
    /// A unique value is taken (409).
    Conflict(String),
    /// Malformed request: bad JSON, unknown fields, wrong types, bad ids (400).
    InvalidRequest(String),
    /// Body over the limit (413).
    PayloadTooLarge(u64),
    /// Body is not JSON (415).
    UnsupportedMediaType,
    /// Storage unavailable (503).
    Unavailable,
    /// A bug (500).
    Internal,
}

impl From<StoreError> for ConsoleError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ConsoleError::NotFound("the resource does not exist"),
            StoreError::Conflict(what) => {
                ConsoleError::Conflict(format!("this {what} is already taken"))
            }
            StoreError::SecretLimitReached => ConsoleError::SecretLimitReached(0),
            StoreError::LastSecret => ConsoleError::LastSecret,
            StoreError::Refused(why) => ConsoleError::Conflict(why),
            StoreError::Unavailable(detail) => {
                tracing::error!(%detail, "console storage failure");
                ConsoleError::Unavailable
            }
            StoreError::Corrupt(detail) => {
                tracing::error!(%detail, "corrupt stored data");
                ConsoleError::Internal
            }
        }
    }
}

fn body(status: StatusCode, code: &str, message: String) -> Response {
    let mut r = (
        status,
        Json(ConsoleErrorBody {
            error_code: code.to_owned(),
            message,
        }),
    )
        .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        match self {
            ConsoleError::InvalidToken(why) => {
                let mut r = body(
                    StatusCode::UNAUTHORIZED,
                    "invalid_token",
                    format!("{why}: send Authorization: Bearer <access token> with a valid token from /ims/token/v3"),
                );
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"latchkey\", error=\"invalid_token\""),
                );
                r
            }
            ConsoleError::MissingApiKey => body(
                StatusCode::FORBIDDEN,
                "missing_api_key",
                "x-api-key is required: send the client id of the token's credential".into(),
            ),
            ConsoleError::ApiKeyMismatch => body(
                StatusCode::FORBIDDEN,
                "api_key_mismatch",
                "x-api-key does not match the token's client id: send the client id the token was issued to".into(),
            ),
            ConsoleError::Forbidden(m) => body(StatusCode::FORBIDDEN, "forbidden", m),
            ConsoleError::InsufficientScope(scope) => body(
                StatusCode::FORBIDDEN,
                "insufficient_scope",
                format!("the token lacks the {scope} scope: request a token with scope={scope}"),
            ),
            ConsoleError::NotFound(what) => body(StatusCode::NOT_FOUND, "not_found", what.into()),
            ConsoleError::SecretLimitReached(max) => body(
                StatusCode::CONFLICT,
                "secret_limit_reached",
                if max > 0 {
                    format!("the credential already holds {max} client secrets, the maximum: delete an unused one first")
                } else {
                    "the credential already holds the maximum number of client secrets: delete an unused one first".into()
                },
            ),
            ConsoleError::LastSecret => body(
                StatusCode::CONFLICT,
                "last_secret",
                "this is the credential's only client secret and deleting it would lock its clients out: add a new secret first".into(),
            ),
            ConsoleError::Conflict(m) => body(StatusCode::CONFLICT, "conflict", m),
            ConsoleError::InvalidRequest(m) => body(StatusCode::BAD_REQUEST, "invalid_request", m),
            ConsoleError::PayloadTooLarge(limit) => body(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the request body is larger than {limit} bytes"),
            ),
            ConsoleError::UnsupportedMediaType => body(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as application/json".into(),
            ),
            ConsoleError::Unavailable => {
                let mut r = body(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the store is unavailable and nothing was changed: retry in a few seconds".into(),
                );
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                r
            }
            ConsoleError::Internal => body(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the server failed: report the x-debug-id of this response".into(),
            ),
        }
    }
}
