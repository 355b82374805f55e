//! Errors of the token endpoint, one variant per RFC 6749 §5.2 code Latchkey answers.
//!
//! The texts of `invalid_client` are Adobe's exact strings: asset-compute-client retries with
//! its next secret only on `invalid client_secret parameter` (reference/adobe-protocol.md §1.4).
//! Every message stays inside the RFC 6749 §5.2 character set (no quotes, backslashes or control
//! characters) and never echoes raw input.

/// Why client authentication failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuthFailure {
    /// No credential has this client id.
    UnknownClient,
    /// The secret matches none of the credential's secrets.
    WrongSecret,
    /// The secret is right but the credential is disabled.
    Disabled,
    /// The credential is of a kind that cannot use this grant (e.g. a JWT service account
    /// asking for `client_credentials`).
    WrongKind,
}

impl ClientAuthFailure {
    /// The `error_description` sent to the client.
    pub fn description(self) -> &'static str {
        match self {
            ClientAuthFailure::UnknownClient => "invalid client_id parameter",
            ClientAuthFailure::WrongSecret => "invalid client_secret parameter",
            ClientAuthFailure::Disabled => {
                "the credential is disabled: an organization admin can enable it in the console"
            }
            ClientAuthFailure::WrongKind => {
                "this credential cannot use the client_credentials grant: exchange a signed JWT at /ims/exchange/jwt instead"
            }
        }
    }

    /// Stable label for metrics and logs.
    pub fn label(self) -> &'static str {
        match self {
            ClientAuthFailure::UnknownClient => "unknown_client",
            ClientAuthFailure::WrongSecret => "wrong_secret",
            ClientAuthFailure::Disabled => "disabled",
            ClientAuthFailure::WrongKind => "wrong_kind",
        }
    }
}

/// A refusal of the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// `invalid_request`: malformed, missing or repeated parameters.
    #[error("invalid_request: {0}")]
    InvalidRequest(String),
    /// `invalid_client`: authentication failed.
    #[error("invalid_client: {}", .0.description())]
    InvalidClient(ClientAuthFailure),
    /// `invalid_scope`: a scope is malformed or not granted to the client.
    #[error("invalid_scope: {0}")]
    InvalidScope(String),
    /// `unsupported_grant_type`.
    #[error("unsupported_grant_type")]
    UnsupportedGrantType,
    /// Throttled: retry after the given number of seconds.
    #[error("too_many_requests: {message}")]
    TooManyRequests {
        /// Seconds until a retry can succeed.
        retry_after_secs: u64,
        /// What was exceeded and what to do.
        message: String,
    },
    /// Storage failed; the client may retry (503).
    #[error("temporarily_unavailable")]
    Unavailable,
    /// A bug or crypto failure (500); details are logged, not returned.
    #[error("server_error")]
    Internal,
}
