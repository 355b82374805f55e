//! Client secrets: generation, the plaintext type that never prints, and the peppered hash that
//! is the only form ever stored.
//!
//! Secrets carry 256 random bits (RFC 6749 §10.10 asks for at least 128), so a keyed fast hash is
//! the right storage: a slow password hash would only cap token throughput (rust-stack.md §3.1).
//! The hash is HMAC-SHA256 keyed with a server-side pepper that never enters the database, and
//! verification uses aws-lc-rs' constant-time `hmac::verify`.

use std::fmt;

use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::ids::{RandomnessUnavailable, random_bytes};

/// Prefix of generated secrets, as on Adobe's (`p8e-...`); it also helps secret scanners.
pub const SECRET_PREFIX: &str = "p8e-";

/// Longest secret a client may present; anything longer cannot be one of ours.
pub const MAX_SECRET_LEN: usize = 256;

/// A client secret in plaintext. `Debug` prints `[redacted]`, there is no `Display` and no
/// `Serialize`, and the bytes are wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// A fresh secret: `p8e-` followed by 256 random bits in URL-safe base64.
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        let mut raw = [0u8; 32];
        random_bytes(&mut raw)?;
        let s = format!("{SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode(raw));
        raw.zeroize();
        Ok(Self(s))
    }

    /// Wraps a secret presented by a client (or read from a config file).
    pub fn from_presented(s: String) -> Self {
        Self(s)
    }

    /// The plaintext. Call only to hash it, or to show it once to its owner.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret([redacted])")
    }
}

/// The stored form of a secret: HMAC-SHA256(pepper, secret).
#[derive(Clone, PartialEq, Eq)]
pub struct SecretHash(pub Vec<u8>);

impl fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretHash([redacted])")
    }
}

/// Hashes and verifies secrets with the server's pepper.
#[derive(Clone)]
pub struct SecretHasher {
    key: hmac::Key,
}

impl fmt::Debug for SecretHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretHasher([redacted])")
    }
}

impl SecretHasher {
    /// A hasher keyed with `pepper` (derived from the server's master key).
    pub fn new(pepper: &[u8]) -> Self {
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, pepper),
        }
    }

    /// The stored form of `secret`.
    pub fn hash(&self, secret: &ClientSecret) -> SecretHash {
        SecretHash(
            hmac::sign(&self.key, secret.expose().as_bytes())
                .as_ref()
                .to_vec(),
        )
    }

    /// Whether `secret` matches `stored`, compared in constant time.
    pub fn verify(&self, secret: &ClientSecret, stored: &SecretHash) -> bool {
        hmac::verify(&self.key, secret.expose().as_bytes(), &stored.0).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn secrets_are_long_url_safe_and_unique() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let s = ClientSecret::generate().unwrap();
            let body = s.expose().strip_prefix(SECRET_PREFIX).unwrap();
            assert_eq!(body.len(), 43, "256 bits in base64url");
            assert!(
                body.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
            assert!(seen.insert(s.expose().to_owned()));
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let s = ClientSecret::generate().unwrap();
        assert!(!format!("{s:?}").contains(s.expose()));
        let h = SecretHasher::new(b"pepper").hash(&s);
        assert_eq!(format!("{h:?}"), "SecretHash([redacted])");
    }

    #[test]
    fn verify_matches_only_the_same_secret_and_pepper() {
        let a = ClientSecret::generate().unwrap();
        let b = ClientSecret::generate().unwrap();
        let hasher = SecretHasher::new(b"pepper-1");
        let stored = hasher.hash(&a);
        assert!(hasher.verify(&a, &stored));
        assert!(!hasher.verify(&b, &stored));
        assert!(!SecretHasher::new(b"pepper-2").verify(&a, &stored));
    }
}
