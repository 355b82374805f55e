//! Downloads: `GET /adobe/assets/{id}/original`, streamed chunk by chunk into a temporary file
//! in the target's directory (same file system, so the final rename is atomic), flushed to disk
//! and only then given its name. A failed or interrupted download leaves nothing under the
//! final name, and removes its temporary file.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, Response};
use tokio::io::AsyncWriteExt;

use super::AssetsClient;
use crate::error::Error;
use crate::http;

/// What to do when the target file exists once the download is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfExists {
    /// Replace it.
    Replace,
    /// Keep it and fail ([`Error::File`] with [`io::ErrorKind::AlreadyExists`]).
    Fail,
}

/// A completed download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// Where the binary is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// Its media type, as the server sent it.
    pub media_type: Option<String>,
}

/// Tells apart the temporary files of concurrent downloads of one process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

impl AssetsClient {
    /// Downloads the binary of the asset `asset_id` into the file `dest`. `progress(done,
    /// total)` is called after each chunk is written (`total` when the server announced a
    /// length; the first call has `done == 0`).
    pub async fn download_to<P>(
        &self,
        asset_id: &str,
        dest: &Path,
        if_exists: IfExists,
        mut progress: P,
    ) -> Result<Downloaded, Error>
    where
        P: FnMut(u64, Option<u64>),
    {
        let url = self.url(&["assets", asset_id, "original"]);
        let resp = http::send(self.transfer(Method::GET, &url), &url).await?;
        if !resp.status().is_success() {
            return Err(http::failure(resp).await);
        }
        let media_type = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let temp = temp_path(dest);
        let written = write_temp(resp, &temp, &mut progress).await;
        let placed = match written {
            Ok(size) => place(&temp, dest, if_exists).await.map(|()| size),
            Err(e) => Err(e),
        };
        match placed {
            Ok(size) => Ok(Downloaded {
                path: dest.to_owned(),
                size,
                media_type,
            }),
            Err(e) => {
                // Best effort: the temporary file is ours and useless now.
                let _ = tokio::fs::remove_file(&temp).await;
                Err(e)
            }
        }
    }
}

/// A hidden file next to `dest`: `.<name>.<pid>-<n>.partial`.
fn temp_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map_or_else(|| "download".into(), |n| n.to_string_lossy().into_owned());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let file = format!(".{name}.{}-{n}-{nanos}.partial", std::process::id());
    dest.with_file_name(file)
}

/// Writes the body into the new file `temp` and syncs it; returns the size.
async fn write_temp(
    mut resp: Response,
    temp: &Path,
    progress: &mut impl FnMut(u64, Option<u64>),
) -> Result<u64, Error> {
    let url = resp.url().clone();
    let total = resp.content_length();
    let write_error = |source| Error::File {
        action: "write",
        path: temp.to_owned(),
        source,
    };
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)
        .await
        .map_err(write_error)?;
    let mut done = 0u64;
    progress(0, total);
    while let Some(chunk) = resp.chunk().await.map_err(|e| http::unreachable(&url, e))? {
        file.write_all(&chunk).await.map_err(write_error)?;
        done += chunk.len() as u64;
        progress(done, total);
    }
    if let Some(t) = total.filter(|t| *t != done) {
        return Err(write_error(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("the server announced {t} bytes and sent {done}"),
        )));
    }
    file.flush().await.map_err(write_error)?;
    file.sync_all().await.map_err(write_error)?;
    Ok(done)
}

/// Gives the complete file `temp` the name `dest`.
async fn place(temp: &Path, dest: &Path, if_exists: IfExists) -> Result<(), Error> {
    let create_error = |source| Error::File {
        action: "create",
        path: dest.to_owned(),
        source,
    };
    match if_exists {
        IfExists::Replace => tokio::fs::rename(temp, dest).await.map_err(create_error),
        IfExists::Fail => {
            // A hard link fails when `dest` exists, atomically; then the temporary name goes.
            match tokio::fs::hard_link(temp, dest).await {
                Ok(()) => {
                    let _ = tokio::fs::remove_file(temp).await;
                    Ok(())
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(create_error(e)),
                // A file system without hard links: check, then rename.
                Err(_) => {
                    if tokio::fs::try_exists(dest).await.unwrap_or(true) {
                        return Err(create_error(io::Error::from(io::ErrorKind::AlreadyExists)));
                    }
                    tokio::fs::rename(temp, dest).await.map_err(create_error)
                }
            }
        }
    }
}
