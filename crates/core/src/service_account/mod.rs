//! Legacy Service Account (JWT) credentials (SPEC §1–2, seed 002, reference/adobe-protocol.md §3).
//!
//! A service account is a credential of kind
//! [`ServiceAccountJwt`](crate::credentials::CredentialKind::ServiceAccountJwt): client id,
//! client secret, technical account and metascopes (stored as the credential's scopes), plus
//! certificates. Its client signs a JWT with the private key of one of the certificates and
//! exchanges it at `/ims/exchange/jwt` ([`crate::token::jwt_exchange`]).
//!
//! - [`certificate`]: parsing uploaded certificates (refusing weak keys, expired certificates,
//!   private keys and garbage) and the public key a signature is checked against.
//! - [`generate`]: a fresh RSA-2048 key pair and a self-signed certificate valid 365 days; the
//!   private key is handed out once and never stored.
//! - [`service_credentials`]: the AEM Developer Console "service credentials" JSON.
//! - [`provision`]: creating service accounts, and the migration to OAuth Server-to-Server.
//!
//! Certificates are revoked, then deleted (seed 002); several may be valid at once, for rotation.

pub mod certificate;
pub mod generate;
pub mod provision;
pub mod service_credentials;

use crate::time::UnixMillis;

/// At most this many technical accounts per AEM environment, deleted ones counted (seed 002:
/// "Customers can create up to ten technical accounts, including those accounts that have
/// already been deleted").
pub const MAX_TECHNICAL_ACCOUNTS_PER_ENVIRONMENT: usize = 10;

/// At most this many certificates (valid, revoked or expired) on one credential: enough for
/// rotation, bounded so that an exchange checks a few signatures at most.
pub const MAX_CERTIFICATES: usize = 5;

/// Validity of a generated certificate: 365 days (seed 002: "expires after one year").
pub const GENERATED_VALIDITY_MS: i64 = 365 * 24 * 60 * 60 * 1000;

/// A certificate of a service account, as stored: the public part only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// Public identifier (32 hex), used to revoke and delete.
    pub id: String,
    /// Owning credential.
    pub credential_id: i64,
    /// SHA-256 of the DER certificate, lower-case hex.
    pub fingerprint: String,
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// Start of validity.
    pub not_before: UnixMillis,
    /// End of validity.
    pub not_after: UnixMillis,
    /// When it was revoked, if it was.
    pub revoked_at: Option<UnixMillis>,
    /// When it was added.
    pub created_at: UnixMillis,
}

/// Whether a certificate verifies signatures at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateStatus {
    /// Valid now and not revoked.
    Active,
    /// Revoked by an admin.
    Revoked,
    /// Past its `not_after` (or before its `not_before`).
    Expired,
}

impl CertificateStatus {
    /// Stable name (`active`, `revoked`, `expired`).
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateStatus::Active => "active",
            CertificateStatus::Revoked => "revoked",
            CertificateStatus::Expired => "expired",
        }
    }
}

impl Certificate {
    /// Its status at `now`.
    pub fn status(&self, now: UnixMillis) -> CertificateStatus {
        if self.revoked_at.is_some() {
            CertificateStatus::Revoked
        } else if now < self.not_before || now >= self.not_after {
            CertificateStatus::Expired
        } else {
            CertificateStatus::Active
        }
    }

    /// The certificate as PEM (`-----BEGIN CERTIFICATE-----`, lines of 64).
    pub fn pem(&self) -> String {
        certificate::to_pem("CERTIFICATE", &self.der)
    }
}
