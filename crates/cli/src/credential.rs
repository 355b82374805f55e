//! The credential of the commands that call an API with a token (`token`, `doctor`, `assets`):
//! a client id and secret (`client_credentials`), or an AEM service-credentials JSON (the legacy
//! JWT exchange, to the identity service the file names unless `--ims` says otherwise), and the
//! token cache between runs ([`crate::token::cache`]).
//!
//! [`ApiArgs`] adds where the API is: the AEM environment's base URL (`--aem`, `AEM_URL`, a
//! settings file, or the dev file's `aem.base_url`).

use std::path::PathBuf;
use std::time::SystemTime;

use clap::Args;
use latchkey_client::{AccessToken, Credentials, ServiceCredentials, TokenClient, TokenProvider};

use crate::connection::{Connection, ConnectionArgs, Role};
use crate::failure::CliError;
use crate::output;
use crate::sources::split_scopes;
use crate::token::cache::TokenCache;

/// Credential flags: those of [`ConnectionArgs`], and how the token is obtained.
#[derive(Debug, Args)]
pub struct CredentialArgs {
    #[command(flatten)]
    pub conn: ConnectionArgs,
    /// Scopes to ask for, separated by commas (default: SCOPES of the settings, else every
    /// scope of the credential).
    #[arg(long, value_name = "LIST", env = "SCOPES", global = true)]
    scopes: Option<String>,
    /// An AEM service-credentials JSON (from the AEM Developer Console): use the legacy JWT
    /// exchange instead of a client secret.
    #[arg(long, value_name = "FILE", env = "SERVICE_CREDENTIALS", global = true)]
    service_credentials: Option<PathBuf>,
    /// Do not use the token cache: always ask the identity service, and do not store the token.
    #[arg(long, global = true)]
    no_cache: bool,
}

/// A token, and who it was issued to.
#[derive(Debug)]
pub struct Obtained {
    /// The client id: what to send as `x-api-key`.
    pub client_id: String,
    /// The token.
    pub access_token: AccessToken,
    /// When it expires.
    pub expires_at: SystemTime,
}

impl CredentialArgs {
    /// The credential the settings name, and the identity service to ask.
    fn credentials(&self) -> Result<(Credentials, String), CliError> {
        let partial = Connection::partial(&self.conn)?;
        let service = self
            .service_credentials
            .clone()
            .or(partial.service_credentials.clone());
        if let Some(path) = service {
            let sc = ServiceCredentials::from_file(&path).map_err(|e| CliError::ConfigFile {
                path: path.clone(),
                reason: e.to_string(),
            })?;
            let ims = partial.ims.clone().unwrap_or_else(|| sc.origin());
            return Ok((Credentials::service_account(sc), ims));
        }
        let conn = Connection::resolve_as(&self.conn, Role::Token)?;
        let scopes = self
            .scopes
            .as_deref()
            .map(split_scopes)
            .or(conn.scopes.clone())
            .unwrap_or_default();
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        let creds =
            Credentials::client_credentials(&conn.client_id, conn.secret().clone(), &scopes);
        Ok((creds, conn.ims().to_owned()))
    }

    /// A token: from the cache when one is still good, else from the identity service (and
    /// then cached, unless `--no-cache`).
    pub async fn obtain(&self) -> Result<Obtained, CliError> {
        let (creds, ims) = self.credentials()?;
        let client_id = creds.client_id().to_owned();
        let cache = if self.no_cache {
            None
        } else {
            TokenCache::default_location()
        };
        let key = format!("{ims}\n{}", creds.cache_key());
        if let Some(hit) = cache.as_ref().and_then(|c| c.get(&key, SystemTime::now())) {
            return Ok(Obtained {
                client_id,
                access_token: hit.access_token,
                expires_at: hit.expires_at,
            });
        }
        let provider = TokenProvider::new(TokenClient::new(&ims)?);
        let token = provider
            .token(&creds)
            .await
            .map_err(|source| CliError::Token {
                client_id: client_id.clone(),
                source,
            })?;
        if let Some(c) = &cache
            && let Err(e) = c.put(
                &key,
                &token.access_token,
                token.expires_at,
                SystemTime::now(),
            )
        {
            output::warn(&format!(
                "cannot cache the token in {} ({e}); pass --no-cache to silence this",
                c.dir().display()
            ));
        }
        Ok(Obtained {
            client_id,
            access_token: token.access_token,
            expires_at: token.expires_at,
        })
    }

    /// Whether `--json` was given.
    pub fn json(&self) -> bool {
        self.conn.json
    }
}

/// Flags of the commands that call the AEM APIs: the credential and where the environment is.
#[derive(Debug, Args)]
pub struct ApiArgs {
    #[command(flatten)]
    pub cred: CredentialArgs,
    // Written as `help` rather than a doc comment: rustdoc would want the URL in angle brackets.
    #[arg(
        long,
        value_name = "URL",
        env = "AEM_URL",
        global = true,
        help = "Base URL of the AEM environment, e.g. https://author-p12345-e67890.adobeaemcloud.com (default: AEM_URL of the settings, else the dev file's)"
    )]
    aem: Option<String>,
}

impl ApiArgs {
    /// The AEM environment's base URL.
    pub fn aem_url(&self) -> Result<String, CliError> {
        if let Some(url) = &self.aem {
            return Ok(url.clone());
        }
        Connection::partial(&self.cred.conn)?
            .aem
            .ok_or(CliError::Missing {
                what: "AEM environment URL",
                flag: "--aem URL",
                env: "AEM_URL",
            })
    }
}
