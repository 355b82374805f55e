//! [`ConsoleClient`]: typed calls to the console API under `/console/organizations/{org}`.
//!
//! Every call sends `Authorization: Bearer <token>` and `x-api-key: <client id>` (the token's own
//! client id, as the console requires). Refusals are [`Error::Console`] with the status,
//! `error_code` and `message`. One file per resource:
//! - `secrets`: list, add, delete (Adobe's I/O Management API shapes);
//! - `projects`: list, create;
//! - `credentials`: list, get, create, update, delete, revoke tokens;
//! - `products`: products, profiles and credential assignments;
//! - `audit`: the audit log with its filters;
//! - `keys`: the installation's token-signing keys: list, rotate;
//! - `aem`: an AEM environment's api.yaml allowlist, technical-account users, groups and ACLs;
//! - `service_accounts`: legacy JWT service accounts, their certificates, the AEM service
//!   credentials JSON, migration to OAuth Server-to-Server.

mod aem;
mod audit;
mod credentials;
mod keys;
mod products;
mod projects;
mod secrets;
mod service_accounts;

pub use audit::AuditQuery;
pub use credentials::NewCredential;
pub use secrets::NewSecret;

use reqwest::{Method, RequestBuilder};
use url::Url;

use crate::error::Error;
use crate::http::{self, ApiCaller, BaseUrl};
use crate::secret::AccessToken;

/// A caller of the console API: a server, a client id and a token of that client.
#[derive(Debug, Clone)]
pub struct ConsoleClient {
    caller: ApiCaller,
}

impl ConsoleClient {
    /// A console client of the server at `base_url`, calling as `client_id` with `token`.
    pub fn new(base_url: &str, client_id: &str, token: AccessToken) -> Result<Self, Error> {
        let caller = ApiCaller::parse(http::default_client()?, base_url, client_id, token)?;
        Ok(Self { caller })
    }

    /// The same, sharing an existing reqwest client.
    pub fn with_http(
        http: reqwest::Client,
        base: BaseUrl,
        client_id: &str,
        token: AccessToken,
    ) -> Self {
        Self {
            caller: ApiCaller::new(http, base, client_id, token),
        }
    }

    /// The URL of `rest` under `/console/organizations/{org}`.
    fn url(&self, org: &str, rest: &[&str]) -> Url {
        let mut segments = vec!["console", "organizations", org];
        segments.extend_from_slice(rest);
        self.caller.base.join(&segments)
    }

    /// An authenticated request.
    fn request(&self, method: Method, url: &Url) -> RequestBuilder {
        self.caller.request(method, url)
    }
}
