//! Organizations, projects and credentials (SPEC §2).
//!
//! An organization holds projects; a project holds credentials. A credential has a client id, a
//! technical account (the identity its tokens carry as `user_id`/`sub`), the scopes it may
//! request, and up to a configured number of client secrets (2 by default, as at Adobe).

use crate::ids::{ClientId, OrgId, TechnicalAccountId};
use crate::scope::ScopeList;
use crate::secret::SecretHash;
use crate::time::UnixMillis;

/// An organization (`<24 hex>@AdobeOrg`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    /// The organization id.
    pub id: OrgId,
    /// Display name.
    pub name: String,
    /// Creation time.
    pub created_at: UnixMillis,
}

/// A project inside an organization; the numeric id appears in console URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// Numeric project id, assigned by the store.
    pub id: i64,
    /// Owning organization.
    pub org_id: OrgId,
    /// Display name.
    pub name: String,
    /// Creation time.
    pub created_at: UnixMillis,
}

/// The two kinds of credential Adobe offers for server-to-server access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialKind {
    /// OAuth Server-to-Server: `client_credentials` with a client secret.
    OAuthServerToServer,
    /// The deprecated Service Account (JWT) credential.
    ServiceAccountJwt,
}

impl CredentialKind {
    /// The stable name used in storage and in the console API.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::OAuthServerToServer => "oauth_server_to_server",
            CredentialKind::ServiceAccountJwt => "service_account_jwt",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "oauth_server_to_server" => Some(CredentialKind::OAuthServerToServer),
            "service_account_jwt" => Some(CredentialKind::ServiceAccountJwt),
            _ => None,
        }
    }
}

/// A credential as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// Numeric credential id, assigned by the store.
    pub id: i64,
    /// Owning project.
    pub project_id: i64,
    /// Owning organization (denormalized from the project).
    pub org_id: OrgId,
    /// Kind of credential.
    pub kind: CredentialKind,
    /// Display name.
    pub name: String,
    /// Client id (`x-api-key`).
    pub client_id: ClientId,
    /// Technical account id (`user_id`/`sub` of its tokens).
    pub technical_account_id: TechnicalAccountId,
    /// Technical account email.
    pub technical_account_email: String,
    /// Scopes the credential may request.
    pub scopes: ScopeList,
    /// Organization admin: may manage everything in its organization through the console.
    pub admin: bool,
    /// Disabled credentials cannot obtain tokens and their tokens are inactive.
    pub enabled: bool,
    /// Every token issued before this instant is refused (admin "revoke all tokens").
    pub tokens_revoked_before: UnixMillis,
    /// Creation time.
    pub created_at: UnixMillis,
}

/// What it takes to create a credential; the store assigns the numeric id.
#[derive(Debug, Clone)]
pub struct NewCredential {
    /// Owning project.
    pub project_id: i64,
    /// Owning organization.
    pub org_id: OrgId,
    /// Kind of credential.
    pub kind: CredentialKind,
    /// Display name.
    pub name: String,
    /// Client id.
    pub client_id: ClientId,
    /// Technical account id.
    pub technical_account_id: TechnicalAccountId,
    /// Technical account email.
    pub technical_account_email: String,
    /// Allowed scopes.
    pub scopes: ScopeList,
    /// Organization admin.
    pub admin: bool,
}

/// A client secret as stored: never the plaintext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSecret {
    /// Public identifier (32 hex), used to list and delete.
    pub uuid: String,
    /// Owning credential.
    pub credential_id: i64,
    /// HMAC of the secret.
    pub hash: SecretHash,
    /// Creation time.
    pub created_at: UnixMillis,
    /// Last successful use, if any.
    pub last_used_at: Option<UnixMillis>,
    /// Grant type of the last successful use.
    pub last_grant_type: Option<String>,
}

/// A successful use of a secret, recorded in batches (SPEC §2: no write per token request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretUsage {
    /// Which secret.
    pub secret_uuid: String,
    /// When it was last used.
    pub used_at: UnixMillis,
    /// With which grant.
    pub grant_type: String,
}
