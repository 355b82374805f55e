//! The token-signing keys of a running node, and their rotation (SPEC §1: "generated on first
//! start, persisted, rotated with overlap").
//!
//! At start-up, if no active key exists for the configured algorithm, one is generated, sealed
//! with the master key and inserted; nodes starting at once race safely (the store accepts one
//! active key per algorithm and the losers load the winner's).
//!
//! Afterwards every node runs [`SigningKeys::maintain`] on each maintenance round: it applies
//! the step [`rotation::plan`] says is due (publish the next key, promote it, prune retired
//! keys) with compare-and-set writes, then reloads its [`Keyring`] if the stored keys changed.
//! So a key published by one node is in every node's JWKS and verifier within one round, long
//! before it signs (`tokens.key_publish_ahead_secs`), and a retired key keeps verifying until
//! every token it signed has expired. A key an admin promotes `immediately` is not published
//! ahead; a node meeting one of its tokens before its next round reloads its keys at once
//! ([`SigningKeys::verify`]).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use latchkey_core::audit::{Actor, AuditAction};
use latchkey_core::ids::OrgId;
use latchkey_core::keys::rotation::{self, RotationPolicy, Step};
use latchkey_core::keys::signer::SigningKey;
use latchkey_core::keys::vault::MasterKey;
use latchkey_core::keys::{KeyState, SigningAlg, StoredKey};
use latchkey_core::store::{Store, StoreError};
use latchkey_core::time::UnixMillis;
use latchkey_core::token::claims::AccessTokenClaims;
use latchkey_core::token::verify::VerifyError;
use latchkey_proto::keys::{SigningKeyBody, SigningKeyList};

use crate::keyring::Keyring;

/// Why a key operation failed.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A key could not be generated, sealed or opened.
    #[error("{0}")]
    Crypto(String),
}

/// The node's signing keys: the current [`Keyring`], swapped when the stored keys change.
pub struct SigningKeys {
    master: MasterKey,
    alg: SigningAlg,
    issuer: String,
    audience: String,
    policy: RotationPolicy,
    current: RwLock<Arc<Keyring>>,
    /// The installation's initial organization: its admins manage the keys, and its audit log
    /// records every key change.
    installation_org: OnceLock<OrgId>,
    /// When a token with an unknown `kid` last made this node reload its keys (ms).
    unknown_kid_reload_at: AtomicI64,
}

/// How often a token signed by an unknown key may make a node reload its keys.
const UNKNOWN_KID_COOLDOWN_MS: i64 = 1000;

impl SigningKeys {
    /// Loads the keys, creating the active key for `alg` if none is stored.
    pub async fn load(
        store: &dyn Store,
        master: MasterKey,
        alg: SigningAlg,
        issuer: &str,
        audience: &str,
        policy: RotationPolicy,
        now: UnixMillis,
    ) -> Result<Self, KeysError> {
        let mut stored = store.list_signing_keys().await?;
        if rotation::active_and_next(&stored, alg).0.is_none() {
            let row = generate(&master, alg, KeyState::Active, now)?;
            if store.insert_signing_key(&row, None).await? {
                tracing::info!(
                    kid = row.kid,
                    alg = alg.as_str(),
                    "generated a new signing key"
                );
            }
            stored = store.list_signing_keys().await?;
        }
        let ring = Keyring::build(&stored, &master, alg, issuer, audience, now)
            .map_err(KeysError::Crypto)?;
        Ok(Self {
            master,
            alg,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            policy,
            current: RwLock::new(Arc::new(ring)),
            installation_org: OnceLock::new(),
            unknown_kid_reload_at: AtomicI64::new(i64::MIN),
        })
    }

    /// The keyring to sign and verify with now. Take it once per request.
    pub fn current(&self) -> Arc<Keyring> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Verifies an access token. A token signed by a key this node does not know yet (another
    /// node promoted a key with `immediately` since this node's last round) makes it reload
    /// its keys once and try again; at most once a second, so unknown kids cannot be used to
    /// load the database.
    pub async fn verify(
        &self,
        store: &dyn Store,
        token: &str,
        now: UnixMillis,
    ) -> Result<AccessTokenClaims, VerifyError> {
        match self.current().verifier.verify(token, now) {
            Err(VerifyError::UnknownKey) if self.may_reload_for_unknown_kid(now) => {
                if let Err(e) = self.reload(store, now).await {
                    tracing::warn!(error = %e, "could not reload the signing keys");
                }
                self.current().verifier.verify(token, now)
            }
            verified => verified,
        }
    }

    fn may_reload_for_unknown_kid(&self, now: UnixMillis) -> bool {
        let last = self.unknown_kid_reload_at.load(Ordering::Relaxed);
        now.0.saturating_sub(last) >= UNKNOWN_KID_COOLDOWN_MS
            && self
                .unknown_kid_reload_at
                .compare_exchange(last, now.0, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
    }

    /// Names the installation's initial organization.
    pub fn set_installation_org(&self, org: OrgId) {
        let _ = self.installation_org.set(org);
    }

    /// The installation's initial organization, once known.
    pub fn installation_org(&self) -> Option<&OrgId> {
        self.installation_org.get()
    }

    /// One maintenance round: applies the rotation step due at `now`, if any, and reloads.
    pub async fn maintain(&self, store: &dyn Store, now: UnixMillis) -> Result<(), KeysError> {
        let stored = store.list_signing_keys().await?;
        let step = rotation::plan(&stored, self.alg, now, &self.policy);
        let changed = match step {
            None => false,
            Some(Step::PublishNext) => self.publish_next(store, &Actor::system(), now).await?,
            Some(Step::Promote {
                next,
                active,
                until,
            }) => {
                self.promote(store, &Actor::system(), &next, &active, until, now)
                    .await?
            }
            Some(Step::Prune) => {
                let n = store.delete_unpublished_keys(now).await?;
                tracing::info!(
                    deleted = n,
                    "deleted retired signing keys no longer published"
                );
                n > 0
            }
        };
        if changed {
            self.reload(store, now).await
        } else {
            self.refresh(&stored, now)
        }
    }

    /// An admin's rotation: publishes the next key now if there is none; with `immediately`,
    /// promotes it at once instead of after `publish_ahead`.
    pub async fn rotate(
        &self,
        store: &dyn Store,
        actor: &Actor,
        immediately: bool,
        now: UnixMillis,
    ) -> Result<(), KeysError> {
        let stored = store.list_signing_keys().await?;
        if rotation::active_and_next(&stored, self.alg).1.is_none() {
            self.publish_next(store, actor, now).await?;
        }
        if immediately {
            let stored = store.list_signing_keys().await?;
            if let (Some(active), Some(next)) = rotation::active_and_next(&stored, self.alg) {
                let until = UnixMillis(now.0.saturating_add(self.policy.retire_publish_ms));
                self.promote(store, actor, &next.kid, &active.kid, until, now)
                    .await?;
            }
        }
        self.reload(store, now).await
    }

    /// The stored keys, as the console lists them.
    pub async fn list(&self, store: &dyn Store) -> Result<SigningKeyList, KeysError> {
        let stored = store.list_signing_keys().await?;
        let keys = stored
            .iter()
            .map(|k| SigningKeyBody {
                kid: k.kid.clone(),
                alg: k.alg.as_str().to_owned(),
                state: k.state.as_str().to_owned(),
                created_at: k.created_at.0,
                signs_from: (k.state == KeyState::Next)
                    .then(|| rotation::promote_at(k, &self.policy).0),
                publish_until: k.publish_until.map(|t| t.0),
            })
            .collect();
        Ok(SigningKeyList {
            keys,
            signing_alg: self.alg.as_str().to_owned(),
            rotation_days: self
                .policy
                .rotate_after_ms
                .map(|ms| u64::try_from(ms / 86_400_000).unwrap_or(0)),
            publish_ahead_secs: u64::try_from(self.policy.publish_ahead_ms / 1000).unwrap_or(0),
        })
    }

    async fn publish_next(
        &self,
        store: &dyn Store,
        actor: &Actor,
        now: UnixMillis,
    ) -> Result<bool, KeysError> {
        let row = generate(&self.master, self.alg, KeyState::Next, now)?;
        let signs_from = UnixMillis(now.0.saturating_add(self.policy.publish_ahead_ms));
        let entry = actor.entry(
            now,
            self.installation_org.get(),
            AuditAction::SigningKeyPublished,
            format!("signing_key:{}", row.kid),
            serde_json::json!({ "alg": self.alg.as_str(), "signs_from": signs_from.0 }),
        );
        let inserted = store.insert_signing_key(&row, Some(&entry)).await?;
        if inserted {
            tracing::info!(
                kid = row.kid,
                alg = self.alg.as_str(),
                signs_from = signs_from.0,
                "published the next signing key"
            );
        }
        Ok(inserted)
    }

    async fn promote(
        &self,
        store: &dyn Store,
        actor: &Actor,
        next: &str,
        active: &str,
        until: UnixMillis,
        now: UnixMillis,
    ) -> Result<bool, KeysError> {
        let entry = actor.entry(
            now,
            self.installation_org.get(),
            AuditAction::SigningKeyActivated,
            format!("signing_key:{next}"),
            serde_json::json!({ "retired": active, "retired_published_until": until.0 }),
        );
        let done = store
            .promote_signing_key(next, active, until, &entry)
            .await?;
        if done {
            tracing::info!(
                kid = next,
                retired = active,
                "the next signing key now signs"
            );
        }
        Ok(done)
    }

    async fn reload(&self, store: &dyn Store, now: UnixMillis) -> Result<(), KeysError> {
        let stored = store.list_signing_keys().await?;
        self.refresh(&stored, now)
    }

    /// Swaps in a keyring built from `stored` unless the current one already matches it.
    fn refresh(&self, stored: &[StoredKey], now: UnixMillis) -> Result<(), KeysError> {
        if self.current().is_current(stored, self.alg, now) {
            return Ok(());
        }
        let ring = Keyring::build(
            stored,
            &self.master,
            self.alg,
            &self.issuer,
            &self.audience,
            now,
        )
        .map_err(KeysError::Crypto)?;
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(ring);
        Ok(())
    }
}

/// A new key for `alg` in `state`, sealed with the master key.
fn generate(
    master: &MasterKey,
    alg: SigningAlg,
    state: KeyState,
    now: UnixMillis,
) -> Result<StoredKey, KeysError> {
    let (key, der) = SigningKey::generate(alg).map_err(|e| KeysError::Crypto(e.to_string()))?;
    let sealed = master
        .seal(key.kid().as_bytes(), &der)
        .map_err(|e| KeysError::Crypto(e.to_string()))?;
    Ok(StoredKey {
        kid: key.kid().to_owned(),
        alg,
        state,
        sealed_private_key: sealed,
        public_jwk: key.public_jwk().to_string(),
        created_at: now,
        publish_until: None,
    })
}
