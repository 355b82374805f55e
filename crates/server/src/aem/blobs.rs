//! Asset binaries, behind `object_store` so an S3-compatible bucket can replace the local
//! directory without touching the handlers.
//!
//! Uploads stream: the request body is written part by part (at most a few parts in flight),
//! so memory stays flat whatever the file size; the binary becomes visible only when the
//! upload completes (the local store writes a staging file and renames it). Downloads stream
//! the stored bytes back.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};

/// Part size of streamed uploads.
const PART_BYTES: usize = 5 * 1024 * 1024;
/// Parts in flight at once.
const PARTS_IN_FLIGHT: usize = 2;

/// Why a blob operation failed.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The upload is larger than allowed.
    #[error("the upload is larger than {0} bytes")]
    TooLarge(u64),
    /// The client's body failed (disconnect, timeout).
    #[error("the request body could not be read: {0}")]
    Body(String),
    /// The blob is missing.
    #[error("the binary is missing from blob storage")]
    NotFound,
    /// Storage failed; the detail is for logs.
    #[error("blob storage failed: {0}")]
    Storage(String),
}

/// The blob store.
#[derive(Clone)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
}

fn storage(e: object_store::Error) -> BlobError {
    match e {
        object_store::Error::NotFound { .. } => BlobError::NotFound,
        other => BlobError::Storage(other.to_string()),
    }
}

impl Blobs {
    /// Binaries in `dir` (created if missing).
    pub fn local(dir: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create blob directory {}: {e}", dir.display()))?;
        let fs = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("cannot use blob directory {}: {e}", dir.display()))?
            .with_automatic_cleanup(true);
        Ok(Self {
            store: Arc::new(fs),
        })
    }

    /// Streams `body` into `key`; returns the size. Nothing is stored when it fails.
    pub async fn put_stream<S, E>(&self, key: &str, body: S, max: u64) -> Result<u64, BlobError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
        E: std::fmt::Display,
    {
        let location = ObjectPath::from(key);
        let upload = self.store.put_multipart(&location).await.map_err(storage)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut body = body;
        let mut size: u64 = 0;
        let failure = loop {
            match body.next().await {
                None => break None,
                Some(Err(e)) => break Some(BlobError::Body(e.to_string())),
                Some(Ok(chunk)) => {
                    size += chunk.len() as u64;
                    if size > max {
                        break Some(BlobError::TooLarge(max));
                    }
                    if let Err(e) = writer.wait_for_capacity(PARTS_IN_FLIGHT).await {
                        break Some(storage(e));
                    }
                    writer.put(chunk);
                }
            }
        };
        if let Some(e) = failure {
            let _ = writer.abort().await;
            return Err(e);
        }
        writer.finish().await.map_err(storage)?;
        Ok(size)
    }

    /// The bytes of `key`, as a stream.
    pub async fn get_stream(
        &self,
        key: &str,
    ) -> Result<impl Stream<Item = Result<Bytes, std::io::Error>> + Send + use<>, BlobError> {
        let found = self
            .store
            .get(&ObjectPath::from(key))
            .await
            .map_err(storage)?;
        Ok(found
            .into_stream()
            .map(|r| r.map_err(|e| std::io::Error::other(e.to_string()))))
    }

    /// Removes `key`; a missing blob is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match self.store.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(storage(e)),
        }
    }
}
