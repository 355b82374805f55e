//! [`TokenClient`]: one request to the identity service for a token. The `client_credentials`
//! grant at `POST {base}/ims/token/v3` goes exactly as
//! Adobe's OAuth Server-to-Server guide sends it (reference/adobe-protocol.md §1): an
//! `application/x-www-form-urlencoded` body with `grant_type`, `client_id`, `client_secret` and
//! `scope` (comma-separated, the IMS form).
//!
//! The legacy JWT exchange goes to `POST {base}/ims/exchange/jwt` ([`TokenClient::jwt_exchange`]).
//!
//! A refusal is [`Error::OAuth`] with the server's `error_description`, which multi-secret
//! clients read (`invalid client_secret parameter` means "try the next secret").

use std::time::SystemTime;

use latchkey_proto::ims::TokenResponse;
use url::Url;
use zeroize::Zeroizing;

use crate::error::Error;
use crate::http::{self, BaseUrl};
use crate::retry::{Failure, parse_retry_after};
use crate::secret::{AccessToken, ClientSecret};
use crate::service_account::{ASSERTION_LIFETIME, ServiceCredentials};

/// An access token and its lifetime.
#[derive(Debug, Clone)]
pub struct Token {
    /// The bearer token.
    pub access_token: AccessToken,
    /// Lifetime in seconds, from when it was issued.
    pub expires_in: u64,
}

/// Gets tokens from one identity service.
#[derive(Debug, Clone)]
pub struct TokenClient {
    http: reqwest::Client,
    base: BaseUrl,
}

impl TokenClient {
    /// A client of the identity service at `base_url` (Latchkey's URL, or
    /// `https://ims-na1.adobelogin.com`).
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Ok(Self::with_http(
            http::default_client()?,
            BaseUrl::parse(base_url)?,
        ))
    }

    /// The same, sharing an existing reqwest client.
    pub fn with_http(http: reqwest::Client, base: BaseUrl) -> Self {
        Self { http, base }
    }

    /// `client_credentials`: a token for `client_id` with `scopes`. No scope asks for every
    /// scope of the credential (RFC 6749 §3.3; Latchkey grants them all, Adobe may grant fewer).
    /// One attempt: [`crate::TokenProvider`] adds caching and retries.
    pub async fn client_credentials(
        &self,
        client_id: &str,
        secret: &ClientSecret,
        scopes: &[&str],
    ) -> Result<Token, Error> {
        self.client_credentials_attempt(client_id, secret, scopes)
            .await
            .map_err(|f| f.error)
    }

    /// The legacy JWT exchange: `POST {base}/ims/exchange/jwt` with `client_id`,
    /// `client_secret` and `jwt_token`, the assertion built from `creds` for this client's base
    /// URL (reference/adobe-protocol.md §3). The answer's `expires_in` is in milliseconds there;
    /// the returned [`Token`] has it in seconds like every other. One attempt.
    pub async fn jwt_exchange(&self, creds: &ServiceCredentials) -> Result<Token, Error> {
        self.jwt_exchange_attempt(creds).await.map_err(|f| f.error)
    }

    /// The base URL as an origin for assertion claims (no trailing `/`).
    pub fn origin(&self) -> String {
        self.base
            .join(&[])
            .as_str()
            .trim_end_matches('/')
            .to_owned()
    }

    pub(crate) async fn client_credentials_attempt(
        &self,
        client_id: &str,
        secret: &ClientSecret,
        scopes: &[&str],
    ) -> Result<Token, Failure> {
        let url = self.base.join(&["ims", "token", "v3"]);
        let scope = scopes.join(",");
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret.expose_secret()),
        ];
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        let body = self.post(&url, &form).await?;
        Ok(Token {
            access_token: AccessToken::new(body.access_token),
            expires_in: body.expires_in,
        })
    }

    pub(crate) async fn jwt_exchange_attempt(
        &self,
        creds: &ServiceCredentials,
    ) -> Result<Token, Failure> {
        let url = self.base.join(&["ims", "exchange", "jwt"]);
        let assertion = Zeroizing::new(creds.assertion(
            &self.origin(),
            SystemTime::now(),
            ASSERTION_LIFETIME,
        )?);
        let form = [
            ("client_id", creds.client_id.as_str()),
            ("client_secret", creds.client_secret.expose_secret()),
            ("jwt_token", assertion.as_str()),
        ];
        let body = self.post(&url, &form).await?;
        Ok(Token {
            access_token: AccessToken::new(body.access_token),
            expires_in: body.expires_in / 1000,
        })
    }

    /// One form POST to a token endpoint; a failure keeps the server's `Retry-After`.
    async fn post(&self, url: &Url, form: &[(&str, &str)]) -> Result<TokenResponse, Failure> {
        let resp = http::send(self.http.post(url.clone()).form(form), url).await?;
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        http::json(resp)
            .await
            .map_err(|error| Failure { error, retry_after })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unparsable_base_url_is_refused_before_any_call() {
        assert!(matches!(
            TokenClient::new("ims.example.com"),
            Err(Error::InvalidUrl { .. })
        ));
    }
}
