//! Error responses of the API side.
//!
//! - Denials of the chain ([`Denial`]): gateway refusals keep Adobe's gateway body
//!   (`{"error_code","message"}`, `application/json`) with the explanation added as extra
//!   members; the other stages answer RFC 7807 problem details whose `detail` starts with
//!   Adobe's message where Adobe has one. Every denial also carries the headers
//!   `x-latchkey-denial-stage` and `x-latchkey-denial-reason`, and a 401 carries
//!   `WWW-Authenticate: Bearer` (RFC 6750).
//! - [`Problem`]: every other error of the Assets and Folders APIs, as problem details.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::aem::denial::Denial;
use latchkey_core::store::StoreError;
use serde_json::json;

/// `type` of problem documents: one stable URN per kind.
fn problem_type(kind: &str) -> String {
    format!("urn:latchkey:problem:{kind}")
}

const PROBLEM_JSON: &str = "application/problem+json";

/// A denial, ready to be sent.
#[derive(Debug)]
pub struct DenialResponse(pub Denial);

impl IntoResponse for DenialResponse {
    fn into_response(self) -> Response {
        let d = self.0;
        let status = StatusCode::from_u16(d.status()).unwrap_or(StatusCode::FORBIDDEN);
        let stage = d.stage().as_str();
        let reason = d.reason.as_str();
        let mut resp = match d.reason.gateway_body() {
            Some((code, message)) => Json(json!({
                "error_code": code,
                "message": message,
                "stage": stage,
                "reason": reason,
                "explanation": d.explanation,
                "fix": d.fix,
            }))
            .into_response(),
            None => {
                let mut r = Json(json!({
                    "type": problem_type(reason),
                    "title": status.canonical_reason().unwrap_or("Forbidden"),
                    "status": status.as_u16(),
                    "detail": d.explanation,
                    "stage": stage,
                    "reason": reason,
                    "fix": d.fix,
                }))
                .into_response();
                r.headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
                r
            }
        };
        *resp.status_mut() = status;
        let headers = resp.headers_mut();
        headers.insert("x-latchkey-denial-stage", HeaderValue::from_static(stage));
        headers.insert("x-latchkey-denial-reason", HeaderValue::from_static(reason));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
        }
        resp
    }
}

/// Any other failure of an Assets or Folders API call.
#[derive(Debug)]
pub enum Problem {
    /// Refused by the chain.
    Denied(Denial),
    /// 400 with what is wrong.
    BadRequest(String),
    /// 404 with what was not found.
    NotFound(String),
    /// 409 with what conflicts.
    Conflict(String),
    /// 412: the ETag moved on.
    PreconditionFailed(String),
    /// 413: over the upload limit.
    TooLarge(u64),
    /// 415 with the expected media type.
    UnsupportedMediaType(&'static str),
    /// 503: storage unavailable (details logged).
    Unavailable,
    /// 500: a bug (details logged).
    Internal,
}

impl From<Denial> for Problem {
    fn from(d: Denial) -> Self {
        Problem::Denied(d)
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Problem::NotFound("the resource does not exist".into()),
            StoreError::Conflict(what) => Problem::Conflict(format!("{what} already exists")),
            StoreError::Unavailable(detail) => {
                tracing::error!(%detail, "assets storage failure");
                Problem::Unavailable
            }
            other => {
                tracing::error!(error = %other, "assets storage error");
                Problem::Internal
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let (status, kind, detail) = match self {
            Problem::Denied(d) => return DenialResponse(d).into_response(),
            Problem::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m),
            Problem::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m),
            Problem::Conflict(m) => (StatusCode::CONFLICT, "conflict", m),
            Problem::PreconditionFailed(m) => {
                (StatusCode::PRECONDITION_FAILED, "precondition_failed", m)
            }
            Problem::TooLarge(max) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!(
                    "the upload is larger than the limit of {max} bytes (aem.max_upload_bytes)"
                ),
            ),
            Problem::UnsupportedMediaType(expected) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("send the body as {expected}"),
            ),
            Problem::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "storage is temporarily unavailable: retry shortly".into(),
            ),
            Problem::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "an internal error occurred; it has been logged".into(),
            ),
        };
        let mut resp = (
            status,
            Json(json!({
                "type": problem_type(kind),
                "title": status.canonical_reason().unwrap_or("Error"),
                "status": status.as_u16(),
                "detail": detail,
            })),
        )
            .into_response();
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        resp
    }
}
