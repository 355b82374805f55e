//! The one place IMS-surface errors become HTTP responses.
//!
//! The match is exhaustive (no `_` arm): a new error variant forces a decision about its status
//! and body. Bodies are RFC 6749 §5.2 JSON (`{"error","error_description"}`), which every Adobe
//! client parses (reference/adobe-protocol.md §1.4); `invalid_client` is 400 with Adobe's texts,
//! except when the client authenticated with HTTP Basic: then 401 with `WWW-Authenticate`
//! (RFC 6749 §5.2). Internal details never reach a body.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::token::error::{ClientAuthFailure, TokenError};
use latchkey_core::token::jwt_exchange::ExchangeError;
use latchkey_proto::ims::OAuthError;

/// An error of an IMS endpoint, with what the HTTP layer adds to [`TokenError`].
#[derive(Debug)]
pub enum ImsError {
    /// A domain refusal; `basic_auth` tells whether the client used HTTP Basic.
    Token {
        /// The refusal.
        error: TokenError,
        /// Whether the client authenticated with the `Authorization: Basic` header.
        basic_auth: bool,
    },
    /// The body exceeded the configured limit.
    BodyTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The client did not send its body in time.
    BodyTimeout,
    /// The body's media type is not one the endpoint reads.
    UnsupportedMediaType,
    /// A method other than POST.
    MethodNotAllowed,
    /// Revocation could not be recorded (RFC 7009 §2.2.1: 503, retry).
    RevocationUnavailable,
    /// The legacy JWT exchange refused the assertion (Adobe's codes, all 400;
    /// reference/adobe-protocol.md §3.4).
    Exchange(ExchangeError),
    /// The legacy JWT exchange refused the client: 400 `invalid_client` for an unknown client,
    /// 401 `invalid_client` otherwise (Adobe: "client_id/secret mismatch", "client lacks
    /// exchange_jwt").
    ExchangeClient(ClientAuthFailure),
}

impl From<TokenError> for ImsError {
    fn from(error: TokenError) -> Self {
        ImsError::Token {
            error,
            basic_auth: false,
        }
    }
}

impl ImsError {
    /// Stable label for metrics.
    pub fn label(&self) -> &'static str {
        match self {
            ImsError::Token { error, .. } => match error {
                TokenError::InvalidRequest(_) => "invalid_request",
                TokenError::InvalidClient(f) => f.label(),
                TokenError::InvalidScope(_) => "invalid_scope",
                TokenError::UnsupportedGrantType => "unsupported_grant_type",
                TokenError::TooManyRequests { .. } => "throttled",
                TokenError::Unavailable => "unavailable",
                TokenError::Internal => "internal",
            },
            ImsError::BodyTooLarge { .. } => "body_too_large",
            ImsError::BodyTimeout => "body_timeout",
            ImsError::UnsupportedMediaType => "unsupported_media_type",
            ImsError::MethodNotAllowed => "method_not_allowed",
            ImsError::RevocationUnavailable => "unavailable",
            ImsError::Exchange(e) => e.code(),
            ImsError::ExchangeClient(f) => f.label(),
        }
    }
}

fn body(status: StatusCode, error: &str, description: String) -> Response {
    let mut resp = (
        status,
        axum::Json(OAuthError {
            error: error.to_owned(),
            error_description: description,
        }),
    )
        .into_response();
    no_store(&mut resp);
    resp
}

/// Adds `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1).
pub fn no_store(resp: &mut Response) {
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

impl IntoResponse for ImsError {
    fn into_response(self) -> Response {
        match self {
            ImsError::Token { error, basic_auth } => match error {
                TokenError::InvalidRequest(d) => body(StatusCode::BAD_REQUEST, "invalid_request", d),
                // The client proved its secret but may not use this grant (RFC 6749 §5.2).
                TokenError::InvalidClient(f @ ClientAuthFailure::WrongKind) => {
                    body(StatusCode::BAD_REQUEST, "unauthorized_client", f.description().into())
                }
                TokenError::InvalidClient(
                    f @ (ClientAuthFailure::UnknownClient
                    | ClientAuthFailure::WrongSecret
                    | ClientAuthFailure::Disabled),
                ) => {
                    if basic_auth {
                        let mut r = body(StatusCode::UNAUTHORIZED, "invalid_client", f.description().into());
                        r.headers_mut().insert(
                            header::WWW_AUTHENTICATE,
                            HeaderValue::from_static("Basic realm=\"latchkey\""),
                        );
                        r
                    } else {
                        body(StatusCode::BAD_REQUEST, "invalid_client", f.description().into())
                    }
                }
                TokenError::InvalidScope(d) => body(StatusCode::BAD_REQUEST, "invalid_scope", d),
                TokenError::UnsupportedGrantType => body(
                    StatusCode::BAD_REQUEST,
                    "unsupported_grant_type",
                    "this grant_type is not supported here: use grant_type=client_credentials (legacy JWT service accounts use /ims/exchange/jwt)".into(),
                ),
                TokenError::TooManyRequests { retry_after_secs, message } => {
                    let mut r = body(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", message);
                    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
                    r
                }
                TokenError::Unavailable => {
                    let mut r = body(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "temporarily_unavailable",
                        "the credential store is unavailable: retry in a few seconds".into(),
                    );
                    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                    r
                }
                TokenError::Internal => body(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server_error",
                    "the server failed to process the request: retry, and report the x-debug-id if it persists".into(),
                ),
            },
            ImsError::BodyTooLarge { limit } => body(
                StatusCode::PAYLOAD_TOO_LARGE,
                "invalid_request",
                format!("the request body is larger than {limit} bytes: send only the OAuth parameters"),
            ),
            ImsError::BodyTimeout => body(
                StatusCode::REQUEST_TIMEOUT,
                "invalid_request",
                "the request body was not received in time: send the whole body at once".into(),
            ),
            ImsError::UnsupportedMediaType => body(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "invalid_request",
                "unsupported Content-Type: send application/x-www-form-urlencoded or multipart/form-data".into(),
            ),
            ImsError::MethodNotAllowed => {
                let mut r = body(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "invalid_request",
                    "this endpoint accepts only POST".into(),
                );
                r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
                r
            }
            ImsError::Exchange(e) => {
                body(StatusCode::BAD_REQUEST, e.code(), e.description().to_owned())
            }
            ImsError::ExchangeClient(f) => match f {
                ClientAuthFailure::UnknownClient => {
                    body(StatusCode::BAD_REQUEST, "invalid_client", f.description().into())
                }
                ClientAuthFailure::WrongSecret | ClientAuthFailure::Disabled => {
                    body(StatusCode::UNAUTHORIZED, "invalid_client", f.description().into())
                }
                ClientAuthFailure::WrongKind => body(
                    StatusCode::UNAUTHORIZED,
                    "invalid_client",
                    "this client is not a service account (JWT) credential: OAuth Server-to-Server credentials get tokens from /ims/token/v3 with grant_type=client_credentials".into(),
                ),
            },
            ImsError::RevocationUnavailable => {
                let mut r = body(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "temporarily_unavailable",
                    "the revocation could not be recorded and the token may still be valid: retry".into(),
                );
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                r
            }
        }
    }
}
