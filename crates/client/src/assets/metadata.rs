//! An asset's metadata and its removal: `GET /adobe/assets/{id}/metadata` with its `ETag`,
//! `PATCH` with an RFC 6902 JSON Patch (`application/json-patch+json`) made conditional by
//! `If-Match` (RFC 9110 §13.1.1: 412 when the asset changed since it was read), and
//! `DELETE /adobe/assets/{id}`.

use latchkey_proto::aem::AssetMetadata;
use reqwest::header::{CONTENT_TYPE, ETAG, IF_MATCH};
use reqwest::{Method, Response};
use serde::Serialize;
use serde_json::Value;

use super::AssetsClient;
use crate::error::Error;
use crate::http;

/// An asset's metadata document and the `ETag` of the version it describes.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    /// `assetId`, `assetMetadata` (editable) and `repositoryMetadata` (read-only facts).
    pub document: AssetMetadata,
    /// Pass to [`AssetsClient::patch_metadata`] as `if_match` so that a concurrent change is
    /// refused instead of lost.
    pub etag: Option<String>,
}

/// One operation of a JSON Patch on `assetMetadata`. Paths may omit the leading `/`, as in
/// Adobe's samples (`dc:title` or `/dc:title`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum PatchOp {
    /// Sets a property (replacing its value when it exists).
    Add {
        /// The property.
        path: String,
        /// Its new value.
        value: Value,
    },
    /// Replaces the value of a property that exists.
    Replace {
        /// The property.
        path: String,
        /// Its new value.
        value: Value,
    },
    /// Removes a property that exists.
    Remove {
        /// The property.
        path: String,
    },
}

impl AssetsClient {
    /// The metadata of the asset `asset_id` (`urn:aaid:aem:<uuid>`).
    pub async fn metadata(&self, asset_id: &str) -> Result<Metadata, Error> {
        let url = self.url(&["assets", asset_id, "metadata"]);
        with_etag(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Applies `ops` to the asset's `assetMetadata`; with `if_match` (an ETag from
    /// [`AssetsClient::metadata`], or `*`), only if the asset has not changed since (else
    /// [`Error::Problem`] with status 412). Returns the metadata after the change.
    pub async fn patch_metadata(
        &self,
        asset_id: &str,
        ops: &[PatchOp],
        if_match: Option<&str>,
    ) -> Result<Metadata, Error> {
        let url = self.url(&["assets", asset_id, "metadata"]);
        let body = serde_json::to_vec(ops).map_err(|source| Error::Decode {
            url: url.to_string(),
            source,
        })?;
        let mut req = self
            .request(Method::PATCH, &url)
            .header(CONTENT_TYPE, "application/json-patch+json")
            .body(body);
        if let Some(etag) = if_match {
            req = req.header(IF_MATCH, etag);
        }
        with_etag(http::send(req, &url).await?).await
    }

    /// Deletes the asset `asset_id` and its binary.
    pub async fn delete_asset(&self, asset_id: &str) -> Result<(), Error> {
        let url = self.url(&["assets", asset_id]);
        http::empty(http::send(self.request(Method::DELETE, &url), &url).await?).await
    }
}

async fn with_etag(resp: Response) -> Result<Metadata, Error> {
    let etag = resp
        .headers()
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let document = http::json(resp).await?;
    Ok(Metadata { document, etag })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    #[test]
    fn patch_operations_serialize_as_rfc_6902() {
        let ops = vec![
            PatchOp::Add {
                path: "dc:title".into(),
                value: json!("Hero"),
            },
            PatchOp::Remove {
                path: "/wknd:sku".into(),
            },
        ];
        assert_eq!(
            serde_json::to_value(&ops).unwrap(),
            json!([
                {"op": "add", "path": "dc:title", "value": "Hero"},
                {"op": "remove", "path": "/wknd:sku"}
            ])
        );
    }
}
