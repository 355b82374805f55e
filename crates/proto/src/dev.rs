//! The `dev-credentials.json` file that `latchkey serve --dev` writes into the data directory.
//!
//! The shape is additive: later features add keys (`admin`, `aem`, `service_account_jwt`), never
//! rename existing ones, so scripts written against an older file keep working.

use serde::{Deserialize, Serialize};

/// Top level of `dev-credentials.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DevCredentials {
    /// Base URL of the identity service (what Adobe's docs call the IMS host).
    pub ims: String,
    /// The demo organization (`<24 hex>@AdobeOrg`).
    pub org_id: String,
    /// Credentials by kind.
    pub credentials: DevCredentialSet,
    /// The organization admin credential created at first start (absent if the installation
    /// was first started without `--dev`: its secret was printed then and is not stored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<DevAdminCredential>,
    /// The seeded AEM environment and its sample asset (absent in files written before it
    /// existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aem: Option<DevAem>,
}

/// The seeded AEM environment: program 1, environment 1, author tier, with the demo credential
/// on an "AEM Assets Collaborator Users" profile and listed in its api.yaml.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DevAem {
    /// Base URL of the Assets and Folders APIs (`{base_url}/adobe/...`); this server.
    pub base_url: String,
    /// The bucket (`author-p1-e1`); the server serves it for any Host.
    pub bucket: String,
    /// The environment's product id.
    pub product_id: i64,
    /// `urn:aaid:aem:<uuid>` of the sample asset.
    pub sample_asset_id: String,
    /// Its path.
    pub sample_asset_path: String,
}

/// The bootstrap organization admin credential.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DevAdminCredential {
    /// Numeric credential id.
    pub credential_id: i64,
    /// Client id (also the `x-api-key` of console calls).
    pub client_id: String,
    /// Client secret, in plaintext (dev mode only).
    pub client_secret: String,
    /// Scopes of the admin credential.
    pub scopes: Vec<String>,
}

/// The seeded credentials, by kind.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DevCredentialSet {
    /// The demo OAuth Server-to-Server credential.
    pub oauth_server_to_server: DevOAuthCredential,
    /// The demo legacy Service Account (JWT) credential: the AEM service credentials JSON,
    /// private key and client secret included (absent in files written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_jwt: Option<crate::service_accounts::ServiceCredentials>,
}

/// One OAuth Server-to-Server credential, including its plaintext secret (dev mode only).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DevOAuthCredential {
    /// Numeric credential id, as in the console URL.
    pub credential_id: i64,
    /// The client id (32 hex), also the `x-api-key`.
    pub client_id: String,
    /// The client secret, in plaintext: this file is for local development only.
    pub client_secret: String,
    /// Scopes the credential may request.
    pub scopes: Vec<String>,
    /// Technical account id (`<24 hex>@techacct.adobe.com`).
    pub technical_account_id: String,
    /// Technical account email.
    pub technical_account_email: String,
}
