//! Legacy Service Account (JWT) credentials: the console bodies for creating them and managing
//! their certificates, the AEM Developer Console "service credentials" JSON
//! (reference/adobe-protocol.md §3.5), and the answer of `POST /ims/exchange/jwt` (§3.3).

use serde::{Deserialize, Serialize};

use crate::console::CredentialBody;

/// Body of `POST /console/organizations/{org}/projects/{project}/service_accounts`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateServiceAccount {
    /// Display name.
    pub name: String,
    /// Metascopes the technical account may put into its JWTs (e.g. `ent_aem_cloud_api`).
    pub metascopes: Vec<String>,
    /// The AEM environment (product id) the technical account is for: at most 10 technical
    /// accounts per environment, deleted ones counted (as in AEM's Developer Console).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<i64>,
    /// An uploaded certificate (PEM) instead of a generated key pair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_pem: Option<String>,
}

/// Answer of creating a service account: the credential, its first secret and the service
/// credentials JSON (with the private key when the server generated it). Shown once.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedServiceAccount {
    /// The credential.
    pub credential: CredentialBody,
    /// The first client secret, in plaintext: the only time it is shown.
    pub client_secret: String,
    /// The first certificate.
    pub certificate: CertificateBody,
    /// The AEM service credentials JSON, complete (client secret and, when generated, the
    /// private key included).
    pub service_credentials: ServiceCredentials,
}

/// Body of `POST .../credentials/{cred}/certificates`: upload a PEM certificate, or leave it
/// out to have the server generate a key pair and a self-signed certificate.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddCertificate {
    /// The certificate (PEM, RSA 2048 bits or more, not expired). Absent: generate one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_pem: Option<String>,
}

/// A certificate of a service account (public part only).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateBody {
    /// Certificate id (32 hex).
    pub id: String,
    /// SHA-256 fingerprint of the DER certificate, lower-case hex.
    pub fingerprint: String,
    /// `active`, `revoked` or `expired`.
    pub status: String,
    /// Start of validity, milliseconds since the epoch, as a string.
    pub not_before: String,
    /// End of validity, milliseconds since the epoch, as a string.
    pub not_after: String,
    /// When it was revoked (milliseconds string), if it was.
    pub revoked_at: Option<String>,
    /// When it was added (milliseconds string).
    pub created_at: String,
    /// The certificate, PEM.
    pub certificate_pem: String,
}

/// Answer of adding a certificate: the certificate and, when the server generated the key
/// pair, the private key (PKCS#8 PEM), shown this once and never stored.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddedCertificate {
    /// The certificate.
    pub certificate: CertificateBody,
    /// The private key, when generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
}

/// The AEM Developer Console "service credentials" JSON (reference/adobe-protocol.md §3.5),
/// field for field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceCredentials {
    /// Always `true`.
    pub ok: bool,
    /// The integration.
    pub integration: ServiceIntegration,
    /// Always 200.
    pub status_code: u16,
}

/// The `integration` member of [`ServiceCredentials`].
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceIntegration {
    /// The IMS host and port, without scheme, as Adobe writes it (`ims-na1.adobelogin.com`):
    /// here this server's.
    pub ims_endpoint: String,
    /// Metascopes, comma-separated.
    pub metascopes: String,
    /// Client id and secret.
    pub technical_account: ServiceTechnicalAccount,
    /// Technical account email.
    pub email: String,
    /// Technical account id: the JWT's `sub`.
    pub id: String,
    /// Organization id: the JWT's `iss`.
    pub org: String,
    /// The private key (PEM): present only in the answer that generated it; `null` in later
    /// downloads (it is never stored).
    pub private_key: Option<String>,
    /// The newest active certificate (PEM).
    pub public_key: Option<String>,
    /// Its expiry, ISO 8601 with milliseconds (`2026-05-21T14:16:46.000Z`).
    pub certificate_expiration_date: Option<String>,
}

/// The `technicalAccount` member of [`ServiceIntegration`].
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceTechnicalAccount {
    /// Client id.
    pub client_id: String,
    /// Client secret: present only in the answer that created it; `null` in later downloads
    /// (secrets are stored as hashes only).
    pub client_secret: Option<String>,
}

/// Body of `POST .../credentials/{cred}/migrate`: the name of the new OAuth Server-to-Server
/// credential (defaults to the JWT credential's name with ` (OAuth Server-to-Server)`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MigrateServiceAccount {
    /// Display name of the new credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Answer of `POST /ims/exchange/jwt`: `expires_in` in **milliseconds** (86399999), unlike
/// `/ims/token/v3` (reference/adobe-protocol.md §3.3).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JwtExchangeResponse {
    /// Always `bearer`.
    pub token_type: String,
    /// The access token (the same kind `client_credentials` issues).
    pub access_token: String,
    /// Lifetime in milliseconds.
    pub expires_in: u64,
}

/// `[redacted]` for a present secret, `None` otherwise.
fn redacted(present: bool) -> Option<&'static str> {
    present.then_some("[redacted]")
}

impl std::fmt::Debug for CreatedServiceAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedServiceAccount")
            .field("credential", &self.credential)
            .field("client_secret", &"[redacted]")
            .field("certificate", &self.certificate)
            .field("service_credentials", &self.service_credentials)
            .finish()
    }
}

impl std::fmt::Debug for AddedCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AddedCertificate")
            .field("certificate", &self.certificate)
            .field("private_key", &redacted(self.private_key.is_some()))
            .finish()
    }
}

impl std::fmt::Debug for ServiceIntegration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceIntegration")
            .field("ims_endpoint", &self.ims_endpoint)
            .field("metascopes", &self.metascopes)
            .field("technical_account", &self.technical_account)
            .field("email", &self.email)
            .field("id", &self.id)
            .field("org", &self.org)
            .field("private_key", &redacted(self.private_key.is_some()))
            .field("public_key", &self.public_key.is_some())
            .field(
                "certificate_expiration_date",
                &self.certificate_expiration_date,
            )
            .finish()
    }
}

impl std::fmt::Debug for ServiceTechnicalAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceTechnicalAccount")
            .field("client_id", &self.client_id)
            .field("client_secret", &redacted(self.client_secret.is_some()))
            .finish()
    }
}
