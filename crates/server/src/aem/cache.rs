//! What the authorization chain reads, cached per node: environments, parsed `api.yaml` files,
//! ACLs, each credential's profiles, token revocation status and the users known to exist.
//!
//! Entries live `cluster.credential_cache_ms` (2 s by default), which bounds how long a change
//! made on another node goes unseen here (SPEC §5 asks for 5 s). Changes made through this
//! node clear the caches at once (the console router calls [`AemCache::clear`] after every
//! successful change, and revocation forgets the token).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use latchkey_core::aem::acl::AclEntry;
use latchkey_core::aem::allowlist::{ApiConfig, parse_api_yaml};
use latchkey_core::products::{Product, ProductProfile, Tier};
use latchkey_core::store::{Store, StoreError};

use crate::ttl::TtlMap;

/// A deployed `api.yaml` as the chain sees it.
#[derive(Debug, Clone)]
pub enum Deployed {
    /// None deployed.
    Nothing,
    /// A valid file.
    Valid(Arc<ApiConfig>),
    /// The stored file no longer parses (written by another version); treated as no file.
    Unreadable(String),
}

/// The caches.
pub struct AemCache {
    environments: TtlMap<(i64, i64), Arc<Vec<Product>>>,
    all_products: TtlMap<(), Arc<Vec<Product>>>,
    configs: TtlMap<i64, Deployed>,
    acls: TtlMap<i64, Arc<Vec<AclEntry>>>,
    profiles: TtlMap<i64, Arc<Vec<ProductProfile>>>,
    revoked: TtlMap<String, bool>,
    users: Mutex<HashSet<(i64, Tier, String)>>,
}

impl AemCache {
    /// Caches whose entries live `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            environments: TtlMap::new(ttl),
            all_products: TtlMap::new(ttl),
            configs: TtlMap::new(ttl),
            acls: TtlMap::new(ttl),
            profiles: TtlMap::new(ttl),
            revoked: TtlMap::new(ttl),
            users: Mutex::new(HashSet::new()),
        }
    }

    /// Forgets everything but the known users (users are never deleted).
    pub fn clear(&self) {
        self.environments.clear();
        self.all_products.clear();
        self.configs.clear();
        self.acls.clear();
        self.profiles.clear();
        self.revoked.clear();
    }

    /// Forgets the revocation status of one token.
    pub fn forget_token(&self, jti: &str) {
        self.revoked.remove(jti);
    }

    /// Products with this program and environment id.
    pub async fn environment(
        &self,
        store: &dyn Store,
        program: i64,
        environment: i64,
    ) -> Result<Arc<Vec<Product>>, StoreError> {
        if let Some(found) = self.environments.get(&(program, environment)) {
            return Ok(found);
        }
        let found = Arc::new(
            store
                .find_products_by_environment(program, environment)
                .await?,
        );
        self.environments
            .insert((program, environment), found.clone());
        Ok(found)
    }

    /// Every product of every organization.
    pub async fn all_products(&self, store: &dyn Store) -> Result<Arc<Vec<Product>>, StoreError> {
        if let Some(found) = self.all_products.get(&()) {
            return Ok(found);
        }
        let mut all = Vec::new();
        for org in store.list_organizations().await? {
            all.extend(store.list_products(&org.id).await?);
        }
        let all = Arc::new(all);
        self.all_products.insert((), all.clone());
        Ok(all)
    }

    /// The environment's deployed `api.yaml`.
    pub async fn config(&self, store: &dyn Store, product_id: i64) -> Result<Deployed, StoreError> {
        if let Some(found) = self.configs.get(&product_id) {
            return Ok(found);
        }
        let found = match store.get_api_config(product_id).await? {
            None => Deployed::Nothing,
            Some(stored) => match parse_api_yaml(&stored.source) {
                Ok(c) => Deployed::Valid(Arc::new(c)),
                Err(e) => {
                    tracing::error!(product_id, error = %e, "stored api.yaml does not parse");
                    Deployed::Unreadable(e.to_string())
                }
            },
        };
        self.configs.insert(product_id, found.clone());
        Ok(found)
    }

    /// The environment's grants.
    pub async fn acls(
        &self,
        store: &dyn Store,
        product_id: i64,
    ) -> Result<Arc<Vec<AclEntry>>, StoreError> {
        if let Some(found) = self.acls.get(&product_id) {
            return Ok(found);
        }
        let found = Arc::new(store.list_acls(product_id).await?);
        self.acls.insert(product_id, found.clone());
        Ok(found)
    }

    /// The profiles a credential is assigned to.
    pub async fn profiles(
        &self,
        store: &dyn Store,
        credential_id: i64,
    ) -> Result<Arc<Vec<ProductProfile>>, StoreError> {
        if let Some(found) = self.profiles.get(&credential_id) {
            return Ok(found);
        }
        let found = Arc::new(store.credential_profiles(credential_id).await?);
        self.profiles.insert(credential_id, found.clone());
        Ok(found)
    }

    /// Whether the token `jti` was revoked.
    pub async fn is_revoked(&self, store: &dyn Store, jti: &str) -> Result<bool, StoreError> {
        if let Some(found) = self.revoked.get(jti) {
            return Ok(found);
        }
        let found = store.is_token_revoked(jti).await?;
        self.revoked.insert(jti.to_owned(), found);
        Ok(found)
    }

    /// Whether this node has seen the user exist.
    pub fn user_known(&self, product_id: i64, tier: Tier, technical_account: &str) -> bool {
        self.users
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&(product_id, tier, technical_account.to_owned()))
    }

    /// Remembers that the user exists.
    pub fn remember_user(&self, product_id: i64, tier: Tier, technical_account: &str) {
        let mut users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        if users.len() >= 100_000 {
            users.clear();
        }
        users.insert((product_id, tier, technical_account.to_owned()));
    }
}
