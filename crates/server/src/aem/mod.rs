//! The API side's machinery (SPEC §3): the authorization chain every `/adobe/...` request
//! passes, its caches, its error responses and the binary store behind the Assets API. The
//! handlers themselves live in `routes::aem`.
//!
//! - [`chain`]: [`chain::Caller`], the extractor that runs the stages.
//! - [`gateway`], [`environment`]: stage 1 and the addressed environment.
//! - [`cache`]: what the chain reads, cached per node with a short time-to-live.
//! - [`problem`]: denials and RFC 7807 problem details.
//! - [`blobs`]: asset binaries (object_store; local directory by default).
//! - [`dam_ops`]: DAM writes that span the blob store and the database.
//! - [`drain`]: what a refused upload still sends, read and discarded within bounds.
//! - [`config_dir`]: `api.yaml` files loaded from a directory at start-up.

pub mod blobs;
pub mod cache;
pub mod chain;
pub mod config_dir;
pub mod dam_ops;
pub mod drain;
pub mod environment;
pub mod gateway;
pub mod problem;
