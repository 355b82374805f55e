//! [`TokenClient`]: the `client_credentials` grant at `POST {base}/ims/token/v3`, exactly as
//! Adobe's OAuth Server-to-Server guide sends it (reference/adobe-protocol.md §1): an
//! `application/x-www-form-urlencoded` body with `grant_type`, `client_id`, `client_secret` and
//! `scope` (comma-separated, the IMS form).
//!
//! A refusal is [`Error::OAuth`] with the server's `error_description`, which multi-secret
//! clients read (`invalid client_secret parameter` means "try the next secret").

use latchkey_proto::ims::TokenResponse;

use crate::error::Error;
use crate::http::{self, BaseUrl};
use crate::secret::{AccessToken, ClientSecret};

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
    pub async fn client_credentials(
        &self,
        client_id: &str,
        secret: &ClientSecret,
        scopes: &[&str],
    ) -> Result<Token, Error> {
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
        let resp = http::send(self.http.post(url.clone()).form(&form), &url).await?;
        let body: TokenResponse = http::json(resp).await?;
        Ok(Token {
            access_token: AccessToken::new(body.access_token),
            expires_in: body.expires_in,
        })
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
