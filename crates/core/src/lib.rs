//! The Latchkey domain, free of HTTP, SQL, clock reads and globals.
//!
//! Map of the crate:
//! - [`ids`]: typed identifiers (organization, client, technical account, ...) and their generators.
//! - [`time`]: [`time::UnixMillis`], the one time type; the caller reads the clock once per
//!   request and passes it down.
//! - [`secret`]: client secrets (plaintext type that never prints) and their peppered hash.
//! - [`scope`]: parsing of IMS scope lists (commas and/or spaces) into a validated set.
//! - [`audit`]: the audit log entries every change writes.
//! - [`credentials`]: organizations, projects, OAuth Server-to-Server credentials.
//! - [`keys`]: signing keys (RS256, ES256, EdDSA), their encryption at rest, the JWKS document.
//! - [`token`]: access-token claims, client authentication, the `client_credentials` grant and
//!   the verification of Latchkey's own tokens.
//! - [`service_account`]: legacy Service Account (JWT) credentials: certificates (upload,
//!   generation), the AEM service credentials JSON.
//! - [`products`]: products (AEM environments), product profiles, services.
//! - [`provision`]: creating organizations, projects and credentials with fresh ids and secrets.
//! - [`throttle`]: per-credential token budgets and failed-authentication throttling.
//! - [`aem`]: the API side: allowlist, technical-account users, groups, ACLs, the DAM.
//! - [`store`]: the storage ports the domain needs; `latchkey-store` implements them.

pub mod aem;
pub mod audit;
pub mod credentials;
pub mod ids;
pub mod keys;
pub mod products;
pub mod provision;
pub mod scope;
pub mod secret;
pub mod service_account;
pub mod store;
pub mod throttle;
pub mod time;
pub mod token;
