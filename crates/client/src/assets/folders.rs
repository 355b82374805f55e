//! Folders: `GET /adobe/folders?path=&limit=&cursor=` (a page of children, or every page),
//! `POST /adobe/folders` with `[{path, title}]`, `DELETE /adobe/folders?path=&recursive=`.

use latchkey_proto::aem::{FolderListing, FolderRef, NewFolder};
use reqwest::Method;

use super::{AssetsClient, DAM_ROOT, split_path, trimmed};
use crate::error::Error;
use crate::http;

/// The largest page the API gives (Adobe documents 1..50).
pub const MAX_PAGE: u32 = 50;

impl AssetsClient {
    /// One page of the children of the folder `path`, ordered by path: at most `limit` (the
    /// server's default, 20, when `None`), after `cursor` (from the previous page).
    pub async fn list_folder(
        &self,
        path: &str,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<FolderListing, Error> {
        let url = self.url(&["folders"]);
        let mut req = self
            .request(Method::GET, &url)
            .query(&[("path", trimmed(path))]);
        if let Some(l) = limit {
            req = req.query(&[("limit", l)]);
        }
        if let Some(c) = cursor {
            req = req.query(&[("cursor", c)]);
        }
        http::json(http::send(req, &url).await?).await
    }

    /// Every child of the folder `path`, following the cursor page after page (`page` children
    /// at a time, [`MAX_PAGE`] when `None`). The answer has no cursor.
    pub async fn list_folder_all(
        &self,
        path: &str,
        page: Option<u32>,
    ) -> Result<FolderListing, Error> {
        let page = Some(page.unwrap_or(MAX_PAGE));
        let mut listing = self.list_folder(path, page, None).await?;
        while let Some(cursor) = listing.cursor.take() {
            let next = self.list_folder(path, page, Some(&cursor)).await?;
            listing.children.extend(next.children);
            listing.cursor = next.cursor;
        }
        Ok(listing)
    }

    /// Whether there is a folder at `path` (the DAM root always is). A denial is an error, not
    /// a no.
    pub async fn folder_exists(&self, path: &str) -> Result<bool, Error> {
        match self.list_folder(path, Some(1), None).await {
            Ok(_) => Ok(true),
            Err(e) if e.status() == Some(404) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Creates folders, parents first when they are in the same call; 409 when a path exists
    /// (those created before it stay).
    pub async fn create_folders(&self, folders: &[NewFolder]) -> Result<Vec<FolderRef>, Error> {
        let url = self.url(&["folders"]);
        http::json(http::send(self.request(Method::POST, &url).json(folders), &url).await?).await
    }

    /// Creates the folder `path` and those of its ancestors that do not exist yet, like
    /// `mkdir -p` (an existing folder is fine); `title` is the last folder's. Returns the
    /// folders created, outermost first (none when `path` existed).
    pub async fn create_folder_all(
        &self,
        path: &str,
        title: Option<&str>,
    ) -> Result<Vec<FolderRef>, Error> {
        let path = trimmed(path);
        // The path and its ancestors below the root, deepest first, up to the first that exists.
        let mut missing = Vec::new();
        let mut at = path;
        while at != DAM_ROOT && !self.folder_exists(at).await? {
            missing.push(at);
            match split_path(at) {
                Some((parent, _)) => at = parent,
                // Not a DAM path: let the server say so.
                None => break,
            }
        }
        if missing.is_empty() {
            return Ok(Vec::new());
        }
        let body: Vec<NewFolder> = missing
            .iter()
            .rev()
            .map(|p| NewFolder {
                path: (*p).to_owned(),
                title: (*p == path).then(|| title.map(str::to_owned)).flatten(),
            })
            .collect();
        self.create_folders(&body).await
    }

    /// Deletes the folder `path`; with `recursive`, everything below it too (409 otherwise when
    /// it is not empty).
    pub async fn delete_folder(&self, path: &str, recursive: bool) -> Result<(), Error> {
        let url = self.url(&["folders"]);
        let mut req = self
            .request(Method::DELETE, &url)
            .query(&[("path", trimmed(path))]);
        if recursive {
            req = req.query(&[("recursive", "true")]);
        }
        http::empty(http::send(req, &url).await?).await
    }
}
