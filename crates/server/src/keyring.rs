//! The signing keys of a running server: the active key for the configured algorithm (parsed
//! once), a verifier over every published key, and the JWKS document, pre-serialized.
//!
//! At start-up, if no active key exists for the configured algorithm, one is generated, sealed
//! with the master key and inserted. Several nodes starting at once race safely: the store
//! accepts one active key per algorithm and the losers load the winner's.

use latchkey_core::keys::signer::SigningKey;
use latchkey_core::keys::vault::MasterKey;
use latchkey_core::keys::verifier::VerifyingKey;
use latchkey_core::keys::{JwkSet, KeyState, SigningAlg, StoredKey};
use latchkey_core::store::Store;
use latchkey_core::time::UnixMillis;
use latchkey_core::token::verify::TokenVerifier;

use crate::startup::StartError;

/// Keys in use.
#[derive(Debug)]
pub struct Keyring {
    /// Signs new tokens.
    pub active: SigningKey,
    /// Verifies tokens signed by any published key.
    pub verifier: TokenVerifier,
    /// The JWKS document, serialized.
    pub jwks_json: String,
}

impl Keyring {
    /// Loads the keys, creating the active key for `alg` if needed.
    pub async fn load(
        store: &dyn Store,
        master: &MasterKey,
        alg: SigningAlg,
        issuer: &str,
        audience: &str,
        now: UnixMillis,
    ) -> Result<Self, StartError> {
        let mut stored = store.list_signing_keys().await.map_err(StartError::store)?;
        if !stored
            .iter()
            .any(|k| k.alg == alg && k.state == KeyState::Active)
        {
            let (key, der) =
                SigningKey::generate(alg).map_err(|e| StartError::Keys(e.to_string()))?;
            let sealed = master
                .seal(key.kid().as_bytes(), &der)
                .map_err(|e| StartError::Keys(e.to_string()))?;
            let row = StoredKey {
                kid: key.kid().to_owned(),
                alg,
                state: KeyState::Active,
                sealed_private_key: sealed,
                public_jwk: key.public_jwk().to_string(),
                created_at: now,
                publish_until: None,
            };
            let inserted = store
                .insert_signing_key(&row)
                .await
                .map_err(StartError::store)?;
            if inserted {
                tracing::info!(
                    kid = key.kid(),
                    alg = alg.as_str(),
                    "generated a new signing key"
                );
            }
            stored = store.list_signing_keys().await.map_err(StartError::store)?;
        }
        let row = stored
            .iter()
            .find(|k| k.alg == alg && k.state == KeyState::Active)
            .ok_or_else(|| StartError::Keys("no active signing key after creating one".into()))?;
        let der = master
            .open(row.kid.as_bytes(), &row.sealed_private_key)
            .map_err(|e| StartError::Keys(e.to_string()))?;
        let active =
            SigningKey::from_pkcs8(alg, &der).map_err(|e| StartError::Keys(e.to_string()))?;
        let jwks = JwkSet::published(&stored, now).map_err(|e| StartError::Keys(e.to_string()))?;
        let verifiers = jwks
            .keys
            .iter()
            .filter_map(VerifyingKey::from_jwk)
            .collect();
        let jwks_json =
            serde_json::to_string(&jwks).map_err(|e| StartError::Keys(e.to_string()))?;
        Ok(Self {
            active,
            verifier: TokenVerifier::new(verifiers, issuer.to_owned(), audience.to_owned()),
            jwks_json,
        })
    }
}
