//! The shared state of a running server, handed to every handler.

use std::sync::Arc;

use latchkey_core::secret::SecretHasher;
use latchkey_core::store::Store;
use latchkey_core::throttle::Throttle;
use latchkey_core::token::client_credentials::TokenSettings;

use crate::aem::blobs::Blobs;
use crate::aem::cache::AemCache;
use crate::cache::CredentialCache;
use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::signing::SigningKeys;
use crate::usage::UsageRecorder;

/// Everything a handler may need. Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

/// The state itself.
pub struct Inner {
    /// Configuration as loaded.
    pub config: Config,
    /// The issuer (public base URL).
    pub issuer: String,
    /// Storage.
    pub store: Arc<dyn Store>,
    /// Secret hashing with the pepper.
    pub hasher: SecretHasher,
    /// Signing keys.
    pub keys: SigningKeys,
    /// Token settings.
    pub settings: TokenSettings,
    /// Throttling.
    pub throttle: Throttle,
    /// Credential cache.
    pub credentials: CredentialCache,
    /// Coalesced secret usage.
    pub usage: UsageRecorder,
    /// Metrics.
    pub metrics: Metrics,
    /// Clock.
    pub clock: Clock,
    /// What the AEM authorization chain caches.
    pub aem: AemCache,
    /// Asset binaries.
    pub blobs: Blobs,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
