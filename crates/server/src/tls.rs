//! TLS on request (SPEC §5: one Adobe client, aemcs-api-client-lib, only speaks https).
//!
//! Where the certificate comes from:
//! - `http.tls_cert_file` + `http.tls_key_file`: PEM files (the chain, server certificate
//!   first; the key as PKCS#8, PKCS#1 or SEC1). Both or neither ([`Config::validate`]).
//! - `http.tls_self_signed` (`latchkey serve --tls`): a self-signed certificate for
//!   `localhost`, `127.0.0.1` and `::1`, made with rcgen (ECDSA P-256, server-auth usage, valid
//!   [`VALIDITY_DAYS`] days) in `<data_dir>/tls/cert.pem` and `key.pem` (mode 0600) on first
//!   use and reused on later starts, so clients trust it once (`curl --cacert`,
//!   `NODE_EXTRA_CA_CERTS`, a Java trust store...). It is replaced when it has less than
//!   [`RENEW_DAYS`] days left or one of the two files is missing. It is meant for dev mode but
//!   allowed anywhere when asked for explicitly; outside dev mode the start logs a warning.
//!
//! Every problem stops the start with a [`StartError::Tls`] naming the file, what is wrong
//! with it and what to set. Key material is never logged or put in a message.
//!
//! The provider is rustls's aws-lc-rs one, passed explicitly (no process-wide default needed);
//! ALPN offers `h2` then `http/1.1`. The handshake runs in [`crate::serve`], in each
//! connection's own task.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, KeyPair, KeyUsagePurpose,
};
use rustls::ServerConfig;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;
use zeroize::Zeroizing;

use crate::config::Config;
use crate::startup::{StartError, write_private_file};

/// Directory of the self-signed certificate, inside the data directory.
pub const SELF_SIGNED_DIR: &str = "tls";
/// File name of the self-signed certificate (PEM).
pub const CERT_FILE: &str = "cert.pem";
/// File name of the self-signed certificate's private key (PEM, mode 0600).
pub const KEY_FILE: &str = "key.pem";
/// Validity of a generated certificate, in days (under the 825 days Apple platforms accept).
pub const VALIDITY_DAYS: i64 = 730;
/// A self-signed certificate with fewer days left than this is replaced at start.
pub const RENEW_DAYS: i64 = 30;
/// The names a self-signed certificate covers.
pub const SELF_SIGNED_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The TLS side of a listener: what the accept loop needs, and what to tell clients.
#[derive(Clone)]
pub struct Tls {
    acceptor: TlsAcceptor,
    self_signed: Option<PathBuf>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("self_signed", &self.self_signed)
            .finish_non_exhaustive()
    }
}

impl Tls {
    /// The acceptor doing the handshakes.
    pub fn acceptor(&self) -> TlsAcceptor {
        self.acceptor.clone()
    }

    /// The generated certificate clients must trust, when it is self-signed.
    pub fn self_signed_certificate(&self) -> Option<&Path> {
        self.self_signed.as_deref()
    }
}

/// `curl`, with `--cacert <certificate>` when the server's certificate is self-signed: the start
/// of the commands the banners print.
pub fn curl(self_signed: Option<&Path>) -> String {
    match self_signed {
        Some(cert) => format!("curl --cacert '{}'", cert.display()),
        None => "curl".into(),
    }
}

/// Which configuration a file came from: names the setting and the fix in messages.
enum Source<'a> {
    Configured,
    SelfSigned(&'a Path),
}

impl Source<'_> {
    fn cert_key(&self) -> &'static str {
        match self {
            Source::Configured => " (http.tls_cert_file)",
            Source::SelfSigned(_) => "",
        }
    }

    fn key_key(&self) -> &'static str {
        match self {
            Source::Configured => " (http.tls_key_file)",
            Source::SelfSigned(_) => "",
        }
    }

    fn cert_fix(&self) -> String {
        match self {
            Source::Configured => {
                "set http.tls_cert_file to the server's PEM certificate chain, server certificate first".into()
            }
            Source::SelfSigned(dir) => regenerate(dir),
        }
    }

    fn key_fix(&self) -> String {
        match self {
            Source::Configured => {
                "set http.tls_key_file to the PEM private key the certificate was issued for".into()
            }
            Source::SelfSigned(dir) => regenerate(dir),
        }
    }
}

fn regenerate(dir: &Path) -> String {
    format!(
        "delete {} and start again to generate a new self-signed certificate",
        dir.display()
    )
}

fn tls_err(msg: String) -> StartError {
    StartError::Tls(msg)
}

/// Loads (or, self-signed, creates) the certificate `config` asks for; `None` = plain HTTP.
pub fn load(config: &Config) -> Result<Option<Tls>, StartError> {
    let http = &config.http;
    if http.tls_self_signed {
        let dir = config.data_dir.join(SELF_SIGNED_DIR);
        let (cert, key) = self_signed_files(&dir)?;
        let server = server_config(&cert, &key, &Source::SelfSigned(&dir))?;
        if config.dev {
            tracing::info!(certificate = %cert.display(), "serving https with a self-signed certificate for localhost, 127.0.0.1 and ::1: clients must trust this certificate");
        } else {
            tracing::warn!(certificate = %cert.display(), "serving https with a self-signed certificate (http.tls_self_signed) outside dev mode: clients must trust this certificate; set http.tls_cert_file and http.tls_key_file to serve one they already trust");
        }
        return Ok(Some(Tls {
            acceptor: TlsAcceptor::from(Arc::new(server)),
            self_signed: Some(cert),
        }));
    }
    if http.tls_cert_file.is_empty() {
        return Ok(None);
    }
    let (cert, key) = (
        PathBuf::from(&http.tls_cert_file),
        PathBuf::from(&http.tls_key_file),
    );
    let server = server_config(&cert, &key, &Source::Configured)?;
    tracing::info!(certificate = %cert.display(), "serving https");
    Ok(Some(Tls {
        acceptor: TlsAcceptor::from(Arc::new(server)),
        self_signed: None,
    }))
}

/// The rustls configuration for a PEM certificate chain and key: aws-lc-rs, TLS 1.2 and 1.3,
/// ALPN `h2` and `http/1.1`.
fn server_config(cert: &Path, key: &Path, source: &Source<'_>) -> Result<ServerConfig, StartError> {
    let chain = read_certificates(cert, source)?;
    warn_if_expiring(cert, &chain[0]);
    let private_key = read_private_key(key, source)?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_err(format!("cannot set up TLS: {e}")))?;
    let mut server = builder
        .with_no_client_auth()
        .with_single_cert(chain, private_key)
        .map_err(|e| match e {
            rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch) => {
                tls_err(format!(
                    "the private key in {}{} does not match the certificate in {}{}: {}",
                    key.display(),
                    source.key_key(),
                    cert.display(),
                    source.cert_key(),
                    source.key_fix()
                ))
            }
            other => tls_err(format!(
                "cannot use the certificate {} with the private key {} ({other}): {}",
                cert.display(),
                key.display(),
                source.key_fix()
            )),
        })?;
    server.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(server)
}

fn read_certificates(
    path: &Path,
    source: &Source<'_>,
) -> Result<Vec<CertificateDer<'static>>, StartError> {
    let bytes = std::fs::read(path).map_err(|e| {
        tls_err(format!(
            "cannot read the TLS certificate file {}{}: {e}; {}",
            path.display(),
            source.cert_key(),
            source.cert_fix()
        ))
    })?;
    let chain = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            tls_err(format!(
                "the TLS certificate file {}{} is not valid PEM ({e}): {}",
                path.display(),
                source.cert_key(),
                source.cert_fix()
            ))
        })?;
    if chain.is_empty() {
        return Err(tls_err(format!(
            "the TLS certificate file {}{} holds no certificate (no -----BEGIN CERTIFICATE----- block): {}",
            path.display(),
            source.cert_key(),
            source.cert_fix()
        )));
    }
    Ok(chain)
}

fn read_private_key(
    path: &Path,
    source: &Source<'_>,
) -> Result<PrivateKeyDer<'static>, StartError> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| {
        tls_err(format!(
            "cannot read the TLS private key file {}{}: {e}; {}",
            path.display(),
            source.key_key(),
            source.key_fix()
        ))
    })?);
    // The PEM error is not shown: for a key file it could quote part of the file.
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| {
        let what = match e {
            pem::Error::NoItemsFound => {
                "holds no private key (no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block; an ENCRYPTED PRIVATE KEY must be decrypted first)"
            }
            _ => "is not valid PEM",
        };
        tls_err(format!(
            "the TLS private key file {}{} {what}: {}",
            path.display(),
            source.key_key(),
            source.key_fix()
        ))
    })
}

/// Seconds since the epoch after which `der` is no longer valid, if it parses.
fn not_after(der: &[u8]) -> Option<i64> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    Some(cert.validity().not_after.timestamp())
}

fn now_secs() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn warn_if_expiring(path: &Path, der: &[u8]) {
    let Some(end) = not_after(der) else { return };
    let left_days = (end - now_secs()) / 86_400;
    if end <= now_secs() {
        tracing::warn!(certificate = %path.display(), "the TLS certificate has expired: clients will refuse it; renew it");
    } else if left_days < RENEW_DAYS {
        tracing::warn!(certificate = %path.display(), days_left = left_days, "the TLS certificate expires soon: renew it");
    }
}

/// The self-signed certificate and key files in `dir`, created when missing or about to
/// expire. Public so tests can make certificates the same way.
pub fn self_signed_files(dir: &Path) -> Result<(PathBuf, PathBuf), StartError> {
    let cert = dir.join(CERT_FILE);
    let key = dir.join(KEY_FILE);
    match (cert.exists(), key.exists()) {
        (true, true) => {
            let expiring = std::fs::read(&cert)
                .ok()
                .and_then(|pem| CertificateDer::from_pem_slice(&pem).ok())
                .and_then(|der| not_after(&der))
                .is_some_and(|end| end - now_secs() < RENEW_DAYS * 86_400);
            if !expiring {
                return Ok((cert, key));
            }
            tracing::warn!(certificate = %cert.display(), "the self-signed TLS certificate expires within {RENEW_DAYS} days: replacing it (clients must trust the new one)");
        }
        (false, false) => {}
        _ => {
            tracing::warn!(dir = %dir.display(), "the self-signed TLS certificate or its key is missing: replacing both (clients must trust the new certificate)");
        }
    }
    generate(dir, &cert, &key)?;
    tracing::info!(certificate = %cert.display(), "created a self-signed TLS certificate for localhost, 127.0.0.1 and ::1");
    Ok((cert, key))
}

fn generate(dir: &Path, cert_path: &Path, key_path: &Path) -> Result<(), StartError> {
    let fail = |e: rcgen::Error| tls_err(format!("cannot generate a self-signed certificate: {e}"));
    create_private_dir(dir)?;
    let key = KeyPair::generate().map_err(fail)?;
    let mut params =
        CertificateParams::new(SELF_SIGNED_NAMES.map(str::to_owned).to_vec()).map_err(fail)?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "Latchkey self-signed certificate");
    dn.push(DnType::OrganizationName, "Latchkey");
    params.distinguished_name = dn;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(VALIDITY_DAYS);
    let cert = params.self_signed(&key).map_err(fail)?;
    // Key first: a crash in between leaves no certificate, and the next start makes a new pair.
    write_private_file(key_path, Zeroizing::new(key.serialize_pem()).as_bytes())?;
    write_private_file(cert_path, cert.pem().as_bytes())?;
    #[cfg(unix)]
    {
        // The certificate is public: let other local users (and containers) trust it.
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(cert_path, std::fs::Permissions::from_mode(0o644));
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> Result<(), StartError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| {
        StartError::Files(format!(
            "cannot create the directory {}: {e} (choose another data directory with --data-dir)",
            dir.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configured(cert: &Path, key: &Path) -> Config {
        let mut c = Config::default();
        c.http.tls_cert_file = cert.display().to_string();
        c.http.tls_key_file = key.display().to_string();
        c
    }

    fn load_err(c: &Config) -> String {
        match load(c) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn self_signed_files_are_made_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join(SELF_SIGNED_DIR);
        let (cert, key) = self_signed_files(&tls).unwrap();
        let first = std::fs::read(&cert).unwrap();
        assert!(String::from_utf8_lossy(&first).starts_with("-----BEGIN CERTIFICATE-----"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "key.pem is readable by others");
        }
        let (cert2, _) = self_signed_files(&tls).unwrap();
        assert_eq!(std::fs::read(cert2).unwrap(), first);
        // A lost key means a new pair.
        std::fs::remove_file(&key).unwrap();
        let (cert3, _) = self_signed_files(&tls).unwrap();
        assert_ne!(std::fs::read(cert3).unwrap(), first);
        // The certificate names localhost and the loopback addresses, for server auth.
        let der = CertificateDer::from_pem_slice(&std::fs::read(&cert).unwrap()).unwrap();
        let (_, parsed) = x509_parser::parse_x509_certificate(&der).unwrap();
        let san = parsed.subject_alternative_name().unwrap().unwrap().value;
        let names = format!("{:?}", san.general_names);
        for n in ["localhost", "127.0.0.1", "::1"] {
            let shown = n
                .parse::<std::net::IpAddr>()
                .map_or(n.to_owned(), |ip| match ip {
                    std::net::IpAddr::V4(v4) => format!("{:?}", v4.octets()),
                    std::net::IpAddr::V6(v6) => format!("{:?}", v6.octets()),
                });
            assert!(names.contains(&shown), "{n} missing from {names}");
        }
        let days = (parsed.validity().not_after.timestamp() - now_secs()) / 86_400;
        assert!(
            (VALIDITY_DAYS - 1..=VALIDITY_DAYS).contains(&days),
            "{days}"
        );
    }

    #[test]
    fn bad_files_are_refused_naming_the_file_and_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let (cert_a, key_a) = self_signed_files(&dir.path().join("a")).unwrap();
        let (_, key_b) = self_signed_files(&dir.path().join("b")).unwrap();
        assert!(load(&configured(&cert_a, &key_a)).unwrap().is_some());

        let missing = dir.path().join("missing.pem");
        let e = load_err(&configured(&missing, &key_a));
        assert!(
            e.contains("cannot read the TLS certificate file") && e.contains("missing.pem"),
            "{e}"
        );
        let e = load_err(&configured(&cert_a, &missing));
        assert!(
            e.contains("http.tls_key_file") && e.contains("missing.pem"),
            "{e}"
        );

        let e = load_err(&configured(&key_a, &key_a));
        assert!(
            e.contains("holds no certificate") && e.contains("http.tls_cert_file"),
            "{e}"
        );
        let e = load_err(&configured(&cert_a, &cert_a));
        assert!(e.contains("holds no private key"), "{e}");

        let e = load_err(&configured(&cert_a, &key_b));
        assert!(e.contains("does not match the certificate"), "{e}");
        assert!(e.contains("set http.tls_key_file"), "{e}");
        let key_pem = std::fs::read_to_string(&key_b).unwrap();
        let body = key_pem.lines().nth(1).unwrap();
        assert!(!e.contains(body), "the message quotes the key");
    }

    #[test]
    fn alpn_offers_h2_then_http_1_1() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = self_signed_files(dir.path()).unwrap();
        let c = server_config(&cert, &key, &Source::Configured).unwrap();
        assert_eq!(c.alpn_protocols, vec![b"h2".to_vec(), b"http/1.1".to_vec()]);
    }
}
