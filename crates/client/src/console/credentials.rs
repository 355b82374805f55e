//! Credentials of an organization: list, get, create (under a project), update (name, enabled),
//! delete, and revoke every token issued so far. Organization admins only, except that a
//! credential may read itself.

use latchkey_proto::console::{
    CreateCredential, CreatedCredential, CredentialBody, TokensRevoked, UpdateCredential,
};
use reqwest::Method;

use super::ConsoleClient;
use crate::error::Error;
use crate::http;
use crate::secret::ClientSecret;

/// A credential just created, with its first secret: the only time its value is known.
#[derive(Debug, Clone)]
pub struct NewCredential {
    /// The credential.
    pub credential: CredentialBody,
    /// Its first client secret.
    pub secret: ClientSecret,
}

impl NewCredential {
    /// The API's body, secret included, for a caller that prints it (`--json`).
    pub fn to_body(&self) -> CreatedCredential {
        CreatedCredential {
            credential: self.credential.clone(),
            client_secret: self.secret.expose_secret().to_owned(),
        }
    }
}

impl ConsoleClient {
    /// The organization's credentials.
    pub async fn list_credentials(&self, org: &str) -> Result<Vec<CredentialBody>, Error> {
        let url = self.url(org, &["credentials"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Credential `id`, with its technical account.
    pub async fn get_credential(&self, org: &str, id: i64) -> Result<CredentialBody, Error> {
        let url = self.url(org, &["credentials", &id.to_string()]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Creates an OAuth Server-to-Server credential in project `project`.
    pub async fn create_credential(
        &self,
        org: &str,
        project: i64,
        spec: &CreateCredential,
    ) -> Result<NewCredential, Error> {
        let url = self.url(org, &["projects", &project.to_string(), "credentials"]);
        let body: CreatedCredential =
            http::json(http::send(self.request(Method::POST, &url).json(spec), &url).await?)
                .await?;
        Ok(NewCredential {
            credential: body.credential,
            secret: ClientSecret::new(body.client_secret),
        })
    }

    /// Renames and/or enables or disables credential `id`.
    pub async fn update_credential(
        &self,
        org: &str,
        id: i64,
        change: &UpdateCredential,
    ) -> Result<CredentialBody, Error> {
        let url = self.url(org, &["credentials", &id.to_string()]);
        http::json(http::send(self.request(Method::PATCH, &url).json(change), &url).await?).await
    }

    /// Deletes credential `id` with its secrets.
    pub async fn delete_credential(&self, org: &str, id: i64) -> Result<(), Error> {
        let url = self.url(org, &["credentials", &id.to_string()]);
        http::empty(http::send(self.request(Method::DELETE, &url), &url).await?).await
    }

    /// Refuses, on every node, every token of credential `id` created before now.
    pub async fn revoke_tokens(&self, org: &str, id: i64) -> Result<TokensRevoked, Error> {
        let url = self.url(org, &["credentials", &id.to_string(), "revoke_tokens"]);
        http::json(http::send(self.request(Method::POST, &url), &url).await?).await
    }
}
