//! Products (AEM environments), product profiles and credential assignments:
//! `.../products[/{id}[/profiles[/{profile}[/services]]]]` and
//! `.../credentials/{id}/profiles[/{profile}]` (organization admins only, except that a
//! credential may list its own profiles).

use latchkey_proto::console::{
    CreateProduct, CreateProfile, ProductBody, ProfileBody, SetServices,
};
use reqwest::Method;

use super::ConsoleClient;
use crate::error::Error;
use crate::http;

impl ConsoleClient {
    /// The organization's products.
    pub async fn list_products(&self, org: &str) -> Result<Vec<ProductBody>, Error> {
        let url = self.url(org, &["products"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Creates a product (an AEM environment).
    pub async fn create_product(
        &self,
        org: &str,
        body: &CreateProduct,
    ) -> Result<ProductBody, Error> {
        let url = self.url(org, &["products"]);
        http::json(http::send(self.request(Method::POST, &url).json(body), &url).await?).await
    }

    /// Deletes a product with its profiles and assignments.
    pub async fn delete_product(&self, org: &str, id: i64) -> Result<(), Error> {
        let url = self.url(org, &["products", &id.to_string()]);
        http::empty(http::send(self.request(Method::DELETE, &url), &url).await?).await
    }

    /// Profiles of a product.
    pub async fn list_profiles(&self, org: &str, product: i64) -> Result<Vec<ProfileBody>, Error> {
        let url = self.url(org, &["products", &product.to_string(), "profiles"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Creates a profile on a product.
    pub async fn create_profile(
        &self,
        org: &str,
        product: i64,
        body: &CreateProfile,
    ) -> Result<ProfileBody, Error> {
        let url = self.url(org, &["products", &product.to_string(), "profiles"]);
        http::json(http::send(self.request(Method::POST, &url).json(body), &url).await?).await
    }

    /// Replaces the services a profile enables.
    pub async fn set_profile_services(
        &self,
        org: &str,
        product: i64,
        profile: i64,
        services: Vec<String>,
    ) -> Result<ProfileBody, Error> {
        let (p, f) = (product.to_string(), profile.to_string());
        let url = self.url(org, &["products", &p, "profiles", &f, "services"]);
        let body = SetServices { services };
        http::json(http::send(self.request(Method::PUT, &url).json(&body), &url).await?).await
    }

    /// Deletes a profile and its assignments.
    pub async fn delete_profile(&self, org: &str, product: i64, profile: i64) -> Result<(), Error> {
        let (p, f) = (product.to_string(), profile.to_string());
        let url = self.url(org, &["products", &p, "profiles", &f]);
        http::empty(http::send(self.request(Method::DELETE, &url), &url).await?).await
    }

    /// The profiles a credential is assigned to.
    pub async fn credential_profiles(
        &self,
        org: &str,
        credential: i64,
    ) -> Result<Vec<ProfileBody>, Error> {
        let url = self.url(org, &["credentials", &credential.to_string(), "profiles"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Assigns (`true`, idempotent) or unassigns (`false`) a credential to a profile.
    pub async fn set_assignment(
        &self,
        org: &str,
        credential: i64,
        profile: i64,
        assigned: bool,
    ) -> Result<(), Error> {
        let (c, f) = (credential.to_string(), profile.to_string());
        let url = self.url(org, &["credentials", &c, "profiles", &f]);
        let method = if assigned {
            Method::PUT
        } else {
            Method::DELETE
        };
        http::empty(http::send(self.request(method, &url), &url).await?).await
    }
}
