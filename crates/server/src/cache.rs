//! A short-lived per-node cache of credentials and their secret hashes, so that issuing a token
//! costs no database read in the common case.
//!
//! The time-to-live (`cluster.credential_cache_ms`, 2 s by default) bounds how long a change
//! made on another node (a deleted secret, a disabled credential) goes unseen here; changes made
//! through this node invalidate the entry at once. Unknown client ids are cached too, so a flood
//! of random ids costs one query per id per TTL; the map is cleared when it grows too large.

use std::sync::Arc;
use std::time::Duration;

use latchkey_core::credentials::{Credential, StoredSecret};
use latchkey_core::ids::ClientId;
use latchkey_core::store::{Store, StoreError};

use crate::ttl::TtlMap;

/// What the cache holds for a client id: the credential and its secrets, or nothing.
pub type AuthRecord = Option<(Credential, Vec<StoredSecret>)>;

/// The cache.
pub struct CredentialCache {
    map: TtlMap<String, Arc<AuthRecord>>,
}

impl CredentialCache {
    /// A cache whose entries live `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            map: TtlMap::new(ttl),
        }
    }

    /// The record for `client_id`, from the cache or the store.
    pub async fn get(
        &self,
        store: &dyn Store,
        client_id: &ClientId,
    ) -> Result<Arc<AuthRecord>, StoreError> {
        if let Some(rec) = self.map.get(client_id.as_str()) {
            return Ok(rec);
        }
        let rec = Arc::new(store.find_credential_for_auth(client_id).await?);
        self.map.insert(client_id.as_str().to_owned(), rec.clone());
        Ok(rec)
    }

    /// Forgets `client_id` (after a change made through this node).
    pub fn invalidate(&self, client_id: &str) {
        self.map.remove(client_id);
    }
}
