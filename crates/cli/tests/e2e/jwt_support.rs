//! Building and signing service-account JWTs for the exchange tests, byte for byte: raw JSON
//! (so a test can send duplicate members or wrong types) signed with RS256 as Adobe's clients
//! do (node:crypto / jsonwebtoken), or deliberately wrong.

use aws_lc_rs::hmac;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use latchkey_proto::service_accounts::ServiceCredentials;
use serde_json::{Value, json};

use crate::support::{Resp, client, send};

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The DER inside a PEM text.
pub fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    STANDARD.decode(body).unwrap()
}

/// A service account as a client holds it: the service credentials JSON fields it uses.
#[derive(Clone)]
pub struct Account {
    pub client_id: String,
    pub client_secret: String,
    pub org: String,
    pub technical_account: String,
    pub private_key_pem: String,
    pub certificate_pem: String,
    pub metascopes: Vec<String>,
}

impl Account {
    pub fn from_service_credentials(sc: &ServiceCredentials) -> Self {
        let i = &sc.integration;
        Self {
            client_id: i.technical_account.client_id.clone(),
            client_secret: i.technical_account.client_secret.clone().unwrap(),
            org: i.org.clone(),
            technical_account: i.id.clone(),
            private_key_pem: i.private_key.clone().unwrap(),
            certificate_pem: i.public_key.clone().unwrap(),
            metascopes: i.metascopes.split(',').map(str::to_owned).collect(),
        }
    }

    /// The claims Adobe's clients build, with `ims` as the origin, expiring in 5 minutes.
    pub fn claims(&self, ims: &str, now_secs: i64) -> Value {
        let mut c = json!({
            "exp": now_secs + 300,
            "iss": self.org,
            "sub": self.technical_account,
            "aud": format!("{ims}/c/{}", self.client_id),
        });
        for m in &self.metascopes {
            c[format!("{ims}/s/{m}")] = json!(true);
        }
        c
    }
}

/// RS256 over `header.payload` (raw JSON texts) with a PKCS#8 private key.
pub fn sign_raw(header: &str, payload: &str, private_key_pem: &str) -> String {
    let key = RsaKeyPair::from_pkcs8(&pem_der(private_key_pem)).unwrap();
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let mut sig = vec![0u8; key.public_modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        input.as_bytes(),
        &mut sig,
    )
    .unwrap();
    format!("{input}.{}", b64(&sig))
}

/// RS256 with the usual header.
pub fn sign(claims: &Value, private_key_pem: &str) -> String {
    sign_raw(
        r#"{"alg":"RS256","typ":"JWT"}"#,
        &claims.to_string(),
        private_key_pem,
    )
}

/// HS256 keyed with `key` (the RS/HS confusion attack).
pub fn sign_hs256(claims: &Value, key: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims.to_string().as_bytes())
    );
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), input.as_bytes());
    format!("{input}.{}", b64(tag.as_ref()))
}

/// `POST /ims/exchange/jwt`, urlencoded.
pub async fn exchange(base: &str, a: &Account, jwt: &str) -> Resp {
    exchange_as(base, &a.client_id, &a.client_secret, jwt).await
}

pub async fn exchange_as(base: &str, client_id: &str, secret: &str, jwt: &str) -> Resp {
    send(client().post(format!("{base}/ims/exchange/jwt")).form(&[
        ("client_id", client_id),
        ("client_secret", secret),
        ("jwt_token", jwt),
    ]))
    .await
}
