//! The AEM Developer Console "service credentials" JSON (reference/adobe-protocol.md §3.5): what
//! a client of the legacy JWT flow (adobe/aemcs-api-client-lib, `@adobe/jwt-auth`) is
//! configured with.
//!
//! `imsEndpoint` is this server's host and port without scheme, as Adobe writes
//! `ims-na1.adobelogin.com`. The client secret and the private key are only known in the
//! answer that created them (secrets are stored as hashes, private keys not at all); other
//! downloads carry `null` there.

use latchkey_proto::service_accounts::{
    ServiceCredentials, ServiceIntegration, ServiceTechnicalAccount,
};

use super::{Certificate, CertificateStatus};
use crate::credentials::Credential;
use crate::time::UnixMillis;

/// The host (and port) of a base URL: `http://127.0.0.1:8080/x` → `127.0.0.1:8080`.
pub fn ims_endpoint(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest).to_owned()
}

/// `2026-05-21T14:16:46.000Z`.
pub fn iso_millis(t: UnixMillis) -> String {
    let secs = t.0.div_euclid(1000);
    let ms = t.0.rem_euclid(1000);
    match time::OffsetDateTime::from_unix_timestamp(secs) {
        Ok(d) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{ms:03}Z",
            d.year(),
            u8::from(d.month()),
            d.day(),
            d.hour(),
            d.minute(),
            d.second()
        ),
        Err(_) => String::new(),
    }
}

/// The newest certificate that is active at `now`, if any.
pub fn current_certificate(certs: &[Certificate], now: UnixMillis) -> Option<&Certificate> {
    certs
        .iter()
        .filter(|c| c.status(now) == CertificateStatus::Active)
        .max_by_key(|c| (c.created_at, c.not_after))
}

/// Builds the JSON for `credential`. `certificate` is the one to publish (normally
/// [`current_certificate`]); `private_key` and `client_secret` only when just created.
pub fn service_credentials(
    credential: &Credential,
    base_url: &str,
    certificate: Option<&Certificate>,
    private_key: Option<String>,
    client_secret: Option<String>,
) -> ServiceCredentials {
    ServiceCredentials {
        ok: true,
        integration: ServiceIntegration {
            ims_endpoint: ims_endpoint(base_url),
            metascopes: credential.scopes.to_ims_string(),
            technical_account: ServiceTechnicalAccount {
                client_id: credential.client_id.to_string(),
                client_secret,
            },
            email: credential.technical_account_email.clone(),
            id: credential.technical_account_id.to_string(),
            org: credential.org_id.to_string(),
            private_key,
            public_key: certificate.map(Certificate::pem),
            certificate_expiration_date: certificate.map(|c| iso_millis(c.not_after)),
        },
        status_code: 200,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_and_dates_have_adobes_form() {
        assert_eq!(ims_endpoint("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(
            ims_endpoint("https://ims.example.com/base/"),
            "ims.example.com"
        );
        assert_eq!(
            iso_millis(UnixMillis(1_779_373_006_000)),
            "2026-05-21T14:16:46.000Z"
        );
    }
}
