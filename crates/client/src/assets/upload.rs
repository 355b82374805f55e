//! Uploads: `POST /adobe/assets?folder=&name=` with the file itself as the body and its media
//! type as `Content-Type`. The file is read 64 KiB at a time as the connection takes it, so a
//! file of any size costs the same memory; the body announces its exact length, so the server
//! can refuse one over its limit before it arrives. When the server refuses before reading the
//! body and closes the connection mid-upload, the reason is asked for again without the file.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use latchkey_proto::aem::UploadedAsset;
use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use tokio::io::{AsyncRead, ReadBuf};

use super::{AssetsClient, trimmed};
use crate::error::{Error, Problem};
use crate::http;

/// How much of the file one chunk of the body holds.
const CHUNK: usize = 64 * 1024;

/// A progress callback that may run on the connection's task.
type Callback = Box<dyn FnMut(u64, Option<u64>) + Send>;

impl AssetsClient {
    /// Uploads the file `file` into the folder `folder` as `name`, with media type
    /// `media_type`, streaming it from disk. `progress(done, total)` is called as bytes are
    /// handed to the connection (`total` is the file's size; the first call has
    /// `done == 0`, the last `done == total`). 409 when `name` is taken in the folder.
    pub async fn upload_file<P>(
        &self,
        folder: &str,
        name: &str,
        media_type: &str,
        file: &Path,
        mut progress: P,
    ) -> Result<UploadedAsset, Error>
    where
        P: FnMut(u64, Option<u64>) + Send + 'static,
    {
        let read_error = |source| Error::File {
            action: "read",
            path: file.to_owned(),
            source,
        };
        let f = tokio::fs::File::open(file).await.map_err(read_error)?;
        let total = f.metadata().await.map_err(read_error)?.len();
        progress(0, Some(total));
        let body = FileBody {
            file: f,
            path: file.to_owned(),
            buf: vec![0; CHUNK].into_boxed_slice(),
            done: 0,
            total,
            progress: Mutex::new(Box::new(progress)),
        };
        let url = self.url(&["assets"]);
        let req = self
            .transfer(Method::POST, &url)
            .query(&[("folder", trimmed(folder)), ("name", name)])
            .header(CONTENT_TYPE, media_type)
            .body(reqwest::Body::wrap(body));
        match http::send(req, &url).await {
            Ok(resp) => http::json(resp).await,
            Err(e @ Error::Unreachable { .. }) => {
                Err(self.why_refused(folder, name).await.unwrap_or(e))
            }
            Err(e) => Err(e),
        }
    }

    /// Why an upload the server cut short was refused. A server may answer before it reads the
    /// body (a denial, a missing folder, a name taken) and close the connection while the file
    /// is still being sent; the client then sees a broken pipe instead of the answer. Asking
    /// again without the file gives the answer back: Latchkey's dry run of the authorization
    /// chain (`GET /adobe/latchkey/authorize`, absent elsewhere), the folder, the name.
    async fn why_refused(&self, folder: &str, name: &str) -> Option<Error> {
        let url = self.url(&["latchkey", "authorize"]);
        let dry_run = self
            .request(Method::GET, &url)
            .query(&[("privilege", "create"), ("path", trimmed(folder))]);
        if let Ok(resp) = http::send(dry_run, &url).await
            && let Err(e) = http::empty(resp).await
            && matches!(e.status(), Some(401 | 403))
        {
            return Some(e);
        }
        if let Err(e) = self.list_folder(folder, Some(1), None).await {
            return Some(e);
        }
        let path = format!("{}/{name}", trimmed(folder));
        match self.find(&path).await {
            Ok(Some(_)) => Some(Error::Problem(Box::new(Problem {
                status: 409,
                title: "Conflict".into(),
                detail: format!("{path} already exists"),
                reason: Some("conflict".into()),
                fix: Some("delete it first or choose another name".into()),
            }))),
            _ => None,
        }
    }
}

/// A request body read from a file of a known size, reporting progress.
struct FileBody {
    file: tokio::fs::File,
    path: PathBuf,
    buf: Box<[u8]>,
    done: u64,
    total: u64,
    /// Behind a mutex only because a body must be `Sync`; it is reached through `&mut self`,
    /// so it is never contended.
    progress: Mutex<Callback>,
}

impl http_body::Body for FileBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        let remaining = this.total - this.done;
        if remaining == 0 {
            return Poll::Ready(None);
        }
        // The announced length is the file's size when opened: never send more than that.
        let want = usize::try_from(remaining).map_or(this.buf.len(), |r| r.min(this.buf.len()));
        let mut rb = ReadBuf::new(&mut this.buf[..want]);
        match Pin::new(&mut this.file).poll_read(cx, &mut rb) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) if rb.filled().is_empty() => {
                Poll::Ready(Some(Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "{} shrank to {} bytes during the upload",
                        this.path.display(),
                        this.done
                    ),
                ))))
            }
            Poll::Ready(Ok(())) => {
                let chunk = Bytes::copy_from_slice(rb.filled());
                this.done += chunk.len() as u64;
                let progress = this
                    .progress
                    .get_mut()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                progress(this.done, Some(this.total));
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done >= self.total
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.total - self.done)
    }
}
