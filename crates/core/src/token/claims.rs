//! The claims of a Latchkey access token.
//!
//! Two vocabularies in one token (SPEC §1, reference/adobe-protocol.md §2):
//! - IMS: `id`, `type`, `client_id`, `user_id`, `as`, `created_at` and `expires_in` as **strings
//!   of milliseconds** (aio-lib-ims computes expiry as their sum), `scope` comma-joined;
//! - RFC 9068: `iss`, `sub`, `aud`, `exp`, `iat`, `jti`, `client_id`, `scope`.
//!
//! Parsing is strict: a claim of the wrong JSON type is an error, not an absence
//! (CVE-2026-25537), and duplicate members are rejected (RFC 7519 §4; serde refuses duplicate
//! struct fields).

use serde::{Deserialize, Serialize};

/// The IMS `type` claim of access tokens.
pub const ACCESS_TOKEN_TYPE: &str = "access_token";

/// All claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessTokenClaims {
    /// IMS token id (equals `jti`).
    pub id: String,
    /// IMS token type, always `access_token`.
    #[serde(rename = "type")]
    pub token_type: String,
    /// The client the token was issued to.
    pub client_id: String,
    /// IMS: the technical account.
    pub user_id: String,
    /// IMS: the authorization server name (`ims-na1`); aio-lib-ims maps it to a host.
    #[serde(rename = "as")]
    pub auth_server: String,
    /// IMS: the technical account again (`aa_id`).
    pub aa_id: String,
    /// IMS: client type marker, 0.
    pub ctp: i64,
    /// The organization of the credential.
    pub org: String,
    /// IMS: issue time in milliseconds, as a string.
    pub created_at: String,
    /// IMS: lifetime in milliseconds, as a string.
    pub expires_in: String,
    /// Granted scopes, comma-joined (IMS form).
    pub scope: String,
    /// RFC 9068: issuer.
    pub iss: String,
    /// RFC 9068: subject, the technical account.
    pub sub: String,
    /// RFC 9068: audience.
    pub aud: String,
    /// RFC 9068: expiry, seconds.
    pub exp: i64,
    /// RFC 9068: issue time, seconds.
    pub iat: i64,
    /// RFC 9068: unique id.
    pub jti: String,
}

impl AccessTokenClaims {
    /// The scopes as a list.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.split(',').filter(|s| !s.is_empty())
    }
}
