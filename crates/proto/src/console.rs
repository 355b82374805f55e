//! Bodies of the console API.
//!
//! The secrets shapes are those of Adobe's I/O Management API (reference/adobe-protocol.md §5):
//! timestamps as strings of milliseconds, `secret_usages` either `null` or a list, and the
//! plaintext secret only in the answer to an add. The rest is Latchkey's own API.

use serde::{Deserialize, Serialize};

/// Error body of every console endpoint: a stable machine code and a sentence saying what went
/// wrong and what to do.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsoleErrorBody {
    /// Stable code (`invalid_token`, `forbidden`, `secret_limit_reached`, ...).
    pub error_code: String,
    /// What went wrong and what to do.
    pub message: String,
}

/// One use of a secret.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretUsageInfo {
    /// Last successful use, milliseconds as a string.
    pub last_used_at: String,
    /// Grant of that use (`client_credentials`).
    pub grant_type: String,
}

/// A secret as listed: never its value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretInfo {
    /// Always `PERMANENT` (secrets do not expire).
    pub expires_at: String,
    /// Always `PERMANENT`.
    pub expires_at_str: String,
    /// Creation, milliseconds as a string.
    pub created_at: String,
    /// Creation, human form (`Tue, Apr 25 2023 18:48:05.000 UTC`).
    pub created_at_str: String,
    /// Identifier for deletion.
    pub uuid: String,
    /// `null` when never used.
    pub secret_usages: Option<Vec<SecretUsageInfo>>,
}

/// `GET .../secrets`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretList {
    /// The credential's client id.
    pub client_id: String,
    /// Its secrets, oldest first.
    pub client_secrets: Vec<SecretInfo>,
}

/// `POST .../secrets` (201): the only time the value is shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSecret {
    /// The plaintext secret.
    pub client_secret: String,
    /// The rest, as in a listing.
    #[serde(flatten)]
    pub info: SecretInfo,
}

/// `POST .../revoke_tokens`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokensRevoked {
    /// Tokens created before this instant (milliseconds, as a string) are refused.
    pub revoked_before: String,
}

/// One audit entry as listed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryBody {
    /// Sequence number (use as `before` to page).
    pub id: i64,
    /// When, milliseconds as a string.
    pub at: String,
    /// Organization.
    pub org_id: Option<String>,
    /// Who (client id, or `system`).
    pub actor: String,
    /// What (`secret.added`, ...).
    pub action: String,
    /// On what.
    pub target: String,
    /// From where.
    pub peer: Option<String>,
    /// Extra facts; never secrets.
    pub detail: serde_json::Value,
}

/// `GET .../audit`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// Entries, newest first.
    pub entries: Vec<AuditEntryBody>,
    /// Pass as `before` for the next page; absent on the last page.
    pub next_before: Option<i64>,
}

/// A credential as the console shows it (never a secret).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CredentialBody {
    /// Numeric id.
    pub id: i64,
    /// Project.
    pub project_id: i64,
    /// Organization.
    pub org_id: String,
    /// `oauth_server_to_server` or `service_account_jwt`.
    pub kind: String,
    /// Display name.
    pub name: String,
    /// Client id (the `x-api-key`).
    pub client_id: String,
    /// Technical account id.
    pub technical_account_id: String,
    /// Technical account email.
    pub technical_account_email: String,
    /// Allowed scopes.
    pub scopes: Vec<String>,
    /// Organization admin.
    pub admin: bool,
    /// Enabled.
    pub enabled: bool,
    /// Tokens created before this instant (ms as a string) are refused; `"0"` if never used.
    pub tokens_revoked_before: String,
    /// Creation, ms as a string.
    pub created_at: String,
}

/// `POST /console/organizations/{org}/projects/{project}/credentials`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCredential {
    /// Display name.
    pub name: String,
    /// Allowed scopes.
    pub scopes: Vec<String>,
    /// Make it an organization admin (default false).
    #[serde(default)]
    pub admin: bool,
}

/// Answer to a credential creation (201): the first secret, shown once.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedCredential {
    /// The credential.
    pub credential: CredentialBody,
    /// Its first client secret, in plaintext.
    pub client_secret: String,
}

/// `PATCH /console/organizations/{org}/credentials/{id}`: every field optional.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCredential {
    /// New display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Enable or disable.
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// A project.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectBody {
    /// Numeric id.
    pub id: i64,
    /// Organization.
    pub org_id: String,
    /// Display name.
    pub name: String,
    /// Creation, ms as a string.
    pub created_at: String,
}

/// `POST /console/organizations/{org}/projects`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateProject {
    /// Display name.
    pub name: String,
}

/// A product: one AEM environment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductBody {
    /// Numeric id.
    pub id: i64,
    /// Organization.
    pub org_id: String,
    /// Display name.
    pub name: String,
    /// Cloud Manager program id.
    pub program_id: i64,
    /// Environment id.
    pub environment_id: i64,
    /// Tiers (`author`, `publish`, `preview`).
    pub tiers: Vec<String>,
    /// Bucket host prefix per tier, e.g. `author-p1-e1`.
    pub buckets: Vec<String>,
    /// Environment type: `dev`, `stage`, `prod` or `rde` (matched against api.yaml `envTypes`).
    #[serde(default = "default_env_type")]
    pub env_type: String,
    /// Creation, ms as a string.
    pub created_at: String,
}

/// `POST /console/organizations/{org}/products`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateProduct {
    /// Display name.
    pub name: String,
    /// Program id (positive).
    pub program_id: i64,
    /// Environment id (positive).
    pub environment_id: i64,
    /// Tiers; default `["author", "publish", "preview"]`.
    #[serde(default)]
    pub tiers: Option<Vec<String>>,
    /// Environment type: `dev` (default), `stage`, `prod` or `rde`.
    #[serde(default)]
    pub env_type: Option<String>,
}

fn default_env_type() -> String {
    "dev".to_owned()
}

/// A product profile.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileBody {
    /// Numeric id.
    pub id: i64,
    /// The product.
    pub product_id: i64,
    /// Organization.
    pub org_id: String,
    /// Display name.
    pub name: String,
    /// Tier.
    pub tier: String,
    /// Enabled services.
    pub services: Vec<String>,
    /// Creation, ms as a string.
    pub created_at: String,
}

/// `POST .../products/{id}/profiles`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateProfile {
    /// Display name; default Adobe's form `<first service> - <tier> - Program <p> - Environment <e>`.
    #[serde(default)]
    pub name: Option<String>,
    /// Tier of the product.
    pub tier: String,
    /// Services to enable (at least one).
    pub services: Vec<String>,
}

/// `PUT .../profiles/{id}/services`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetServices {
    /// The services the profile enables from now on.
    pub services: Vec<String>,
}

/// An organization.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationBody {
    /// Organization id (`<24 hex>@AdobeOrg`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Creation, ms as a string.
    pub created_at: String,
}
