//! The storage ports of the AEM side. `latchkey-store` implements them for SQLite and
//! PostgreSQL; the conformance suite holds both to the contract written on each call.

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::aem::acl::{AclEntry, NewAcl};
use crate::aem::dam::DamNode;
use crate::aem::dam_path::DamPath;
use crate::aem::users::{AemUser, NewAemUser};
use crate::audit::AuditEntry;
use crate::products::{Product, Tier};
use crate::store::StoreError;
use crate::time::UnixMillis;

/// An `api.yaml` as deployed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredApiConfig {
    /// The environment.
    pub product_id: i64,
    /// The file as deployed (it was valid when deployed).
    pub source: String,
    /// When.
    pub deployed_at: UnixMillis,
    /// By whom (client id or `system`).
    pub deployed_by: String,
}

/// Allowlists, technical-account users and ACLs.
#[async_trait]
pub trait AemStore: Send + Sync {
    /// Products with this program and environment id, in any organization.
    async fn find_products_by_environment(
        &self,
        program_id: i64,
        environment_id: i64,
    ) -> Result<Vec<Product>, StoreError>;
    /// Stores `config` as the environment's `api.yaml`, replacing any earlier one.
    /// `NotFound` if the product does not exist.
    async fn deploy_api_config(
        &self,
        config: &StoredApiConfig,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// The environment's `api.yaml`, if one was deployed.
    async fn get_api_config(&self, product_id: i64) -> Result<Option<StoredApiConfig>, StoreError>;
    /// Removes the environment's `api.yaml`; `NotFound` if none was deployed.
    async fn delete_api_config(
        &self,
        product_id: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// The user of `new`'s environment, tier and technical account, created if absent; `true`
    /// when this call created it. Exactly one user exists however many calls race, and the
    /// audit entry is written only by the call that created it.
    async fn ensure_aem_user(
        &self,
        new: &NewAemUser,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<(AemUser, bool), StoreError>;
    /// Users of an environment (all tiers when `tier` is `None`), oldest first.
    async fn list_aem_users(
        &self,
        product_id: i64,
        tier: Option<Tier>,
    ) -> Result<Vec<AemUser>, StoreError>;
    /// Adds a grant; `NotFound` if the product does not exist.
    async fn add_acl(
        &self,
        new: &NewAcl,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<AclEntry, StoreError>;
    /// Grants of an environment (all tiers), oldest first.
    async fn list_acls(&self, product_id: i64) -> Result<Vec<AclEntry>, StoreError>;
    /// Removes a grant of `product_id`; `NotFound` if there is none with that id there.
    async fn delete_acl(
        &self,
        product_id: i64,
        id: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
}

/// Where a DAM call applies: one environment's tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repo {
    /// The environment.
    pub product_id: i64,
    /// The tier.
    pub tier: Tier,
}

/// The DAM: folders and assets.
#[async_trait]
pub trait DamStore: Send + Sync {
    /// Creates a node. `Conflict` if its path exists; `NotFound` if its parent is neither the
    /// DAM root nor an existing folder (checked in the same transaction).
    async fn create_dam_node(&self, node: &DamNode) -> Result<(), StoreError>;
    /// A node by UUID.
    async fn get_dam_node(&self, repo: Repo, uuid: &str) -> Result<Option<DamNode>, StoreError>;
    /// A node by path.
    async fn get_dam_node_by_path(
        &self,
        repo: Repo,
        path: &DamPath,
    ) -> Result<Option<DamNode>, StoreError>;
    /// Children of `parent`, ordered by path, starting after the path `after`, at most `limit`.
    async fn list_dam_children(
        &self,
        repo: Repo,
        parent: &DamPath,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<DamNode>, StoreError>;
    /// Replaces an asset's metadata if its version is still `expected_version` (optimistic
    /// concurrency); returns the node as changed. `NotFound` if it is gone, `Conflict` if its
    /// version moved on.
    async fn update_dam_metadata(
        &self,
        repo: Repo,
        uuid: &str,
        expected_version: i64,
        metadata: &Map<String, Value>,
        now: UnixMillis,
        by: &str,
    ) -> Result<DamNode, StoreError>;
    /// Deletes `path` and everything below it in one transaction; returns the blob keys of the
    /// deleted assets (for the caller to remove afterwards). `NotFound` if `path` does not exist.
    async fn delete_dam_subtree(
        &self,
        repo: Repo,
        path: &DamPath,
    ) -> Result<Vec<String>, StoreError>;
}
