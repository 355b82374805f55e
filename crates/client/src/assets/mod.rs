//! [`AssetsClient`]: typed calls to AEM's Assets and Folders APIs under `/adobe`
//! (reference/adobe-protocol.md §6), against Adobe's AEM as a Cloud Service or a Latchkey server.
//!
//! Every call sends `Authorization: Bearer <token>` and `x-api-key: <client id>` (the token's own
//! client id: the API gateway refuses any other, 403003). Refusals keep the server's words:
//! gateway denials are [`Error::Console`] (Adobe's `{"error_code", "message"}`, with Latchkey's
//! explanation and fix appended), everything else [`Error::Problem`] (RFC 7807, with Latchkey's
//! `reason` and `fix` when the authorization chain refused). One file per concept:
//! - `folders`: list a folder's children (one page, or every page), create folders (with their
//!   missing ancestors if asked), delete a folder;
//! - `lookup`: find an asset or a folder by its DAM path, because people think in paths;
//! - `upload`: a file streamed from disk into a folder, never read into memory whole;
//! - `download`: an asset's binary streamed into a temporary file next to the target, renamed
//!   into place only once complete;
//! - `metadata`: read with the `ETag`, change with a JSON Patch and `If-Match`, delete an asset.
//!
//! Transfers have no limit on the whole call (a large file takes as long as it takes) but give
//! up when no byte moves for a minute; the other calls are limited to a minute in all.
//!
//! ```no_run
//! use latchkey_client::{AccessToken, AssetsClient, IfExists};
//!
//! # async fn run(token: AccessToken) -> Result<(), latchkey_client::Error> {
//! let aem = AssetsClient::new("https://author-p1-e1.adobeaemcloud.com", "my-client-id", token)?;
//! aem.create_folder_all("/content/dam/wknd/en", None).await?;
//! let up = aem
//!     .upload_file("/content/dam/wknd/en", "hero.jpg", "image/jpeg", "hero.jpg".as_ref(), |done, total| {
//!         eprintln!("{done} of {total:?} bytes");
//!     })
//!     .await?;
//! let meta = aem.metadata(&up.asset_id).await?;
//! println!("{:?} (ETag {:?})", meta.document.repository_metadata.get("repo:path"), meta.etag);
//! if let Some(found) = aem.find("/content/dam/wknd/en/hero.jpg").await? {
//!     let id = found.asset_id.unwrap_or_default();
//!     aem.download_to(&id, "copy.jpg".as_ref(), IfExists::Fail, |_, _| {}).await?;
//! }
//! # Ok(()) }
//! ```

mod download;
mod folders;
mod lookup;
mod metadata;
mod upload;

pub use download::{Downloaded, IfExists};
pub use metadata::{Metadata, PatchOp};

use reqwest::{Method, RequestBuilder};
use url::Url;

use crate::error::Error;
use crate::http::{self, ApiCaller, BaseUrl};
use crate::secret::AccessToken;

/// The DAM root: every asset and folder path starts with it.
pub const DAM_ROOT: &str = "/content/dam";

/// A caller of the Assets and Folders APIs: an AEM environment, a client id and a token of that
/// client.
#[derive(Debug, Clone)]
pub struct AssetsClient {
    caller: ApiCaller,
}

impl AssetsClient {
    /// A client of the AEM environment at `base_url` (`https://author-p…-e….adobeaemcloud.com`,
    /// or a Latchkey server), calling as `client_id` with `token`.
    pub fn new(base_url: &str, client_id: &str, token: AccessToken) -> Result<Self, Error> {
        let caller = ApiCaller::parse(http::transfer_client()?, base_url, client_id, token)?;
        Ok(Self { caller })
    }

    /// The same, sharing an existing reqwest client. A timeout set on that client for whole
    /// calls also limits uploads and downloads: prefer one with a connect and a read timeout
    /// only.
    pub fn with_http(
        http: reqwest::Client,
        base: BaseUrl,
        client_id: &str,
        token: AccessToken,
    ) -> Self {
        Self {
            caller: ApiCaller::new(http, base, client_id, token),
        }
    }

    /// The URL of `rest` under `/adobe`.
    fn url(&self, rest: &[&str]) -> Url {
        let mut segments = vec!["adobe"];
        segments.extend_from_slice(rest);
        self.caller.base.join(&segments)
    }

    /// An authenticated request that moves a file: no limit on the whole call.
    fn transfer(&self, method: Method, url: &Url) -> RequestBuilder {
        self.caller.request(method, url)
    }

    /// An authenticated request that should be short.
    fn request(&self, method: Method, url: &Url) -> RequestBuilder {
        self.transfer(method, url).timeout(http::CALL_TIMEOUT)
    }
}

/// `path` without trailing slashes (`/content/dam/x/` names `/content/dam/x`).
fn trimmed(path: &str) -> &str {
    let t = path.trim_end_matches('/');
    if t.is_empty() { path } else { t }
}

/// The parent folder and last segment of a DAM path; `None` for the root and paths outside it.
pub fn split_path(path: &str) -> Option<(&str, &str)> {
    let path = trimmed(path);
    if !path
        .strip_prefix(DAM_ROOT)
        .is_some_and(|r| r.starts_with('/'))
    {
        return None;
    }
    let (parent, name) = path.rsplit_once('/')?;
    (!name.is_empty() && !parent.is_empty()).then_some((parent, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_parent_and_name() {
        assert_eq!(
            split_path("/content/dam/wknd/en/"),
            Some(("/content/dam/wknd", "en"))
        );
        assert_eq!(
            split_path("/content/dam/a.jpg"),
            Some(("/content/dam", "a.jpg"))
        );
        assert_eq!(split_path("/content/dam"), None);
        assert_eq!(split_path("/content/dam/"), None);
        assert_eq!(split_path("/tmp/x"), None);
        assert_eq!(split_path("/content/damx/y"), None);
    }
}
