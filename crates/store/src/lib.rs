//! SQLite and PostgreSQL storage for Latchkey: one implementation of the storage ports of
//! [`latchkey_core::store`], [`SqlStore`], written once over sqlx's `Any` driver. Only the DDL
//! (the `migrations/sqlite` and `migrations/postgres` directories) differs between the backends;
//! every query is the same text on both.
//!
//! Map of the crate:
//! - [`connect`](crate::SqlStore::connect) (`connect.rs`): database URLs, the connection pool,
//!   SQLite durability settings, embedded migrations, and the [`SqlStore`] type itself.
//! - `orgs.rs`: organizations and projects ([`latchkey_core::store::OrgStore`]).
//! - `credentials.rs`: credentials ([`latchkey_core::store::CredentialStore`]).
//! - `secrets.rs`: client secrets, with the race-free limit on their number
//!   ([`latchkey_core::store::SecretStore`]).
//! - `keys.rs`: signing keys, at most one active per algorithm
//!   ([`latchkey_core::store::KeyStore`]).
//! - `revocations.rs`: revoked access tokens ([`latchkey_core::store::RevocationStore`]).
//! - `products.rs`: products, product profiles and credential assignments
//!   ([`latchkey_core::store::ProductStore`]).
//! - `aem.rs`: deployed `api.yaml` files, technical-account users and group ACLs
//!   ([`latchkey_core::aem::store::AemStore`]).
//! - `dam.rs`: folders and assets ([`latchkey_core::aem::store::DamStore`]).
//! - `service_accounts.rs`: legacy JWT service accounts: certificates, technical-account slots
//!   per environment, single-use assertion ids ([`latchkey_core::store::ServiceAccountStore`]).
//! - `meta.rs`: installation facts ([`latchkey_core::store::MetaStore`]).
//! - `audit.rs`: the audit log ([`latchkey_core::store::AuditStore`]), and the helper every
//!   mutating call uses to write its entry inside its own transaction.
//! - `rows.rs`: decoding rows into domain types; `errors.rs`: mapping sqlx errors to
//!   [`latchkey_core::store::StoreError`]; `dburl.rs`: parsing and redacting database URLs.
//! - `testing` (feature `testing`): temporary PostgreSQL databases for test suites.
//!
//! Every mutating call runs in one transaction, which also writes the call's audit entry, so a
//! change and its audit record exist together or not at all. Calls that must not race (adding or deleting a
//! client secret) first update the parent credential row, which takes its row lock on
//! PostgreSQL and the database write lock on SQLite, and only then count.

mod aem;
mod audit;
mod connect;
mod credentials;
mod dam;
mod dburl;
mod errors;
mod keys;
mod meta;
mod orgs;
mod products;
mod revocations;
mod rows;
mod secrets;
mod service_accounts;

#[cfg(feature = "testing")]
pub mod testing;

pub use connect::{Backend, SqlStore, StoreOptions, sqlite_url_for};
