//! The legacy JWT (service account) credential: the AEM "service credentials" JSON that Adobe's
//! Developer Console hands out (seed 002), and the RS256 assertion the client builds from it
//! for `POST {ims}/ims/exchange/jwt` (reference/adobe-protocol.md §3.2, §3.5).
//!
//! The assertion carries `iss` = organization, `sub` = technical account id, `aud` =
//! `{origin}/c/{client_id}`, `exp`, `iat` and one `{origin}/s/{metascope}: true` claim per
//! metascope. `origin` is the identity service the assertion is sent to, as Adobe's own clients
//! build it from the host they were pointed at: `https://{imsEndpoint}` for the file's
//! `imsEndpoint` (a host, no scheme), or the URL given instead of it. The private key never
//! leaves this module: it is parsed once, and `Debug` prints `[redacted]`.

use std::path::Path;
use std::time::{Duration, SystemTime};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::Error;
use crate::secret::ClientSecret;

/// How long an assertion is valid: five minutes, as aio-lib-ims-jwt and jwt-auth sign them.
pub const ASSERTION_LIFETIME: Duration = Duration::from_secs(300);

/// An AEM service-credentials JSON, parsed and checked.
pub struct ServiceCredentials {
    /// `imsEndpoint`: host of the identity service (`ims-na1.adobelogin.com`), or a full origin.
    pub ims_endpoint: String,
    /// `metascopes`, split on commas.
    pub metascopes: Vec<String>,
    /// `technicalAccount.clientId`.
    pub client_id: String,
    /// `technicalAccount.clientSecret`.
    pub client_secret: ClientSecret,
    /// `id`: the technical account id, the assertion's `sub`.
    pub technical_account_id: String,
    /// `org`: the organization, the assertion's `iss`.
    pub org: String,
    key: RsaKeyPair,
}

impl std::fmt::Debug for ServiceCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceCredentials")
            .field("ims_endpoint", &self.ims_endpoint)
            .field("metascopes", &self.metascopes)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("technical_account_id", &self.technical_account_id)
            .field("org", &self.org)
            .field("private_key", &"[redacted]")
            .finish()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Integration {
    ims_endpoint: String,
    metascopes: String,
    technical_account: TechnicalAccount,
    id: String,
    org: String,
    private_key: Wiped,
}

/// A string from the file that is wiped from memory when dropped.
#[derive(Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(transparent)]
struct Wiped(String);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TechnicalAccount {
    client_id: String,
    client_secret: Wiped,
}

#[derive(Deserialize)]
struct Download {
    integration: Integration,
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidServiceCredentials {
        reason: reason.into(),
    }
}

impl ServiceCredentials {
    /// Reads the JSON downloaded from the AEM Developer Console: the whole download
    /// (`{"ok": true, "integration": {...}}`) or its `integration` object alone.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            invalid(format!(
                "not JSON ({e}); expected the file downloaded from the AEM Developer Console"
            ))
        })?;
        let integration: Integration = if value.get("integration").is_some() {
            serde_json::from_value::<Download>(value).map(|d| d.integration)
        } else {
            serde_json::from_value(value)
        }
        .map_err(|e| invalid(format!("{e}; expected imsEndpoint, metascopes, technicalAccount.clientId/clientSecret, id, org and privateKey")))?;
        let key = parse_private_key(&integration.private_key.0)?;
        let metascopes: Vec<String> = integration
            .metascopes
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if metascopes.is_empty() {
            return Err(invalid(
                "metascopes is empty; it lists the metascopes the assertion asks for, e.g. ent_aem_cloud_api",
            ));
        }
        Ok(Self {
            ims_endpoint: integration.ims_endpoint.trim().to_owned(),
            metascopes,
            client_id: integration.technical_account.client_id,
            client_secret: ClientSecret::new(
                integration.technical_account.client_secret.0.as_str(),
            ),
            technical_account_id: integration.id,
            org: integration.org,
            key,
        })
    }

    /// Reads the JSON from `path`.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        let text = Zeroizing::new(
            std::fs::read_to_string(path)
                .map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?,
        );
        Self::from_json(&text)
    }

    /// The origin claims name and the exchange goes to: `https://{imsEndpoint}`, or
    /// `imsEndpoint` itself when it already has a scheme.
    pub fn origin(&self) -> String {
        origin_of(&self.ims_endpoint)
    }

    /// The signed assertion for the identity service at `origin`, valid from `now` for
    /// `lifetime`.
    pub fn assertion(
        &self,
        origin: &str,
        now: SystemTime,
        lifetime: Duration,
    ) -> Result<String, Error> {
        let origin = origin.trim_end_matches('/');
        let iat = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut claims = Map::new();
        claims.insert("exp".into(), json!(iat + lifetime.as_secs()));
        claims.insert("iat".into(), json!(iat));
        claims.insert("iss".into(), json!(self.org));
        claims.insert("sub".into(), json!(self.technical_account_id));
        claims.insert(
            "aud".into(),
            json!(format!("{origin}/c/{}", self.client_id)),
        );
        for m in &self.metascopes {
            // jwt-auth takes a metascope that is already a URL as it is.
            let key = if m.starts_with("https://") || m.starts_with("http://") {
                m.clone()
            } else {
                format!("{origin}/s/{m}")
            };
            claims.insert(key, Value::Bool(true));
        }
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(Value::Object(claims).to_string());
        let signing_input = format!("{header}.{payload}");
        let mut sig = vec![0u8; self.key.public_modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_input.as_bytes(),
                &mut sig,
            )
            .map_err(|_| invalid("the private key cannot sign"))?;
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig)))
    }
}

/// `https://{host}` for a bare host, the value itself (without a trailing `/`) for a URL.
pub fn origin_of(endpoint: &str) -> String {
    if endpoint.contains("://") {
        endpoint.trim_end_matches('/').to_owned()
    } else {
        format!("https://{}", endpoint.trim_end_matches('/'))
    }
}

/// An RSA private key from PEM: `RSA PRIVATE KEY` (PKCS#1, what the AEM console writes) or
/// `PRIVATE KEY` (PKCS#8). Line ends may be `\r\n`, as in the downloaded JSON.
fn parse_private_key(pem: &str) -> Result<RsaKeyPair, Error> {
    let begin = pem
        .find("-----BEGIN ")
        .ok_or_else(|| invalid("privateKey is not a PEM private key"))?;
    let rest = &pem[begin + "-----BEGIN ".len()..];
    let label_end = rest
        .find("-----")
        .ok_or_else(|| invalid("privateKey is not a PEM private key"))?;
    let label = &rest[..label_end];
    let body_start = label_end + "-----".len();
    let end = rest
        .find("-----END ")
        .ok_or_else(|| invalid("privateKey has no END line"))?;
    let body: Zeroizing<String> = Zeroizing::new(
        rest[body_start..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect(),
    );
    let der = Zeroizing::new(
        STANDARD
            .decode(body.as_bytes())
            .map_err(|_| invalid("privateKey is not valid base64 PEM"))?,
    );
    let key = match label {
        "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der),
        "PRIVATE KEY" => RsaKeyPair::from_pkcs8(&der),
        "ENCRYPTED PRIVATE KEY" => {
            return Err(invalid(
                "privateKey is encrypted; decrypt it first (openssl pkcs8 -in key.pem)",
            ));
        }
        other => {
            return Err(invalid(format!(
                "privateKey is a PEM {other:?}, not an RSA private key"
            )));
        }
    };
    key.map_err(|e| invalid(format!("privateKey is not a usable RSA key ({e})")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};

    use super::*;

    const PKCS1: &str = include_str!("testdata/test-rsa-pkcs1.pem");

    fn download(private_key: &str) -> String {
        json!({
            "ok": true,
            "integration": {
                "imsEndpoint": "ims-na1.adobelogin.com",
                "metascopes": "ent_aem_cloud_api, ent_cloudmgr_sdk",
                "technicalAccount": {"clientId": "cm-p7603-e12614-integration", "clientSecret": "p8e-topsecret"},
                "email": "c9adf360@techacct.adobe.com",
                "id": "D8E157165FC0EAE10A495E8C@techacct.adobe.com",
                "org": "907136ED5D35CBF50A495CD4@AdobeOrg",
                "privateKey": private_key.replace('\n', "\r\n"),
                "publicKey": "-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----\r\n",
                "certificateExpirationDate": "2026-05-21T14:16:46.000Z"
            },
            "statusCode": 200
        })
        .to_string()
    }

    fn parts(jwt: &str) -> (Value, Value, Vec<u8>, String) {
        let p: Vec<&str> = jwt.split('.').collect();
        assert_eq!(p.len(), 3);
        let dec = |s: &str| URL_SAFE_NO_PAD.decode(s).unwrap();
        (
            serde_json::from_slice(&dec(p[0])).unwrap(),
            serde_json::from_slice(&dec(p[1])).unwrap(),
            dec(p[2]),
            format!("{}.{}", p[0], p[1]),
        )
    }

    #[test]
    fn the_assertion_has_adobes_claims_and_verifies_with_the_public_key() {
        let creds = ServiceCredentials::from_json(&download(PKCS1)).unwrap();
        assert_eq!(creds.origin(), "https://ims-na1.adobelogin.com");
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let jwt = creds
            .assertion(&creds.origin(), now, ASSERTION_LIFETIME)
            .unwrap();
        let (header, claims, sig, input) = parts(&jwt);
        assert_eq!(header, json!({"alg": "RS256", "typ": "JWT"}));
        assert_eq!(
            claims,
            json!({
                "exp": 1_800_000_300u64,
                "iat": 1_800_000_000u64,
                "iss": "907136ED5D35CBF50A495CD4@AdobeOrg",
                "sub": "D8E157165FC0EAE10A495E8C@techacct.adobe.com",
                "aud": "https://ims-na1.adobelogin.com/c/cm-p7603-e12614-integration",
                "https://ims-na1.adobelogin.com/s/ent_aem_cloud_api": true,
                "https://ims-na1.adobelogin.com/s/ent_cloudmgr_sdk": true,
            })
        );
        let public = creds.key.public_key().as_ref().to_vec();
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &public)
            .verify(input.as_bytes(), &sig)
            .unwrap();
        // A changed claim no longer verifies.
        let forged = input.replacen('.', ".e30", 1);
        assert!(
            UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &public)
                .verify(forged.as_bytes(), &sig)
                .is_err()
        );
    }

    #[test]
    fn a_local_origin_goes_into_aud_and_metascopes() {
        let creds = ServiceCredentials::from_json(&download(PKCS1)).unwrap();
        let jwt = creds
            .assertion(
                "http://127.0.0.1:8080/",
                SystemTime::now(),
                ASSERTION_LIFETIME,
            )
            .unwrap();
        let (_, claims, _, _) = parts(&jwt);
        assert_eq!(
            claims["aud"],
            "http://127.0.0.1:8080/c/cm-p7603-e12614-integration"
        );
        assert_eq!(claims["http://127.0.0.1:8080/s/ent_aem_cloud_api"], true);
        assert_eq!(origin_of("127.0.0.1:8443"), "https://127.0.0.1:8443");
    }

    #[test]
    fn pkcs8_keys_and_the_bare_integration_object_are_accepted() {
        let kp = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let der = kp.as_der().unwrap();
        let b64 = STANDARD.encode(der.as_ref());
        let pem = format!("-----BEGIN PRIVATE KEY-----\n{b64}\n-----END PRIVATE KEY-----\n");
        let whole: Value = serde_json::from_str(&download(&pem)).unwrap();
        let creds = ServiceCredentials::from_json(&whole["integration"].to_string()).unwrap();
        let jwt = creds
            .assertion(
                "https://ims-na1.adobelogin.com",
                SystemTime::now(),
                ASSERTION_LIFETIME,
            )
            .unwrap();
        let (_, _, sig, input) = parts(&jwt);
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, kp.public_key().as_ref())
            .verify(input.as_bytes(), &sig)
            .unwrap();
    }

    #[test]
    fn debug_hides_the_secret_and_the_key_and_errors_say_what_is_wrong() {
        let creds = ServiceCredentials::from_json(&download(PKCS1)).unwrap();
        let dbg = format!("{creds:?}");
        assert!(!dbg.contains("p8e-topsecret"), "{dbg}");
        assert!(!dbg.contains("MII"), "{dbg}");
        let e = ServiceCredentials::from_json(&download("not a key")).unwrap_err();
        assert!(e.to_string().contains("privateKey is not a PEM"), "{e}");
        let e = ServiceCredentials::from_json(r#"{"integration": {"org": "x"}}"#).unwrap_err();
        assert!(e.to_string().contains("expected imsEndpoint"), "{e}");
    }
}
