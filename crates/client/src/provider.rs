//! [`TokenProvider`]: tokens for any number of callers, each credential asked as seldom as
//! possible (SPEC §4).
//!
//! - **Cache per credential and scopes** (and secret, see [`Credentials::cache_key`]): a token is handed out again until shortly before it
//!   expires ([`TokenProviderBuilder::refresh_before`], default five minutes; for a token
//!   shorter-lived than that, half its lifetime).
//! - **One request in flight per key**: callers of the same credential and scopes queue on one
//!   async lock; the first one asks, the others get its token. A hundred tasks asking at once
//!   cause one token request.
//! - **Retries** on no answer, 5xx and 429, honouring `Retry-After`, never on another 4xx
//!   ([`RetryPolicy`]).
//!
//! Adobe asks integrations to reuse tokens rather than mint one per call, and throttles those
//! that do not (reference/adobe-protocol.md §8).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::error::Error;
use crate::retry::{Failure, RetryPolicy};
use crate::secret::{AccessToken, ClientSecret};
use crate::service_account::ServiceCredentials;
use crate::token::{Token, TokenClient};

/// Default for [`TokenProviderBuilder::refresh_before`]: five minutes.
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(300);

/// What to get a token with.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// OAuth Server-to-Server: `client_credentials` with a client id and secret.
    ClientCredentials {
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: ClientSecret,
        /// The scopes to ask for (none: every scope of the credential).
        scopes: Vec<String>,
    },
    /// A legacy service account (AEM service credentials): the JWT exchange.
    ServiceAccount(Arc<ServiceCredentials>),
}

impl Credentials {
    /// `client_credentials` for `client_id` with `scopes`.
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: ClientSecret,
        scopes: &[&str],
    ) -> Self {
        Credentials::ClientCredentials {
            client_id: client_id.into(),
            client_secret,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// The JWT exchange with an AEM service-credentials file.
    pub fn service_account(creds: ServiceCredentials) -> Self {
        Credentials::ServiceAccount(Arc::new(creds))
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        match self {
            Credentials::ClientCredentials { client_id, .. } => client_id,
            Credentials::ServiceAccount(c) => &c.client_id,
        }
    }

    /// What the cache files a token under: grant, client id, the sorted scope set, and a
    /// SHA-256 digest of the secret (never the secret itself): a caller holding another secret
    /// for the same client, a wrong one say, does not get the cached token of the right one.
    pub fn cache_key(&self) -> String {
        let (grant, scopes, secret) = match self {
            Credentials::ClientCredentials {
                scopes,
                client_secret,
                ..
            } => ("client_credentials", scopes, client_secret),
            Credentials::ServiceAccount(c) => ("jwt_exchange", &c.metascopes, &c.client_secret),
        };
        let mut scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        scopes.sort_unstable();
        scopes.dedup();
        let digest = aws_lc_rs::digest::digest(
            &aws_lc_rs::digest::SHA256,
            secret.expose_secret().as_bytes(),
        );
        let digest: String = digest.as_ref()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("{grant} {} {} {digest}", self.client_id(), scopes.join(","))
    }
}

/// A token handed out by [`TokenProvider`].
#[derive(Debug, Clone)]
pub struct ProvidedToken {
    /// The bearer token.
    pub access_token: AccessToken,
    /// When the identity service said it expires.
    pub expires_at: SystemTime,
}

#[derive(Clone)]
struct Cached {
    token: ProvidedToken,
    /// When to stop handing it out.
    refresh_at: Instant,
}

type Slot = Arc<tokio::sync::Mutex<Option<Cached>>>;

struct Inner {
    client: TokenClient,
    retry: RetryPolicy,
    refresh_before: Duration,
    slots: Mutex<HashMap<String, Slot>>,
}

/// Caching, single-flight, retrying token source. Cheap to clone: clones share the cache.
///
/// ```no_run
/// use latchkey_client::{ClientSecret, Credentials, TokenClient, TokenProvider};
///
/// # async fn run() -> Result<(), latchkey_client::Error> {
/// let provider = TokenProvider::new(TokenClient::new("http://127.0.0.1:8080")?);
/// let creds = Credentials::client_credentials(
///     "39b5f8e626fce4dc7e59fd8bfddbb2fa",
///     ClientSecret::new(std::env::var("CLIENT_SECRET").unwrap_or_default()),
///     &["openid", "AdobeID", "aem.assets.author"],
/// );
/// // Asks the identity service once; later calls reuse the token until shortly before expiry.
/// let token = provider.token(&creds).await?;
/// let again = provider.token(&creds).await?;
/// assert_eq!(token.access_token.expose_secret(), again.access_token.expose_secret());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TokenProvider {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenProvider")
            .field("client", &self.inner.client)
            .field("retry", &self.inner.retry)
            .field("refresh_before", &self.inner.refresh_before)
            .finish_non_exhaustive()
    }
}

/// Settings of a [`TokenProvider`].
#[derive(Debug)]
pub struct TokenProviderBuilder {
    client: TokenClient,
    retry: RetryPolicy,
    refresh_before: Duration,
}

impl TokenProviderBuilder {
    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How long before expiry a token stops being handed out (default five minutes). A token
    /// that lives no longer than this is refreshed at half its lifetime.
    pub fn refresh_before(mut self, d: Duration) -> Self {
        self.refresh_before = d;
        self
    }

    /// The provider.
    pub fn build(self) -> TokenProvider {
        TokenProvider {
            inner: Arc::new(Inner {
                client: self.client,
                retry: self.retry,
                refresh_before: self.refresh_before,
                slots: Mutex::new(HashMap::new()),
            }),
        }
    }
}

/// How long before expiry to refresh a token of `lifetime`.
pub fn refresh_margin(refresh_before: Duration, lifetime: Duration) -> Duration {
    if refresh_before < lifetime {
        refresh_before
    } else {
        lifetime / 2
    }
}

impl TokenProvider {
    /// A provider with default settings over `client`.
    pub fn new(client: TokenClient) -> Self {
        Self::builder(client).build()
    }

    /// Settings for a provider over `client`.
    pub fn builder(client: TokenClient) -> TokenProviderBuilder {
        TokenProviderBuilder {
            client,
            retry: RetryPolicy::default(),
            refresh_before: DEFAULT_REFRESH_BEFORE,
        }
    }

    /// A token for `creds`: the cached one while it is fresh, else a new one (one request for
    /// all concurrent callers of the same credential and scopes, retried as the policy says).
    pub async fn token(&self, creds: &Credentials) -> Result<ProvidedToken, Error> {
        let slot = self.slot(&creds.cache_key());
        let mut cached = slot.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| Instant::now() < c.refresh_at) {
            return Ok(c.token.clone());
        }
        let asked = Instant::now();
        let token = self.fetch(creds).await?;
        let lifetime = Duration::from_secs(token.expires_in);
        let fresh = Cached {
            token: ProvidedToken {
                access_token: token.access_token,
                expires_at: SystemTime::now() + lifetime,
            },
            refresh_at: asked + lifetime - refresh_margin(self.inner.refresh_before, lifetime),
        };
        let out = fresh.token.clone();
        *cached = Some(fresh);
        Ok(out)
    }

    /// Forgets the cached token of `creds` (after an API refused it, say): the next call asks
    /// again.
    pub async fn invalidate(&self, creds: &Credentials) {
        let slot = self.slot(&creds.cache_key());
        *slot.lock().await = None;
    }

    fn slot(&self, key: &str) -> Slot {
        let mut slots = self
            .inner
            .slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        slots.entry(key.to_owned()).or_default().clone()
    }

    async fn fetch(&self, creds: &Credentials) -> Result<Token, Error> {
        let mut attempt = 1;
        loop {
            let result = match creds {
                Credentials::ClientCredentials {
                    client_id,
                    client_secret,
                    scopes,
                } => {
                    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                    self.inner
                        .client
                        .client_credentials_attempt(client_id, client_secret, &scopes)
                        .await
                }
                Credentials::ServiceAccount(c) => self.inner.client.jwt_exchange_attempt(c).await,
            };
            let failure: Failure = match result {
                Ok(t) => return Ok(t),
                Err(f) => f,
            };
            match self.inner.retry.wait_after(attempt, &failure) {
                Some(wait) => {
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                None => return Err(failure.error),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_key_ignores_scope_order_and_separates_secrets() {
        let a = Credentials::client_credentials("c1", ClientSecret::new("s1"), &["b", "a"]);
        let b = Credentials::client_credentials("c1", ClientSecret::new("s1"), &["a", "b", "a"]);
        let c = Credentials::client_credentials("c1", ClientSecret::new("s1"), &["a"]);
        let d = Credentials::client_credentials("c1", ClientSecret::new("s2"), &["a", "b"]);
        assert_eq!(a.cache_key(), b.cache_key());
        assert_ne!(a.cache_key(), c.cache_key());
        assert_ne!(a.cache_key(), d.cache_key());
        assert!(!a.cache_key().contains("s1"));
        assert!(!format!("{a:?}").contains("s1"));
    }

    #[test]
    fn short_lived_tokens_refresh_at_half_life() {
        let d = Duration::from_secs;
        assert_eq!(refresh_margin(d(300), d(86_400)), d(300));
        assert_eq!(refresh_margin(d(300), d(60)), d(30));
        assert_eq!(refresh_margin(d(59), d(60)), d(59));
    }
}
