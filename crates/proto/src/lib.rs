//! Wire types shared by the Latchkey server, the client library and the CLI.
//!
//! Only serde shapes live here: no IO, no validation beyond what the types say. Each module
//! mirrors one surface of the protocol:
//! - [`ims`]: the IMS token endpoint (`/ims/token/v*`), its success and error bodies, and the
//!   IMS `validate_token` answer (reference/adobe-protocol.md §1–2).
//! - [`oauth`]: the standard OAuth documents: RFC 8414 metadata and RFC 7662 introspection.
//! - [`aem`]: the Assets and Folders APIs and the console's AEM administration.
//! - [`console`]: the console API, including the I/O Management API secrets shapes.
//! - [`service_accounts`]: legacy JWT service accounts: console bodies, the AEM service
//!   credentials JSON, the `/ims/exchange/jwt` answer.
//! - [`keys`]: token-signing key management (list, rotate).
//! - [`dev`]: the `dev-credentials.json` file written by `latchkey serve --dev`.
//!
//! With the `openapi` feature, the wire types of the HTTP API derive `utoipa::ToSchema`, so the
//! server can describe them in its OpenAPI document; the client does not pull utoipa.

pub mod aem;
pub mod console;
pub mod dev;
pub mod ims;
pub mod keys;
pub mod oauth;
pub mod service_accounts;
