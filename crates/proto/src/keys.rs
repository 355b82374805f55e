//! Token-signing key management: `GET /console/keys` and `POST /console/keys/rotate`
//! (admins of the installation's initial organization). Public information only: no private key ever leaves the server.

use serde::{Deserialize, Serialize};

/// One signing key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigningKeyBody {
    /// Key id, as in the JWKS and in token headers.
    pub kid: String,
    /// `RS256`, `ES256` or `EdDSA`.
    pub alg: String,
    /// `next` (published, not yet signing), `active` (signing) or `retired` (published until
    /// its tokens expire).
    pub state: String,
    /// Creation time (ms since the epoch).
    pub created_at: i64,
    /// For a `next` key: when it starts signing (ms since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signs_from: Option<i64>,
    /// For a `retired` key: when it leaves the JWKS (ms since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_until: Option<i64>,
}

/// `GET /console/keys`, and the answer of a rotation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigningKeyList {
    /// Every stored key, oldest first.
    pub keys: Vec<SigningKeyBody>,
    /// The algorithm this server signs with (`tokens.signing_alg`).
    pub signing_alg: String,
    /// Days after which a key is replaced automatically; absent when only admins rotate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_days: Option<u64>,
    /// Seconds a new key is published before it signs.
    pub publish_ahead_secs: u64,
}
