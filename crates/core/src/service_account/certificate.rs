//! Uploaded certificates: what is accepted, and the public key a JWT signature is checked
//! against.
//!
//! Accepted: exactly one PEM `CERTIFICATE` block holding an X.509 certificate whose key is RSA
//! of 2048 to 8192 bits (RS256 is the only algorithm of the exchange, reference/adobe-protocol.md
//! §3.2), and which has not expired. Refused, each with its own message: a private key (it must
//! never leave the client: the upload is refused and the caller is told to keep the key
//! secret), anything that is not PEM, several certificates, other key types, weak keys, expired
//! certificates.

use aws_lc_rs::digest::{SHA256, digest};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use x509_parser::pem::Pem;
use x509_parser::public_key::PublicKey;

use crate::time::UnixMillis;

/// Smallest RSA modulus accepted, in bits (RFC 7518 §3.3: 2048 or larger).
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits (what the verifier supports).
pub const MAX_RSA_BITS: usize = 8192;
/// Largest upload accepted, in bytes.
pub const MAX_PEM_BYTES: usize = 64 * 1024;

/// Why an uploaded certificate is refused. The texts are shown to the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    /// The upload holds a private key.
    #[error(
        "this is a private key, not a certificate: never upload a private key; keep it on the client and upload only its certificate (BEGIN CERTIFICATE)"
    )]
    PrivateKey,
    /// Not PEM, or not an X.509 certificate.
    #[error(
        "not a PEM certificate: upload one X.509 certificate in PEM form (-----BEGIN CERTIFICATE-----)"
    )]
    Garbage,
    /// More than one certificate.
    #[error("upload exactly one certificate: this upload holds several")]
    Several,
    /// Larger than [`MAX_PEM_BYTES`].
    #[error("the upload is larger than 64 KiB: upload one certificate")]
    TooLarge,
    /// Not an RSA key.
    #[error(
        "the certificate's key is not RSA: the JWT exchange uses RS256, create an RSA key of 2048 bits or more"
    )]
    NotRsa,
    /// RSA key too small or too large.
    #[error(
        "the certificate's RSA key has {0} bits: use a key of 2048 to 8192 bits (for example openssl req -x509 -newkey rsa:2048)"
    )]
    KeySize(usize),
    /// Expired already (or not valid for another day at most).
    #[error("the certificate has expired: create a new certificate and upload that")]
    Expired,
}

/// An accepted certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCertificate {
    /// DER.
    pub der: Vec<u8>,
    /// SHA-256 of the DER, lower-case hex.
    pub fingerprint: String,
    /// Start of validity.
    pub not_before: UnixMillis,
    /// End of validity.
    pub not_after: UnixMillis,
}

/// PEM-encodes `der` under `label`, lines of 64 characters.
pub fn to_pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// SHA-256 of `der`, lower-case hex.
pub fn fingerprint(der: &[u8]) -> String {
    crate::ids::hex_upper(digest(&SHA256, der).as_ref()).to_ascii_lowercase()
}

/// Parses and checks an upload at `now`.
pub fn parse_upload(text: &str, now: UnixMillis) -> Result<ParsedCertificate, CertificateError> {
    if text.len() > MAX_PEM_BYTES {
        return Err(CertificateError::TooLarge);
    }
    // A private key is refused before anything else, whatever else the upload holds.
    if text.contains("PRIVATE KEY-----") {
        return Err(CertificateError::PrivateKey);
    }
    let mut der = None;
    for block in Pem::iter_from_buffer(text.as_bytes()) {
        let block = block.map_err(|_| CertificateError::Garbage)?;
        if block.label.contains("PRIVATE KEY") {
            return Err(CertificateError::PrivateKey);
        }
        if block.label != "CERTIFICATE" {
            return Err(CertificateError::Garbage);
        }
        if der.replace(block.contents).is_some() {
            return Err(CertificateError::Several);
        }
    }
    let der = der.ok_or(CertificateError::Garbage)?;
    let info = inspect(&der).ok_or(CertificateError::Garbage)?;
    match info.rsa_bits {
        None => return Err(CertificateError::NotRsa),
        Some(bits) if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) => {
            return Err(CertificateError::KeySize(bits));
        }
        Some(_) => {}
    }
    if info.not_after <= now {
        return Err(CertificateError::Expired);
    }
    Ok(ParsedCertificate {
        fingerprint: fingerprint(&der),
        der,
        not_before: info.not_before,
        not_after: info.not_after,
    })
}

struct Info {
    rsa_bits: Option<usize>,
    not_before: UnixMillis,
    not_after: UnixMillis,
}

fn inspect(der: &[u8]) -> Option<Info> {
    let (rest, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    if !rest.is_empty() {
        return None;
    }
    let validity = cert.validity();
    let rsa_bits = match cert.public_key().parsed().ok()? {
        PublicKey::RSA(rsa) => Some(rsa.key_size()),
        _ => None,
    };
    Some(Info {
        rsa_bits,
        not_before: UnixMillis::from_secs(validity.not_before.timestamp()),
        not_after: UnixMillis::from_secs(validity.not_after.timestamp()),
    })
}

/// The RSA public key (PKCS#1 `RSAPublicKey` DER) of a stored certificate, or `None` when the
/// certificate is not an RSA certificate of an accepted size.
pub fn rsa_public_key(der: &[u8]) -> Option<Vec<u8>> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let spki = cert.public_key();
    match spki.parsed().ok()? {
        PublicKey::RSA(rsa) if (MIN_RSA_BITS..=MAX_RSA_BITS).contains(&rsa.key_size()) => {
            Some(spki.subject_public_key.data.to_vec())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Certificates made with `openssl req -x509 -newkey ...` (public parts only; valid to 2036).
    const RSA1024: &str = include_str!("testdata/rsa1024.pem");
    const P256: &str = include_str!("testdata/p256.pem");
    const RSA2048: &str = include_str!("testdata/rsa2048-openssl.pem");
    const NOW: UnixMillis = UnixMillis(1_790_000_000_000);

    #[test]
    fn weak_or_non_rsa_keys_are_refused_and_an_openssl_certificate_is_accepted() {
        assert_eq!(
            parse_upload(RSA1024, NOW).unwrap_err(),
            CertificateError::KeySize(1024)
        );
        assert_eq!(
            parse_upload(P256, NOW).unwrap_err(),
            CertificateError::NotRsa
        );
        let ok = parse_upload(RSA2048, NOW).unwrap();
        assert_eq!(ok.fingerprint.len(), 64);
        assert!(rsa_public_key(&ok.der).is_some());
        assert!(rsa_public_key(&parse_upload_der(RSA1024)).is_none());
        // Expired once past not_after.
        assert_eq!(
            parse_upload(RSA2048, ok.not_after).unwrap_err(),
            CertificateError::Expired
        );
        // A PEM block of another kind, or a truncated certificate.
        let other = RSA2048.replace("CERTIFICATE", "PUBLIC KEY");
        assert_eq!(
            parse_upload(&other, NOW).unwrap_err(),
            CertificateError::Garbage
        );
        let truncated = to_pem("CERTIFICATE", &ok.der[..ok.der.len() / 2]);
        assert_eq!(
            parse_upload(&truncated, NOW).unwrap_err(),
            CertificateError::Garbage
        );
        assert_eq!(
            parse_upload(&"A".repeat(MAX_PEM_BYTES + 1), NOW).unwrap_err(),
            CertificateError::TooLarge
        );
        // The PEM written back is accepted again.
        assert_eq!(
            parse_upload(&to_pem("CERTIFICATE", &ok.der), NOW).unwrap(),
            ok
        );
    }

    fn parse_upload_der(pem: &str) -> Vec<u8> {
        Pem::iter_from_buffer(pem.as_bytes())
            .next()
            .unwrap()
            .unwrap()
            .contents
    }
}
