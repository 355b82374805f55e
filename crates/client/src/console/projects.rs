//! Projects of an organization: `GET|POST .../projects` (organization admins only).

use latchkey_proto::console::{CreateProject, ProjectBody};
use reqwest::Method;

use super::ConsoleClient;
use crate::error::Error;
use crate::http;

impl ConsoleClient {
    /// The organization's projects.
    pub async fn list_projects(&self, org: &str) -> Result<Vec<ProjectBody>, Error> {
        let url = self.url(org, &["projects"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Creates a project named `name`.
    pub async fn create_project(&self, org: &str, name: &str) -> Result<ProjectBody, Error> {
        let url = self.url(org, &["projects"]);
        let body = CreateProject {
            name: name.to_owned(),
        };
        http::json(http::send(self.request(Method::POST, &url).json(&body), &url).await?).await
    }
}
