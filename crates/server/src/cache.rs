//! A short-lived per-node cache of credentials and their secret hashes, so that issuing a token
//! costs no database read in the common case.
//!
//! The time-to-live (`cluster.credential_cache_ms`, 2 s by default) bounds how long a change
//! made on another node (a deleted secret, a disabled credential) goes unseen here; changes made
//! through this node invalidate the entry at once. Unknown client ids are cached too, so a flood
//! of random ids costs one query per id per TTL; the map is cleared when it grows too large.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use latchkey_core::credentials::{Credential, StoredSecret};
use latchkey_core::ids::ClientId;
use latchkey_core::store::{Store, StoreError};

/// What the cache holds for a client id: the credential and its secrets, or nothing.
pub type AuthRecord = Option<(Credential, Vec<StoredSecret>)>;

const MAX_ENTRIES: usize = 100_000;

/// The cache.
pub struct CredentialCache {
    ttl: Duration,
    map: RwLock<HashMap<String, (Instant, Arc<AuthRecord>)>>,
}

impl CredentialCache {
    /// A cache whose entries live `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            map: RwLock::new(HashMap::new()),
        }
    }

    /// The record for `client_id`, from the cache or the store.
    pub async fn get(
        &self,
        store: &dyn Store,
        client_id: &ClientId,
    ) -> Result<Arc<AuthRecord>, StoreError> {
        if !self.ttl.is_zero() {
            let map = self.map.read().unwrap_or_else(|p| p.into_inner());
            if let Some((at, rec)) = map.get(client_id.as_str())
                && at.elapsed() < self.ttl
            {
                return Ok(rec.clone());
            }
        }
        let rec = Arc::new(store.find_credential_for_auth(client_id).await?);
        if !self.ttl.is_zero() {
            let mut map = self.map.write().unwrap_or_else(|p| p.into_inner());
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(client_id.as_str().to_owned(), (Instant::now(), rec.clone()));
        }
        Ok(rec)
    }

    /// Forgets `client_id` (after a change made through this node).
    pub fn invalidate(&self, client_id: &str) {
        self.map
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(client_id);
    }
}
