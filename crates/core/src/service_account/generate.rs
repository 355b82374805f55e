//! A fresh key pair and a self-signed certificate for a service account, as AEM's Developer
//! Console creates them (seed 002): RSA-2048, SHA-256, valid 365 days from now. The private key
//! is returned to the caller once and never stored (only the certificate is).
//!
//! RSA key generation takes 50–200 ms: callers on an async runtime run it on a blocking thread.

use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, PKCS_RSA_SHA256, SerialNumber};
use zeroize::Zeroizing;

use super::GENERATED_VALIDITY_MS;
use super::certificate::{ParsedCertificate, fingerprint};
use crate::ids::random_bytes;
use crate::time::UnixMillis;

/// Key generation or certificate signing failed (a crypto library failure, not bad input).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("certificate generation failed: {0}")]
pub struct GenerateError(String);

/// A generated certificate with its private key.
pub struct Generated {
    /// The certificate.
    pub certificate: ParsedCertificate,
    /// The private key, PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), wiped on drop.
    pub private_key_pem: Zeroizing<String>,
}

impl std::fmt::Debug for Generated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generated")
            .field("certificate", &self.certificate.fingerprint)
            .field("private_key_pem", &"[redacted]")
            .finish()
    }
}

fn fail(e: impl std::fmt::Display) -> GenerateError {
    GenerateError(e.to_string())
}

fn datetime(t: UnixMillis) -> Result<time::OffsetDateTime, GenerateError> {
    time::OffsetDateTime::from_unix_timestamp(t.as_secs()).map_err(fail)
}

/// Generates a key pair and a certificate for `common_name` (the technical account id), valid
/// from `now` for 365 days.
pub fn generate(common_name: &str, now: UnixMillis) -> Result<Generated, GenerateError> {
    let key = KeyPair::generate_for(&PKCS_RSA_SHA256).map_err(fail)?;
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn.push(DnType::OrganizationName, "Latchkey service account");
    params.distinguished_name = dn;
    let not_before = UnixMillis::from_secs(now.as_secs());
    let not_after = not_before.plus_millis(GENERATED_VALIDITY_MS);
    params.not_before = datetime(not_before)?;
    params.not_after = datetime(not_after)?;
    let mut serial = [0u8; 16];
    random_bytes(&mut serial).map_err(fail)?;
    serial[0] &= 0x7f;
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let cert = params.self_signed(&key).map_err(fail)?;
    let der = cert.der().to_vec();
    Ok(Generated {
        certificate: ParsedCertificate {
            fingerprint: fingerprint(&der),
            der,
            not_before,
            not_after,
        },
        private_key_pem: Zeroizing::new(key.serialize_pem()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service_account::certificate::{parse_upload, rsa_public_key, to_pem};

    #[test]
    fn a_generated_certificate_is_accepted_as_an_upload_and_lasts_a_year() {
        let now = UnixMillis(1_700_000_000_123);
        let g = generate("ABC@techacct.adobe.com", now).unwrap();
        assert!(g.private_key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(!format!("{g:?}").contains("BEGIN"));
        let pem = to_pem("CERTIFICATE", &g.certificate.der);
        let parsed = parse_upload(&pem, now).unwrap();
        assert_eq!(parsed, g.certificate);
        assert_eq!(
            parsed.not_after.0 - parsed.not_before.0,
            GENERATED_VALIDITY_MS
        );
        assert_eq!(parsed.not_before, UnixMillis(1_700_000_000_000));
        assert!(rsa_public_key(&parsed.der).is_some());
        // A year and a day later it is refused as expired.
        let later = now.plus_millis(GENERATED_VALIDITY_MS + 86_400_000);
        assert_eq!(
            parse_upload(&pem, later).unwrap_err(),
            crate::service_account::certificate::CertificateError::Expired
        );
        // A private key or garbage is refused.
        assert_eq!(
            parse_upload(&g.private_key_pem, now).unwrap_err(),
            crate::service_account::certificate::CertificateError::PrivateKey
        );
        assert_eq!(
            parse_upload("hello", now).unwrap_err(),
            crate::service_account::certificate::CertificateError::Garbage
        );
        let two = format!("{pem}{pem}");
        assert_eq!(
            parse_upload(&two, now).unwrap_err(),
            crate::service_account::certificate::CertificateError::Several
        );
    }
}
