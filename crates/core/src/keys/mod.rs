//! Signing keys: algorithms, lifecycle states, storage form, and the JWKS document.
//!
//! - [`signer`]: a private key parsed once and kept in memory (re-parsing per token costs more
//!   than signing: rust-stack.md §3.3), with its pre-encoded JWT header.
//! - [`verifier`]: a public key rebuilt from its JWK, with exactly one algorithm (RFC 8725 §3.1).
//! - [`rotation`]: which lifecycle step is due, as a pure function of the stored keys and the time.
//! - [`vault`]: the master key: it derives the secret-hash pepper and seals private keys at rest,
//!   so a copy of the database alone can neither forge tokens nor test secret guesses.
//!
//! Lifecycle (SPEC §1): a key is `Next` (published, not yet signing), `Active` (signing; one per
//! algorithm), then `Retired` (published until every token it signed has expired).

pub mod rotation;
pub mod signer;
pub mod vault;
pub mod verifier;

use serde::Serialize;

use crate::time::UnixMillis;

/// A JWS algorithm Latchkey signs access tokens with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SigningAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256, RSA-2048 (the default; RFC 9068 §2.1 requires it).
    Rs256,
    /// ECDSA P-256 with SHA-256.
    Es256,
    /// Ed25519.
    EdDsa,
}

impl SigningAlg {
    /// The JOSE name.
    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::Rs256 => "RS256",
            SigningAlg::Es256 => "ES256",
            SigningAlg::EdDsa => "EdDSA",
        }
    }

    /// Parses a JOSE name (exact, case-sensitive as RFC 7515 requires).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "RS256" => Some(SigningAlg::Rs256),
            "ES256" => Some(SigningAlg::Es256),
            "EdDSA" => Some(SigningAlg::EdDsa),
            _ => None,
        }
    }
}

/// Where a key is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// Published in the JWKS, not yet used to sign.
    Next,
    /// Signs new tokens.
    Active,
    /// No longer signs; published until its tokens expire.
    Retired,
}

impl KeyState {
    /// Stable storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Next => "next",
            KeyState::Active => "active",
            KeyState::Retired => "retired",
        }
    }

    /// Parses the storage name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "next" => Some(KeyState::Next),
            "active" => Some(KeyState::Active),
            "retired" => Some(KeyState::Retired),
            _ => None,
        }
    }
}

/// A key as stored: the private part sealed by the [`vault::MasterKey`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// Key id (RFC 7638 thumbprint of the public key).
    pub kid: String,
    /// Algorithm.
    pub alg: SigningAlg,
    /// Lifecycle state.
    pub state: KeyState,
    /// PKCS#8 private key, sealed (nonce ‖ AES-256-GCM ciphertext ‖ tag).
    pub sealed_private_key: Vec<u8>,
    /// The public JWK, as JSON text.
    pub public_jwk: String,
    /// Creation time.
    pub created_at: UnixMillis,
    /// When the key stops being published, if retired.
    pub publish_until: Option<UnixMillis>,
}

impl StoredKey {
    /// Whether the key is in the JWKS at `now`: until its `publish_until`, if it has one.
    pub fn is_published(&self, now: UnixMillis) -> bool {
        self.publish_until.is_none_or(|until| until >= now)
    }
}

/// The JWKS document (RFC 7517 §5): public keys only.
#[derive(Debug, Clone, Serialize)]
pub struct JwkSet {
    /// The published keys.
    pub keys: Vec<serde_json::Value>,
}

impl JwkSet {
    /// Builds the document from stored keys that are still published at `now`.
    pub fn published(keys: &[StoredKey], now: UnixMillis) -> Result<Self, serde_json::Error> {
        let mut out = Vec::new();
        for k in keys.iter().filter(|k| k.is_published(now)) {
            out.push(serde_json::from_str(&k.public_jwk)?);
        }
        Ok(Self { keys: out })
    }
}
