//! The identity service's public keys (RFC 7517 JWKS at `{base}/ims/keys`), cached.
//!
//! Keys are kept for [`JwksCache::max_age`] (the server says `max-age=300`). A token naming a
//! `kid` the cache does not know triggers one fetch (the server may have rotated to its next
//! key), but not more often than once per [`JwksCache::cooldown`]: otherwise anyone could make
//! the resource server hammer the identity service by sending tokens with random `kid`s.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED, ED25519, RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents,
    UnparsedPublicKey,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use url::Url;

use crate::error::Error;
use crate::http;

/// An algorithm a resource server accepts: the ones Latchkey signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// ECDSA P-256 with SHA-256.
    Es256,
    /// Ed25519.
    EdDsa,
}

impl Alg {
    /// The algorithm named `s`, if it is on the allowlist (`none` and `HS*` are not).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "RS256" => Some(Alg::Rs256),
            "ES256" => Some(Alg::Es256),
            "EdDSA" => Some(Alg::EdDsa),
            _ => None,
        }
    }
}

enum Material {
    Rsa { n: Vec<u8>, e: Vec<u8> },
    Ec(Vec<u8>),
    Ed(Vec<u8>),
}

/// One public key, bound to one algorithm.
pub struct PublicKey {
    alg: Alg,
    material: Material,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicKey")
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

fn member(jwk: &Value, name: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(jwk.get(name)?.as_str()?).ok()
}

impl PublicKey {
    /// A key from a JWK with `alg` and `kty` (and `crv` for EC/OKP); `None` for anything else.
    pub fn from_jwk(jwk: &Value) -> Option<(String, Self)> {
        let kid = jwk.get("kid")?.as_str()?.to_owned();
        let alg = Alg::parse(jwk.get("alg")?.as_str()?)?;
        let kty = jwk.get("kty")?.as_str()?;
        let crv = jwk.get("crv").and_then(Value::as_str);
        let material = match (alg, kty, crv) {
            (Alg::Rs256, "RSA", _) => Material::Rsa {
                n: member(jwk, "n")?,
                e: member(jwk, "e")?,
            },
            (Alg::Es256, "EC", Some("P-256")) => {
                let (x, y) = (member(jwk, "x")?, member(jwk, "y")?);
                if x.len() != 32 || y.len() != 32 {
                    return None;
                }
                let mut point = vec![4u8];
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                Material::Ec(point)
            }
            (Alg::EdDsa, "OKP", Some("Ed25519")) => Material::Ed(member(jwk, "x")?),
            _ => return None,
        };
        Some((kid, Self { alg, material }))
    }

    /// The key's one algorithm.
    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// Whether `sig` signs `msg` under this key.
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        match &self.material {
            Material::Rsa { n, e } => RsaPublicKeyComponents { n, e }
                .verify(&RSA_PKCS1_2048_8192_SHA256, msg, sig)
                .is_ok(),
            Material::Ec(p) => UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, p)
                .verify(msg, sig)
                .is_ok(),
            Material::Ed(x) => UnparsedPublicKey::new(&ED25519, x).verify(msg, sig).is_ok(),
        }
    }
}

#[derive(Default)]
struct Keys {
    by_kid: HashMap<String, Arc<PublicKey>>,
    fetched: Option<Instant>,
}

/// The cached key set of one identity service.
pub struct JwksCache {
    url: Url,
    http: reqwest::Client,
    keys: RwLock<Keys>,
    fetching: tokio::sync::Mutex<()>,
    /// How long a fetched key set is used before it is fetched again.
    pub max_age: Duration,
    /// Least time between two fetches caused by unknown `kid`s.
    pub cooldown: Duration,
}

impl std::fmt::Debug for JwksCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwksCache")
            .field("url", &self.url.as_str())
            .field("max_age", &self.max_age)
            .field("cooldown", &self.cooldown)
            .finish_non_exhaustive()
    }
}

impl JwksCache {
    /// A cache of the keys at `url`, kept five minutes, refetched for an unknown `kid` at most
    /// every 30 seconds.
    pub fn new(url: Url, http: reqwest::Client) -> Self {
        Self {
            url,
            http,
            keys: RwLock::new(Keys::default()),
            fetching: tokio::sync::Mutex::new(()),
            max_age: Duration::from_secs(300),
            cooldown: Duration::from_secs(30),
        }
    }

    /// The key `kid`, fetching the set when it is stale or does not know `kid` (within the
    /// cooldown). `Ok(None)`: no such key.
    pub async fn key(&self, kid: &str) -> Result<Option<Arc<PublicKey>>, Error> {
        if let (Some(k), false) = self.lookup(kid) {
            return Ok(Some(k));
        }
        let _one_fetch = self.fetching.lock().await;
        // Another caller may have fetched while this one waited.
        let (found, stale) = self.lookup(kid);
        if let (Some(k), false) = (&found, stale) {
            return Ok(Some(k.clone()));
        }
        let may_fetch = match self.read().fetched {
            None => true,
            Some(at) => stale || at.elapsed() >= self.cooldown,
        };
        if !may_fetch {
            return Ok(found);
        }
        match self.fetch().await {
            Ok(by_kid) => {
                let mut keys = self
                    .keys
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                keys.by_kid = by_kid;
                keys.fetched = Some(Instant::now());
                Ok(keys.by_kid.get(kid).cloned())
            }
            // A stale set still verifies while the identity service is unreachable.
            Err(_) if found.is_some() => Ok(found),
            Err(e) => Err(e),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Keys> {
        self.keys
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The key, and whether the set is stale (or was never fetched).
    fn lookup(&self, kid: &str) -> (Option<Arc<PublicKey>>, bool) {
        let keys = self.read();
        let stale = keys.fetched.is_none_or(|at| at.elapsed() >= self.max_age);
        (keys.by_kid.get(kid).cloned(), stale)
    }

    async fn fetch(&self) -> Result<HashMap<String, Arc<PublicKey>>, Error> {
        let resp = http::send(self.http.get(self.url.clone()), &self.url).await?;
        let doc: Value = http::json(resp).await?;
        Ok(doc
            .get("keys")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(PublicKey::from_jwk)
            .map(|(kid, k)| (kid, Arc::new(k)))
            .collect())
    }
}
