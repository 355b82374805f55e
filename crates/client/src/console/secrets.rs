//! Client secrets of a credential, as Adobe's I/O Management API exposes them:
//! `GET|POST .../credentials/{id}/secrets` and `DELETE .../credentials/{id}/secrets/{uuid}`.
//!
//! Allowed to an organization admin for any credential of the organization, and to a credential
//! for its own secrets when its token carries `manage_client_secrets` (`read_client_secret`
//! suffices to list).

use latchkey_proto::console::{self as proto, SecretInfo, SecretList};
use reqwest::Method;

use super::ConsoleClient;
use crate::error::Error;
use crate::http;
use crate::secret::ClientSecret;

/// A secret just added: the only time its value is known.
#[derive(Debug, Clone)]
pub struct NewSecret {
    /// The plaintext secret.
    pub secret: ClientSecret,
    /// Its uuid and dates, as a listing shows them.
    pub info: SecretInfo,
}

impl NewSecret {
    /// The API's body, secret included, for a caller that prints it (`--json`).
    pub fn to_body(&self) -> proto::NewSecret {
        proto::NewSecret {
            client_secret: self.secret.expose_secret().to_owned(),
            info: self.info.clone(),
        }
    }
}

impl ConsoleClient {
    /// The secrets of credential `credential` (never their values).
    pub async fn list_secrets(&self, org: &str, credential: i64) -> Result<SecretList, Error> {
        let url = self.url(org, &["credentials", &credential.to_string(), "secrets"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Adds a secret to credential `credential` (a credential has at most two).
    pub async fn add_secret(&self, org: &str, credential: i64) -> Result<NewSecret, Error> {
        let url = self.url(org, &["credentials", &credential.to_string(), "secrets"]);
        let body: proto::NewSecret =
            http::json(http::send(self.request(Method::POST, &url), &url).await?).await?;
        Ok(NewSecret {
            secret: ClientSecret::new(body.client_secret),
            info: body.info,
        })
    }

    /// Deletes secret `uuid` of credential `credential` (never the last one). Tokens it obtained
    /// stay valid, as at Adobe: revoke them with [`ConsoleClient::revoke_tokens`].
    pub async fn delete_secret(&self, org: &str, credential: i64, uuid: &str) -> Result<(), Error> {
        let url = self.url(
            org,
            &["credentials", &credential.to_string(), "secrets", uuid],
        );
        http::empty(http::send(self.request(Method::DELETE, &url), &url).await?).await
    }
}
