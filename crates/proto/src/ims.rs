//! Bodies of the IMS token endpoint, exactly as Adobe's clients read them.
//!
//! aio-lib-ims accepts only HTTP 200 with [`TokenResponse`]; every client surfaces
//! `error_description` of an [`OAuthError`] (reference/adobe-protocol.md §1.3–1.4).

use serde::{Deserialize, Serialize};

/// Successful `client_credentials` answer. `expires_in` is in **seconds** here (unlike the legacy
/// JWT exchange, which answers milliseconds).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// The signed JWT access token.
    pub access_token: String,
    /// Always `"bearer"`, lower case as IMS writes it.
    pub token_type: String,
    /// Lifetime in seconds (86399 for the default 24 h token, as IMS answers).
    pub expires_in: u64,
}

/// RFC 6749 §5.2 error body: `{"error": "...", "error_description": "..."}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OAuthError {
    /// The RFC 6749 error code (`invalid_client`, `invalid_scope`, ...).
    pub error: String,
    /// A human sentence: what went wrong and what to do. Never echoes raw input.
    pub error_description: String,
}

/// Answer of IMS `POST /ims/validate_token/v1`: `{"valid": bool, "token": {claims}}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValidateTokenResponse {
    /// Whether the token is valid (signature, expiry, revocation, client).
    pub valid: bool,
    /// The token's claims when it could be decoded and verified; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<serde_json::Value>,
    /// Why the token is not valid, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
