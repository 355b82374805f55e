//! The signing keys one node uses at a given moment: the active key for the configured
//! algorithm (parsed once), a verifier over every published key, and the JWKS document,
//! pre-serialized. A [`Keyring`] never changes; [`crate::signing::SigningKeys`] swaps in a new
//! one when the stored keys change (rotation).

use latchkey_core::keys::signer::SigningKey;
use latchkey_core::keys::vault::MasterKey;
use latchkey_core::keys::verifier::VerifyingKey;
use latchkey_core::keys::{JwkSet, KeyState, SigningAlg, StoredKey};
use latchkey_core::time::UnixMillis;
use latchkey_core::token::verify::TokenVerifier;

/// Keys in use.
#[derive(Debug)]
pub struct Keyring {
    /// Signs new tokens.
    pub active: SigningKey,
    /// Verifies tokens signed by any published key.
    pub verifier: TokenVerifier,
    /// The JWKS document, serialized.
    pub jwks_json: String,
    /// The kids in the JWKS, in order: with the active kid, what [`Keyring::is_current`] compares.
    published: Vec<String>,
}

impl Keyring {
    /// Builds the keyring from the stored keys: the active key of `alg` signs, every key
    /// published at `now` verifies.
    pub fn build(
        stored: &[StoredKey],
        master: &MasterKey,
        alg: SigningAlg,
        issuer: &str,
        audience: &str,
        now: UnixMillis,
    ) -> Result<Self, String> {
        let row = active_of(stored, alg)
            .ok_or_else(|| format!("no active {} signing key is stored", alg.as_str()))?;
        let der = master
            .open(row.kid.as_bytes(), &row.sealed_private_key)
            .map_err(|e| format!("signing key {}: {e}", row.kid))?;
        let active = SigningKey::from_pkcs8(alg, &der)
            .map_err(|e| format!("signing key {}: {e}", row.kid))?;
        let jwks = JwkSet::published(stored, now).map_err(|e| e.to_string())?;
        let verifiers = jwks
            .keys
            .iter()
            .filter_map(VerifyingKey::from_jwk)
            .collect();
        let jwks_json = serde_json::to_string(&jwks).map_err(|e| e.to_string())?;
        Ok(Self {
            active,
            verifier: TokenVerifier::new(verifiers, issuer.to_owned(), audience.to_owned()),
            jwks_json,
            published: published_kids(stored, now),
        })
    }

    /// Whether this keyring already reflects `stored` at `now` (same active key, same
    /// published set), so that nothing needs rebuilding.
    pub fn is_current(&self, stored: &[StoredKey], alg: SigningAlg, now: UnixMillis) -> bool {
        active_of(stored, alg).is_some_and(|k| k.kid == self.active.kid())
            && self.published == published_kids(stored, now)
    }
}

fn active_of(stored: &[StoredKey], alg: SigningAlg) -> Option<&StoredKey> {
    stored
        .iter()
        .find(|k| k.alg == alg && k.state == KeyState::Active)
}

fn published_kids(stored: &[StoredKey], now: UnixMillis) -> Vec<String> {
    stored
        .iter()
        .filter(|k| k.is_published(now))
        .map(|k| k.kid.clone())
        .collect()
}
