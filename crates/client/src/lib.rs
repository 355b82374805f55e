//! Client library for Latchkey, and for Adobe IMS itself: programs use it to get tokens and to
//! call the console API without pulling in the server (ARCHITECTURE.md: `client` depends on
//! `proto` only).
//!
//! Map of the crate:
//! - [`secret`]: [`ClientSecret`] and [`AccessToken`], whose `Debug` prints `[redacted]`.
//! - [`token`]: [`TokenClient`], the `client_credentials` grant at `POST /ims/token/v3`.
//! - [`console`]: [`ConsoleClient`], typed calls to `/console/organizations/{org}/...`
//!   (secrets, projects, credentials, token revocation, audit log).
//! - [`error`]: [`Error`], one enum for both surfaces, carrying the HTTP status and the server's
//!   own words (`error_description`, or `error_code` and `message`).
//! - `http`: what both clients share: the [`BaseUrl`], the reqwest client, turning answers
//!   into values or errors.
//!
//! TLS is rustls with the platform's certificate store, so the same code works against a local
//! Latchkey over plain HTTP and against `https://ims-na1.adobelogin.com`.

pub mod console;
pub mod error;
mod http;
pub mod secret;
pub mod token;

pub use console::{AuditQuery, ConsoleClient, NewCredential, NewSecret};
pub use error::Error;
pub use http::BaseUrl;
pub use secret::{AccessToken, ClientSecret};
pub use token::{Token, TokenClient};
