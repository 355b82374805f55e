//! Client library for Latchkey, and for Adobe IMS itself: programs use it to get tokens and to
//! call the console API without pulling in the server (ARCHITECTURE.md: `client` depends on
//! `proto` only).
//!
//! Map of the crate:
//! - [`secret`]: [`ClientSecret`] and [`AccessToken`], whose `Debug` prints `[redacted]`.
//! - [`token`]: [`TokenClient`], one token request: `client_credentials` at
//!   `POST /ims/token/v3`, or the legacy JWT exchange at `POST /ims/exchange/jwt`.
//! - [`provider`]: [`TokenProvider`], what programs should use: a cache per credential and
//!   scopes, one request in flight per key, retries with backoff honouring `Retry-After`.
//! - [`retry`]: [`RetryPolicy`], when a token request is tried again (never on a 4xx).
//! - [`service_account`]: [`ServiceCredentials`], the AEM service-credentials JSON and the
//!   RS256 assertion built from it.
//! - `resource` (feature `axum`): an axum extractor that accepts Latchkey tokens in your own
//!   service (JWKS cached, signature, `exp`, `iss`).
//! - [`chain`]: [`chain::ChainProbe`], what the AEM authorization chain says about a call
//!   (Latchkey's dry run, or the call itself), as data: what `latchkey doctor` reads.
//! - [`console`]: [`ConsoleClient`], typed calls to `/console/organizations/{org}/...`
//!   (secrets, projects, credentials, token revocation, audit log).
//! - [`assets`]: [`AssetsClient`], AEM's Assets and Folders APIs under `/adobe`: folders,
//!   streamed uploads and downloads with progress, metadata with ETags, lookups by DAM path.
//! - [`error`]: [`Error`], one enum for every surface, carrying the HTTP status and the
//!   server's own words (`error_description`, `error_code` and `message`, or a problem
//!   document's `detail` and `fix`).
//! - `http`: what the clients share: the [`BaseUrl`], the reqwest clients, turning answers
//!   into values or errors.
//!
//! Getting tokens, the usual way:
//!
//! ```no_run
//! use latchkey_client::{ClientSecret, Credentials, TokenClient, TokenProvider};
//!
//! # async fn run() -> Result<(), latchkey_client::Error> {
//! let provider = TokenProvider::new(TokenClient::new("https://ims-na1.adobelogin.com")?);
//! let creds = Credentials::client_credentials(
//!     std::env::var("CLIENT_ID").unwrap_or_default(),
//!     ClientSecret::new(std::env::var("CLIENT_SECRET").unwrap_or_default()),
//!     &["openid", "AdobeID", "aem.assets.author"],
//! );
//! let token = provider.token(&creds).await?;
//! // reqwest::Client::new().get(url).bearer_auth(token.access_token.expose_secret())...
//! # let _ = token;
//! # Ok(()) }
//! ```
//!
//! And with an AEM service-credentials file (legacy JWT):
//!
//! ```no_run
//! use latchkey_client::{Credentials, ServiceCredentials, TokenClient, TokenProvider};
//!
//! # async fn run() -> Result<(), latchkey_client::Error> {
//! let creds = ServiceCredentials::from_file("service-credentials.json".as_ref())?;
//! // The identity service named in the file (https://{imsEndpoint}).
//! let provider = TokenProvider::new(TokenClient::new(&creds.origin())?);
//! let token = provider.token(&Credentials::service_account(creds)).await?;
//! # let _ = token;
//! # Ok(()) }
//! ```
//!
//! TLS is rustls with the platform's certificate store, so the same code works against a local
//! Latchkey over plain HTTP and against `https://ims-na1.adobelogin.com`.

pub mod assets;
pub mod chain;
pub mod console;
pub mod error;
mod http;
pub mod provider;
#[cfg(feature = "axum")]
pub mod resource;
pub mod retry;
pub mod secret;
pub mod service_account;
pub mod token;

pub use assets::{AssetsClient, Downloaded, IfExists, Metadata, PatchOp};
pub use console::{AuditQuery, ConsoleClient, NewCredential, NewSecret};
pub use error::{Error, Problem};
pub use http::BaseUrl;
pub use provider::{Credentials, ProvidedToken, TokenProvider, TokenProviderBuilder};
pub use retry::RetryPolicy;
pub use secret::{AccessToken, ClientSecret};
pub use service_account::ServiceCredentials;
pub use token::{Token, TokenClient};
