//! The API side (SPEC §3): the AEM authorization chain and the DAM behind it.
//!
//! - [`denial`]: stages, stable reason codes and self-explaining refusals.
//! - [`allowlist`]: `api.yaml` parsing and the allowlist decision.
//! - [`groups`]: the groups a technical-account user belongs to, derived per request.
//! - [`acl`]: privileges, grants on DAM paths, built-in service grants, the decision.
//! - [`users`]: technical-account users.
//! - [`dam_path`], [`dam`]: DAM paths, folders and assets, metadata patches.
//! - [`store`]: the storage ports.

pub mod acl;
pub mod allowlist;
pub mod dam;
pub mod dam_path;
pub mod denial;
pub mod groups;
pub mod store;
pub mod users;
