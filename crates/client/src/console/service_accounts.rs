//! Legacy Service Account (JWT) credentials: create, certificates (list, add, revoke, delete),
//! the AEM service credentials JSON, and migration to OAuth Server-to-Server. Organization
//! admins only. Answers that carry a client secret or a private key are the only place those
//! exist: the caller must save them.

use latchkey_proto::console::CreatedCredential;
use latchkey_proto::service_accounts::{
    AddCertificate, AddedCertificate, CertificateBody, CreateServiceAccount, CreatedServiceAccount,
    MigrateServiceAccount, ServiceCredentials,
};
use reqwest::Method;

use super::ConsoleClient;
use crate::error::Error;
use crate::http;

impl ConsoleClient {
    /// Creates a service account in project `project` (its secret, certificate and, when
    /// generated, private key are in the answer only).
    pub async fn create_service_account(
        &self,
        org: &str,
        project: i64,
        spec: &CreateServiceAccount,
    ) -> Result<CreatedServiceAccount, Error> {
        let url = self.url(org, &["projects", &project.to_string(), "service_accounts"]);
        http::json(http::send(self.request(Method::POST, &url).json(spec), &url).await?).await
    }

    /// The certificates of service account `id`, oldest first.
    pub async fn list_certificates(
        &self,
        org: &str,
        id: i64,
    ) -> Result<Vec<CertificateBody>, Error> {
        let url = self.url(org, &["credentials", &id.to_string(), "certificates"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Adds a certificate: uploaded, or generated with its private key in the answer.
    pub async fn add_certificate(
        &self,
        org: &str,
        id: i64,
        spec: &AddCertificate,
    ) -> Result<AddedCertificate, Error> {
        let url = self.url(org, &["credentials", &id.to_string(), "certificates"]);
        http::json(http::send(self.request(Method::POST, &url).json(spec), &url).await?).await
    }

    /// Revokes certificate `cert` of service account `id`.
    pub async fn revoke_certificate(
        &self,
        org: &str,
        id: i64,
        cert: &str,
    ) -> Result<CertificateBody, Error> {
        let url = self.url(
            org,
            &[
                "credentials",
                &id.to_string(),
                "certificates",
                cert,
                "revoke",
            ],
        );
        http::json(http::send(self.request(Method::POST, &url), &url).await?).await
    }

    /// Deletes the revoked certificate `cert` of service account `id`.
    pub async fn delete_certificate(&self, org: &str, id: i64, cert: &str) -> Result<(), Error> {
        let url = self.url(org, &["credentials", &id.to_string(), "certificates", cert]);
        http::empty(http::send(self.request(Method::DELETE, &url), &url).await?).await
    }

    /// The AEM service credentials JSON of service account `id` (secret and key `null`).
    pub async fn service_credentials(
        &self,
        org: &str,
        id: i64,
    ) -> Result<ServiceCredentials, Error> {
        let url = self.url(
            org,
            &["credentials", &id.to_string(), "service_credentials"],
        );
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Adds an OAuth Server-to-Server credential beside service account `id` with the same
    /// technical account, scopes and profiles.
    pub async fn migrate_service_account(
        &self,
        org: &str,
        id: i64,
        spec: &MigrateServiceAccount,
    ) -> Result<CreatedCredential, Error> {
        let url = self.url(org, &["credentials", &id.to_string(), "migrate"]);
        http::json(http::send(self.request(Method::POST, &url).json(spec), &url).await?).await
    }
}
