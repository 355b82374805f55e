//! The storage ports the domain needs. `latchkey-store` implements them once for SQLite and
//! PostgreSQL (through one SQL code path), and its conformance suite holds both to this contract.
//!
//! Contract points every implementation must keep:
//! - Each mutating call is one transaction: it happens completely or not at all, so a crash at
//!   any moment leaves either the old or the new state (security T-71/T-72).
//! - [`SecretStore::add_secret`] and [`SecretStore::delete_secret`] are race-free under
//!   concurrency: a credential never holds more than `max` secrets and never zero.
//! - Every mutating call that takes an [`AuditEntry`] writes it in the same transaction.
//! - [`KeyStore::insert_signing_key`] never creates a second active (or next) key for one
//!   algorithm, even when several nodes start at once; [`KeyStore::promote_signing_key`] is a
//!   compare-and-set.

use async_trait::async_trait;

use crate::aem::store::{AemStore, DamStore};
use crate::audit::{AuditEntry, AuditFilter, AuditRecord};
use crate::credentials::{
    Credential, NewCredential, Organization, Project, SecretUsage, StoredSecret,
};
use crate::ids::{ClientId, OrgId};
use crate::keys::StoredKey;
use crate::products::{NewProduct, NewProfile, Product, ProductProfile};
use crate::secret::SecretHash;
use crate::service_account::Certificate;
use crate::time::UnixMillis;

/// Storage failures, as the domain sees them.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The addressed record does not exist.
    #[error("not found")]
    NotFound,
    /// A unique value (client id, organization id, ...) is taken.
    #[error("already exists: {0}")]
    Conflict(String),
    /// The credential already holds the maximum number of secrets.
    #[error("the credential already holds the maximum number of client secrets")]
    SecretLimitReached,
    /// Deleting this secret would leave the credential with none.
    #[error("the last client secret of a credential cannot be deleted")]
    LastSecret,
    /// The change breaks a rule of the domain (a limit, an order of steps); the text says which
    /// and what to do, and is fit to show to the caller.
    #[error("refused: {0}")]
    Refused(String),
    /// The database could not be reached or failed; the detail is for logs only.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Stored data could not be decoded; the detail is for logs only.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// Organizations and projects.
#[async_trait]
pub trait OrgStore: Send + Sync {
    /// Creates an organization; `Conflict` if the id exists.
    async fn create_organization(
        &self,
        org: &Organization,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// One organization.
    async fn get_organization(&self, id: &OrgId) -> Result<Option<Organization>, StoreError>;
    /// All organizations, oldest first.
    async fn list_organizations(&self) -> Result<Vec<Organization>, StoreError>;
    /// Creates a project in an existing organization.
    async fn create_project(
        &self,
        org_id: &OrgId,
        name: &str,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<Project, StoreError>;
    /// One project.
    async fn get_project(&self, id: i64) -> Result<Option<Project>, StoreError>;
    /// Projects of an organization, oldest first.
    async fn list_projects(&self, org_id: &OrgId) -> Result<Vec<Project>, StoreError>;
}

/// Credentials.
#[async_trait]
pub trait CredentialStore: Send + Sync {
    /// Creates a credential together with its first secret, atomically.
    async fn create_credential(
        &self,
        new: &NewCredential,
        first_secret_uuid: &str,
        first_secret_hash: &SecretHash,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<Credential, StoreError>;
    /// One credential by numeric id.
    async fn get_credential(&self, id: i64) -> Result<Option<Credential>, StoreError>;
    /// The credential with this client id and its secrets, for client authentication.
    async fn find_credential_for_auth(
        &self,
        client_id: &ClientId,
    ) -> Result<Option<(Credential, Vec<StoredSecret>)>, StoreError>;
    /// Credentials of an organization, oldest first.
    async fn list_credentials(&self, org_id: &OrgId) -> Result<Vec<Credential>, StoreError>;
    /// Enables or disables a credential.
    async fn set_credential_enabled(
        &self,
        id: i64,
        enabled: bool,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Renames a credential; `NotFound` when absent.
    async fn rename_credential(
        &self,
        id: i64,
        name: &str,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Deletes a credential and its secrets; `NotFound` when absent.
    async fn delete_credential(&self, id: i64, audit: &AuditEntry) -> Result<(), StoreError>;
    /// Refuses every token of the credential issued before `before`. The cut-off only moves
    /// forward: an older value (from a node with a slow clock) never revalidates tokens.
    async fn revoke_credential_tokens(
        &self,
        id: i64,
        before: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
}

/// Client secrets.
#[async_trait]
pub trait SecretStore: Send + Sync {
    /// Secrets of a credential, oldest first (empty for an unknown credential).
    async fn list_secrets(&self, credential_id: i64) -> Result<Vec<StoredSecret>, StoreError>;
    /// Adds a secret; `SecretLimitReached` when the credential already holds `max`, `NotFound`
    /// when the credential does not exist.
    async fn add_secret(
        &self,
        credential_id: i64,
        uuid: &str,
        hash: &SecretHash,
        max: usize,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<StoredSecret, StoreError>;
    /// Deletes a secret; `LastSecret` when it is the only one, `NotFound` when absent.
    async fn delete_secret(
        &self,
        credential_id: i64,
        uuid: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Records a batch of successful uses; a use never moves `last_used_at` backwards and
    /// usages of deleted secrets are ignored.
    async fn record_secret_usage(&self, usages: &[SecretUsage]) -> Result<(), StoreError>;
}

/// Signing keys.
#[async_trait]
pub trait KeyStore: Send + Sync {
    /// Every stored key.
    async fn list_signing_keys(&self) -> Result<Vec<StoredKey>, StoreError>;
    /// Inserts a key, with `audit` in the same transaction. Returns `false` (and stores nothing)
    /// when the key is `Active` or `Next` and the algorithm already has a key in that state.
    async fn insert_signing_key(
        &self,
        key: &StoredKey,
        audit: Option<&AuditEntry>,
    ) -> Result<bool, StoreError>;
    /// In one transaction: `active` becomes `Retired`, published until `until`, and `next`
    /// becomes `Active`. Returns `false` (and changes nothing) unless both were still in those
    /// states, so of several nodes promoting at once exactly one succeeds.
    async fn promote_signing_key(
        &self,
        next: &str,
        active: &str,
        until: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError>;
    /// Deletes the retired keys published only until before `now`; returns how many.
    async fn delete_unpublished_keys(&self, now: UnixMillis) -> Result<u64, StoreError>;
}

/// A revoked access token (RFC 7009), remembered until it would have expired anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedToken {
    /// The token's `jti`.
    pub jti: String,
    /// When the token expires; the row can be purged after that.
    pub expires_at: UnixMillis,
    /// When it was revoked.
    pub revoked_at: UnixMillis,
}

/// Revoked tokens.
#[async_trait]
pub trait RevocationStore: Send + Sync {
    /// Records a revocation (idempotent).
    async fn revoke_token(&self, token: &RevokedToken) -> Result<(), StoreError>;
    /// Whether a token id is revoked.
    async fn is_token_revoked(&self, jti: &str) -> Result<bool, StoreError>;
    /// Revocations recorded at or after `since` (for node caches).
    async fn revocations_since(&self, since: UnixMillis) -> Result<Vec<RevokedToken>, StoreError>;
    /// Drops revocations of tokens that expired before `now`; returns how many.
    async fn purge_expired_revocations(&self, now: UnixMillis) -> Result<u64, StoreError>;
}

/// Small key/value facts about the installation (e.g. the pepper check value).
#[async_trait]
pub trait MetaStore: Send + Sync {
    /// A value.
    async fn get_meta(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Stores `value` unless the key exists; returns the value now stored.
    async fn put_meta_if_absent(&self, key: &str, value: &str) -> Result<String, StoreError>;
}

/// Products, product profiles and credential assignments.
#[async_trait]
pub trait ProductStore: Send + Sync {
    /// Creates a product; `NotFound` if the organization does not exist, `Conflict` if the
    /// organization already has a product for this program and environment.
    async fn create_product(
        &self,
        new: &NewProduct,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<Product, StoreError>;
    /// One product.
    async fn get_product(&self, id: i64) -> Result<Option<Product>, StoreError>;
    /// Products of an organization, oldest first.
    async fn list_products(&self, org_id: &OrgId) -> Result<Vec<Product>, StoreError>;
    /// Deletes a product with its profiles and their assignments; `NotFound` when absent.
    async fn delete_product(&self, id: i64, audit: &AuditEntry) -> Result<(), StoreError>;
    /// Creates a profile on an existing product (`NotFound` otherwise); `Conflict` if the
    /// product already has a profile of that name.
    async fn create_profile(
        &self,
        new: &NewProfile,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<ProductProfile, StoreError>;
    /// One profile.
    async fn get_profile(&self, id: i64) -> Result<Option<ProductProfile>, StoreError>;
    /// Profiles of a product, oldest first.
    async fn list_profiles(&self, product_id: i64) -> Result<Vec<ProductProfile>, StoreError>;
    /// Replaces a profile's services; `NotFound` when absent.
    async fn set_profile_services(
        &self,
        id: i64,
        services: &[String],
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Deletes a profile and its assignments; `NotFound` when absent.
    async fn delete_profile(&self, id: i64, audit: &AuditEntry) -> Result<(), StoreError>;
    /// Assigns a credential to a profile (idempotent); `NotFound` if either is absent.
    async fn assign_profile(
        &self,
        credential_id: i64,
        profile_id: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Removes an assignment; `NotFound` when it does not exist.
    async fn unassign_profile(
        &self,
        credential_id: i64,
        profile_id: i64,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Profiles a credential is assigned to, oldest first.
    async fn credential_profiles(
        &self,
        credential_id: i64,
    ) -> Result<Vec<ProductProfile>, StoreError>;
    /// Ids of the credentials assigned to a profile, ascending.
    async fn profile_credentials(&self, profile_id: i64) -> Result<Vec<i64>, StoreError>;
}

/// Legacy Service Account (JWT) credentials: their certificates, the technical-account limit per
/// AEM environment, and single-use assertion ids.
#[async_trait]
pub trait ServiceAccountStore: Send + Sync {
    /// Creates a credential (normally of kind `service_account_jwt`) with its first secret and
    /// first certificate, atomically. With `product_id`, it also takes one of that product's
    /// technical-account slots: `Refused` when `max_per_product` are taken (slots of deleted
    /// credentials stay taken), `NotFound` when the product is not in the credential's
    /// organization. Race-free: concurrent creations never exceed the limit.
    #[allow(clippy::too_many_arguments)]
    async fn create_service_account(
        &self,
        new: &NewCredential,
        first_secret_uuid: &str,
        first_secret_hash: &SecretHash,
        certificate: &Certificate,
        product_id: Option<i64>,
        max_per_product: usize,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<Credential, StoreError>;
    /// Technical-account slots taken on a product (deleted credentials included).
    async fn technical_accounts_used(&self, product_id: i64) -> Result<u64, StoreError>;
    /// Certificates of a credential, oldest first (empty for an unknown credential).
    async fn list_certificates(&self, credential_id: i64) -> Result<Vec<Certificate>, StoreError>;
    /// Adds a certificate: `NotFound` when the credential does not exist, `Conflict` when it
    /// already holds this certificate, `Refused` when it holds `max` certificates already.
    async fn add_certificate(
        &self,
        certificate: &Certificate,
        max: usize,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Revokes a certificate (from now on it verifies nothing); `NotFound` when absent,
    /// `Refused` when it is already revoked.
    async fn revoke_certificate(
        &self,
        credential_id: i64,
        id: &str,
        now: UnixMillis,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Deletes a revoked certificate; `NotFound` when absent, `Refused` when not revoked yet
    /// (revoke, then delete, as at Adobe).
    async fn delete_certificate(
        &self,
        credential_id: i64,
        id: &str,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// Records the use of an assertion id: `true` the first time, `false` for every later call
    /// with the same client and `jti`, on every node and under any concurrency (a unique key).
    /// The record is kept until `expires_at`.
    async fn consume_jti(
        &self,
        client_id: &ClientId,
        jti: &str,
        expires_at: UnixMillis,
    ) -> Result<bool, StoreError>;
    /// Drops assertion ids that expired before `now`; returns how many.
    async fn purge_expired_jtis(&self, now: UnixMillis) -> Result<u64, StoreError>;
}

/// The audit log.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Entries matching `filter`, newest first.
    async fn list_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError>;
}

/// Everything the server needs from storage.
#[async_trait]
pub trait Store:
    OrgStore
    + CredentialStore
    + SecretStore
    + KeyStore
    + RevocationStore
    + MetaStore
    + AuditStore
    + ProductStore
    + AemStore
    + DamStore
    + ServiceAccountStore
{
    /// Checks that the database answers (readiness).
    async fn ping(&self) -> Result<(), StoreError>;
    /// Which backend this is (`sqlite` or `postgres`), for logs and metrics.
    fn backend_name(&self) -> &'static str;
}
