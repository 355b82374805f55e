//! Why the AEM authorization chain refused a request, in words a person can act on.
//!
//! Adobe's own answers are terse (`403 Api Key is invalid`, `IMS Client ID not allowlisted`);
//! every [`Denial`] here also names the [`Stage`] that refused, a stable machine-readable
//! [`Reason`] and a sentence saying what is wrong and how to fix it. The server keeps Adobe's
//! body shape where Adobe clients parse it and adds these as extra members and a header.

use serde::Serialize;

/// The stages of the chain, in the order they run (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Which environment the request addresses (from the Host's bucket).
    Environment,
    /// API key and bearer token (Adobe I/O gateway).
    Gateway,
    /// `api.yaml` client-ID allowlist (AEM auth proxy).
    Allowlist,
    /// The technical-account user and its groups.
    TechnicalAccount,
    /// Repository ACLs on DAM paths.
    Permission,
}

impl Stage {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Environment => "environment",
            Stage::Gateway => "gateway",
            Stage::Allowlist => "allowlist",
            Stage::TechnicalAccount => "technical_account",
            Stage::Permission => "permission",
        }
    }
}

/// A stable reason code. The set only grows; a code never changes meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The Host names an environment this server does not have, or none is configured.
    UnknownEnvironment,
    /// The environment does not have the requested tier.
    UnknownTier,
    /// No `x-api-key` header.
    ApiKeyMissing,
    /// No bearer token.
    TokenMissing,
    /// The token is malformed or not signed by this server.
    TokenInvalid,
    /// The token has expired.
    TokenExpired,
    /// The token was revoked.
    TokenRevoked,
    /// The token's credential is disabled, deleted or had its tokens revoked.
    CredentialRevoked,
    /// `x-api-key` is not the token's client id.
    ApiKeyInvalid,
    /// The token's organization does not own the environment.
    OrganizationMismatch,
    /// No `api.yaml` was deployed to the environment.
    NoApiConfig,
    /// The deployed `api.yaml` does not apply to this environment's type.
    EnvTypeNotListed,
    /// The client is not listed for the tier.
    ClientNotAllowlisted,
    /// The credential is on no product profile of this environment and tier.
    NoProductProfile,
    /// The user's groups lack the privilege on the path.
    PermissionDenied,
}

impl Reason {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::UnknownEnvironment => "unknown_environment",
            Reason::UnknownTier => "unknown_tier",
            Reason::ApiKeyMissing => "api_key_missing",
            Reason::TokenMissing => "token_missing",
            Reason::TokenInvalid => "token_invalid",
            Reason::TokenExpired => "token_expired",
            Reason::TokenRevoked => "token_revoked",
            Reason::CredentialRevoked => "credential_revoked",
            Reason::ApiKeyInvalid => "api_key_invalid",
            Reason::OrganizationMismatch => "organization_mismatch",
            Reason::NoApiConfig => "no_api_config",
            Reason::EnvTypeNotListed => "env_type_not_listed",
            Reason::ClientNotAllowlisted => "client_not_allowlisted",
            Reason::NoProductProfile => "no_product_profile",
            Reason::PermissionDenied => "permission_denied",
        }
    }

    /// The stage this reason belongs to.
    pub fn stage(self) -> Stage {
        match self {
            Reason::UnknownEnvironment | Reason::UnknownTier => Stage::Environment,
            Reason::ApiKeyMissing
            | Reason::TokenMissing
            | Reason::TokenInvalid
            | Reason::TokenExpired
            | Reason::TokenRevoked
            | Reason::CredentialRevoked
            | Reason::ApiKeyInvalid => Stage::Gateway,
            Reason::OrganizationMismatch
            | Reason::NoApiConfig
            | Reason::EnvTypeNotListed
            | Reason::ClientNotAllowlisted => Stage::Allowlist,
            Reason::NoProductProfile => Stage::TechnicalAccount,
            Reason::PermissionDenied => Stage::Permission,
        }
    }

    /// The HTTP status Adobe answers with.
    pub fn status(self) -> u16 {
        match self {
            Reason::UnknownEnvironment | Reason::UnknownTier => 404,
            Reason::TokenInvalid
            | Reason::TokenExpired
            | Reason::TokenRevoked
            | Reason::CredentialRevoked => 401,
            _ => 403,
        }
    }

    /// Adobe's gateway `error_code` and `message`, for the gateway reasons.
    pub fn gateway_body(self) -> Option<(&'static str, &'static str)> {
        match self {
            Reason::ApiKeyMissing => Some(("403000", "Api Key is required")),
            Reason::TokenMissing => Some(("403010", "Oauth token is missing.")),
            Reason::TokenInvalid
            | Reason::TokenExpired
            | Reason::TokenRevoked
            | Reason::CredentialRevoked => Some(("401013", "Oauth token is not valid")),
            Reason::ApiKeyInvalid => Some(("403003", "Api Key is invalid")),
            _ => None,
        }
    }
}

/// Adobe's message for a client missing from the allowlist (reference/adobe-protocol.md §7.2).
pub const NOT_ALLOWLISTED: &str =
    "IMS Client ID not allowlisted. Allowlist the Client ID using the Configuration Pipeline.";

/// A refusal: the reason and two sentences, what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// The reason (its stage and status follow from it).
    pub reason: Reason,
    /// What is wrong, naming the client, environment, path or privilege involved.
    pub explanation: String,
    /// What to do about it.
    pub fix: String,
}

impl Denial {
    /// A denial.
    pub fn new(reason: Reason, explanation: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            reason,
            explanation: explanation.into(),
            fix: fix.into(),
        }
    }

    /// The stage that refused.
    pub fn stage(&self) -> Stage {
        self.reason.stage()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.reason.status()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_reasons_carry_adobes_codes_and_statuses() {
        assert_eq!(Reason::ApiKeyMissing.gateway_body().unwrap().0, "403000");
        assert_eq!(Reason::TokenMissing.gateway_body().unwrap().0, "403010");
        assert_eq!(Reason::TokenExpired.gateway_body().unwrap().0, "401013");
        assert_eq!(Reason::TokenExpired.status(), 401);
        assert_eq!(Reason::ApiKeyInvalid.gateway_body().unwrap().0, "403003");
        assert_eq!(Reason::ClientNotAllowlisted.gateway_body(), None);
        assert_eq!(Reason::ClientNotAllowlisted.status(), 403);
        assert_eq!(Reason::PermissionDenied.stage(), Stage::Permission);
        assert_eq!(
            Reason::NoProductProfile.stage().as_str(),
            "technical_account"
        );
    }
}
