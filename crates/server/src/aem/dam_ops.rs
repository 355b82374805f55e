//! DAM operations that combine the blob store and the database, in the order that keeps them
//! consistent: an asset's binary is stored before its row is written (and removed again if the
//! row cannot be), so no asset ever points at a missing binary.

use bytes::Bytes;
use futures_util::Stream;
use latchkey_core::aem::dam::{Binary, DamNode};
use latchkey_core::aem::dam_path::DamPath;
use latchkey_core::aem::store::Repo;
use latchkey_core::store::StoreError;
use latchkey_core::time::UnixMillis;

use super::blobs::BlobError;
use super::problem::Problem;
use crate::state::AppState;

/// Streams `body` into a new asset at `path` (whose folder must exist) and writes its row.
#[allow(clippy::too_many_arguments)]
pub async fn put_asset<S, E>(
    state: &AppState,
    repo: Repo,
    path: DamPath,
    mime_type: String,
    body: S,
    max: u64,
    by: &str,
    now: UnixMillis,
) -> Result<DamNode, Problem>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
    E: std::fmt::Display,
{
    let uuid = uuid::Uuid::new_v4().to_string();
    let blob_key = format!("{}/{}/{uuid}", repo.product_id, repo.tier.as_str());
    let size = state
        .blobs
        .put_stream(&blob_key, body, max)
        .await
        .map_err(|e| match e {
            BlobError::TooLarge(max) => Problem::TooLarge(max),
            BlobError::Body(m) => Problem::BadRequest(format!("the upload was interrupted: {m}")),
            other => {
                tracing::error!(error = %other, "blob upload failed");
                Problem::Unavailable
            }
        })?;
    let binary = Binary {
        blob_key: blob_key.clone(),
        mime_type,
        size: i64::try_from(size).unwrap_or(i64::MAX),
    };
    let folder = path.parent();
    let node = DamNode::new_asset(repo, uuid, path, binary, by, now);
    if let Err(e) = state.store.create_dam_node(&node).await {
        // The row was not written: the binary must not linger.
        let _ = state.blobs.delete(&blob_key).await;
        return Err(match e {
            StoreError::NotFound => Problem::NotFound(format!(
                "the folder {} does not exist (or was deleted during the upload)",
                folder.map(|f| f.to_string()).unwrap_or_default()
            )),
            StoreError::Conflict(_) => Problem::Conflict(format!("{} already exists", node.path)),
            other => other.into(),
        });
    }
    Ok(node)
}
