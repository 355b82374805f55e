//! An AEM environment's security, on the product that stands for it:
//! `.../products/{id}/api-config` (the `api.yaml` client-ID allowlist), `.../users` (technical
//! accounts), `.../groups` and `.../acls` (organization admins only).

use latchkey_proto::aem::{AclBody, AemUserBody, ApiConfigBody, CreateAcl, GroupBody};
use reqwest::Method;

use super::ConsoleClient;
use crate::error::Error;
use crate::http;

impl ConsoleClient {
    /// The `api.yaml` deployed to a product (404 `not_found` when none is).
    pub async fn api_config(&self, org: &str, product: i64) -> Result<ApiConfigBody, Error> {
        let url = self.url(org, &["products", &product.to_string(), "api-config"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Deploys `yaml` (the file's text) as the product's `api.yaml`; it applies at once.
    pub async fn deploy_api_config(
        &self,
        org: &str,
        product: i64,
        yaml: String,
    ) -> Result<ApiConfigBody, Error> {
        let url = self.url(org, &["products", &product.to_string(), "api-config"]);
        let req = self
            .request(Method::PUT, &url)
            .header("content-type", "application/yaml")
            .body(yaml);
        http::json(http::send(req, &url).await?).await
    }

    /// Removes the product's `api.yaml`: no client is allowlisted any more.
    pub async fn remove_api_config(&self, org: &str, product: i64) -> Result<(), Error> {
        let url = self.url(org, &["products", &product.to_string(), "api-config"]);
        http::empty(http::send(self.request(Method::DELETE, &url), &url).await?).await
    }

    /// The technical-account users created on the product's environment.
    pub async fn list_aem_users(&self, org: &str, product: i64) -> Result<Vec<AemUserBody>, Error> {
        let url = self.url(org, &["products", &product.to_string(), "users"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// The environment's groups, with members and built-in privileges.
    pub async fn list_aem_groups(&self, org: &str, product: i64) -> Result<Vec<GroupBody>, Error> {
        let url = self.url(org, &["products", &product.to_string(), "groups"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// The explicit grants (ACL entries) of the environment.
    pub async fn list_acls(&self, org: &str, product: i64) -> Result<Vec<AclBody>, Error> {
        let url = self.url(org, &["products", &product.to_string(), "acls"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Grants a group privileges on a DAM path and everything below it.
    pub async fn add_acl(
        &self,
        org: &str,
        product: i64,
        acl: &CreateAcl,
    ) -> Result<AclBody, Error> {
        let url = self.url(org, &["products", &product.to_string(), "acls"]);
        http::json(http::send(self.request(Method::POST, &url).json(acl), &url).await?).await
    }

    /// Deletes a grant.
    pub async fn delete_acl(&self, org: &str, product: i64, acl: i64) -> Result<(), Error> {
        let url = self.url(
            org,
            &["products", &product.to_string(), "acls", &acl.to_string()],
        );
        http::empty(http::send(self.request(Method::DELETE, &url), &url).await?).await
    }
}
