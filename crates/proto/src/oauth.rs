//! Standard OAuth documents: RFC 8414 authorization-server metadata (also served as the OpenID
//! discovery document) and RFC 7662 introspection answers.

use serde::{Deserialize, Serialize};

/// RFC 8414 §2 metadata. Every endpoint URL is absolute and built from the configured public URL,
/// never from the request's `Host` header.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerMetadata {
    /// The issuer identifier; equals the `iss` claim of every token.
    pub issuer: String,
    /// The token endpoint (`/ims/token/v3`).
    pub token_endpoint: String,
    /// Where the public signing keys are published.
    pub jwks_uri: String,
    /// RFC 7662 introspection endpoint.
    pub introspection_endpoint: String,
    /// RFC 7009 revocation endpoint.
    pub revocation_endpoint: String,
    /// Grant types the token endpoint accepts.
    pub grant_types_supported: Vec<String>,
    /// Client authentication methods at the token endpoint.
    pub token_endpoint_auth_methods_supported: Vec<String>,
    /// Client authentication methods at the introspection endpoint.
    pub introspection_endpoint_auth_methods_supported: Vec<String>,
    /// Client authentication methods at the revocation endpoint.
    pub revocation_endpoint_auth_methods_supported: Vec<String>,
    /// OpenID discovery requires it; Latchkey issues no authorization responses, so it is empty.
    pub response_types_supported: Vec<String>,
    /// Signing algorithms of access tokens (RFC 9068).
    pub access_token_signing_alg_values_supported: Vec<String>,
    /// OpenID discovery field: subject identifier types.
    pub subject_types_supported: Vec<String>,
    /// OpenID discovery field: Latchkey issues no ID tokens but lists its signing algorithm.
    pub id_token_signing_alg_values_supported: Vec<String>,
    /// Token types the revocation and introspection endpoints understand.
    pub revocation_endpoint_token_types_supported: Vec<String>,
}

/// RFC 7662 §2.2 introspection answer. An inactive token yields `{"active": false}` and nothing
/// else.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntrospectionResponse {
    /// Whether the token is currently active.
    pub active: bool,
    /// Space-separated scopes (RFC 7662 uses the RFC 6749 form, not IMS commas).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The client the token was issued to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Always `Bearer` for active tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// Expiry, seconds since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Issue time, seconds since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// The technical account the token stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// The audience of the token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    /// The issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// The token's unique id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// The organization of the client (IMS extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
}
