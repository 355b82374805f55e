//! JSON bodies of console requests: `application/json` only, capped in size, parsed into types
//! that refuse unknown fields, with errors that say where the problem is (line and column from
//! serde) and never a 5xx.

use axum::extract::{FromRequest, Request};
use http_body_util::{BodyExt, Limited};
use serde::de::DeserializeOwned;

use super::error::ConsoleError;
use crate::headers::media_type;
use crate::state::AppState;

/// Largest console request body.
pub const MAX_JSON_BYTES: u64 = 64 * 1024;

/// A parsed JSON body.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ConsoleError;

    async fn from_request(req: Request, _state: &AppState) -> Result<Self, Self::Rejection> {
        if media_type(req.headers()) != "application/json" {
            return Err(ConsoleError::UnsupportedMediaType);
        }
        let limited = Limited::new(
            req.into_body(),
            usize::try_from(MAX_JSON_BYTES).unwrap_or(usize::MAX),
        );
        let bytes = limited
            .collect()
            .await
            .map_err(|_| ConsoleError::PayloadTooLarge(MAX_JSON_BYTES))?
            .to_bytes();
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ConsoleError::InvalidRequest(format!("the JSON body is not valid: {e}")))
    }
}
